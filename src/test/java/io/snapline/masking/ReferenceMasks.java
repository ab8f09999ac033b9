package io.snapline.masking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The masks computed in Java, independently of the SQL, from the format {@code docs/masking.md}
 * describes: the tests compare what each database wrote with these.
 */
final class ReferenceMasks {

    private static final HexFormat HEX = HexFormat.of();

    private ReferenceMasks() {
    }

    static String mask(byte[] secret, Strategy strategy, String value) {
        if (value == null) {
            return null;
        }
        MaskKeys k = MaskKeys.derive(secret);
        return switch (strategy.kind()) {
            case NULL -> null;
            case CONSTANT -> strategy.constant().orElseThrow();
            case KEEP -> value;
            default -> hashDerived(k, strategy.kind(), value);
        };
    }

    private static String hashDerived(MaskKeys k, Strategy.Kind kind, String value) {
        byte[] label = (kind.spelling() + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] inner = sha256(concat(k.innerPad, label, value.getBytes(StandardCharsets.UTF_8)));
        byte[] h = sha256(concat(k.outerPad, inner));
        int b0 = h[0] & 0xff;
        int b1 = h[1] & 0xff;
        int b2 = h[2] & 0xff;
        int b3 = h[3] & 0xff;
        return switch (kind) {
            case HASH -> {
                String body = HEX.formatHex(h, 0, 12);
                yield body + md5(k.tagKeyHex + body).substring(0, 8);
            }
            case FAKE_EMAIL -> {
                String body = WordLists.FIRST_NAMES.get(b0).toLowerCase(Locale.ROOT) + "."
                        + WordLists.LAST_NAMES.get(b1).toLowerCase(Locale.ROOT) + "." + HEX.formatHex(h, 2, 8);
                yield body + md5(k.tagKeyHex + body).substring(0, 6) + "@example.com";
            }
            case FAKE_NAME -> {
                String body = WordLists.FIRST_NAMES.get(b0) + " " + (char) ('A' + b1 % 26) + ". ";
                yield body + WordLists.LAST_NAMES.get(firstByte(md5(k.tagKeyHex + body)));
            }
            case FAKE_PHONE -> {
                int n = (b0 * 65536 + b1 * 256 + b2) % 100000;
                int check = (n * k.phoneA + k.phoneC) % 100;
                yield String.format(Locale.ROOT, "+1-555-%03d-%04d", n / 100, (n % 100) * 100 + check);
            }
            case FAKE_ADDRESS -> {
                String body = (1 + (b0 * 256 + b1) % 9999) + " " + WordLists.STREETS.get(b2 % 64) + " "
                        + WordLists.STREET_SUFFIXES.get(b3 % 8);
                yield body + ", " + WordLists.CITIES.get(firstByte(md5(k.tagKeyHex + body)) % 64);
            }
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    private static int firstByte(String hex) {
        return Integer.parseInt(hex.substring(0, 2), 16);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(String in) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(in.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
