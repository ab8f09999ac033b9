package io.snapline.masking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The keys one clone's masking uses, all derived from the per-clone secret with HMAC-SHA256 and a
 * label, so no derived key reveals another or the secret:
 * <ul>
 * <li>the value key: the masks are HMAC-SHA256(valueKey, UTF-8 of the value), computed inside the
 *     database from the precomputed inner and outer pads;</li>
 * <li>the tag key: a mask carries a short tag, md5(tagKey hex || body), that verification recomputes
 *     from the masked value alone, so an original value almost never passes for a mask;</li>
 * <li>two small keyed constants for the phone fake's check digits;</li>
 * <li>a fingerprint, stored in the clone while masking, so a resumed run with another key is refused.</li>
 * </ul>
 */
final class MaskKeys {

    /** The shortest per-clone secret accepted. */
    static final int MIN_SECRET_BYTES = 16;

    private static final HexFormat HEX = HexFormat.of();

    final byte[] innerPad;
    final byte[] outerPad;
    final String tagKeyHex;
    final int phoneA;
    final int phoneC;
    final String fingerprint;

    private MaskKeys(byte[] secret) {
        byte[] valueKey = hmac(secret, "snapline-masking/v1/value");
        innerPad = new byte[64];
        outerPad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte k = i < valueKey.length ? valueKey[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        tagKeyHex = HEX.formatHex(hmac(secret, "snapline-masking/v1/tag"));
        byte[] c = hmac(secret, "snapline-masking/v1/check");
        phoneA = 1 + (c[0] & 0xff) % 99;
        phoneC = (c[1] & 0xff) % 100;
        fingerprint = HEX.formatHex(hmac(secret, "snapline-masking/v1/fingerprint"), 0, 16);
        Arrays.fill(valueKey, (byte) 0);
    }

    /**
     * @throws IllegalArgumentException when the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    static MaskKeys derive(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the per-clone masking secret must be at least " + MIN_SECRET_BYTES
                    + " random bytes");
        }
        return new MaskKeys(secret);
    }

    static byte[] hmac(byte[] key, String label) {
        return hmac(key, label.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    String innerPadHex() {
        return HEX.formatHex(innerPad);
    }

    String outerPadHex() {
        return HEX.formatHex(outerPad);
    }
}
