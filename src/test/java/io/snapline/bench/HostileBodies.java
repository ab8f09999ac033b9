package io.snapline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Generates hostile message bodies, deterministically (seeded): each is raw bytes, as
 * {@code POST /events} receives them, and the suite also sends a string form through SQS. Kinds,
 * in turn: lone surrogates (raw and as {@code \ud800} JSON escapes) inside well-formed snapshot
 * events, invalid UTF-8 (stray continuation bytes, torn multi-byte sequences, overlongs), control
 * characters, deep nesting, sizes up to the queue's 256 KiB limit (and just over it), and every
 * fixture of {@code src/test/resources/events/**} mutated: truncated, a byte flipped, a field value
 * replaced by hostile text.
 */
final class HostileBodies {

    static final int LIMIT = 256 * 1024;

    private static final String[] HOSTILE_TEXT = {
        "\\ud800", "\\udfff", "\\ud800\\u0041", "\\u0000", "\\u001f", "..", "../../etc/passwd", ":", "a:b:c",
        "arn:aws:rds:us-east-1:123456789012:snapshot:", "arn:aws:rds:::snapshot:x", "{source}", "${jndi:ldap://x}",
        "%s%n%x", "\\n\\r\\t", "\u00e9\u4e2d\ud83d\ude00", "\u202e", "\ufeff", "", " ", "orders\\u0000", "rds:" + "x".repeat(300),
    };

    private final Random random;
    private final List<byte[]> fixtures;
    private final String snapshotTemplate;
    private long n;
    private long fixtureTurn;

    HostileBodies(long seed) {
        this.random = new Random(seed);
        this.fixtures = fixtures();
        this.snapshotTemplate = new String(fixture("events/sns/rds-0042-manual-db-snapshot.json"), StandardCharsets.UTF_8);
    }

    /** The next hostile body, as bytes. */
    byte[] next() {
        long k = n++;
        return switch ((int) (k % 10)) {
            case 0 -> loneSurrogateEscape();
            case 1 -> loneSurrogateRaw();
            case 2 -> invalidUtf8();
            case 3 -> controlCharacters();
            case 4 -> deepNesting();
            case 5 -> large();
            case 6 -> truncated();
            case 7 -> byteFlipped();
            default -> fieldReplaced();
        };
    }

    /** A string form of a body for an SQS send: bytes decoded as UTF-8 where valid, else as ISO-8859-1. */
    static String asSqsString(byte[] body) {
        String utf8 = new String(body, StandardCharsets.UTF_8);
        return utf8.contains("\ufffd") ? new String(body, StandardCharsets.ISO_8859_1) : utf8;
    }

    private byte[] loneSurrogateEscape() {
        String id = pick("\\ud800", "\\udbff", "\\udc00", "x\\ud800y", "\\ud83d") + random.nextInt(1000);
        return snapshotEvent(id).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] loneSurrogateRaw() {
        // A lone surrogate encoded as UTF-8 would be (CESU) ED A0 80: invalid UTF-8 on the wire.
        byte[] event = snapshotEvent("orders-SURR").getBytes(StandardCharsets.UTF_8);
        String s = new String(event, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("SURR");
        byte[] out = new byte[event.length + 2];
        System.arraycopy(event, 0, out, 0, at);
        out[at] = (byte) 0xED;
        out[at + 1] = (byte) (random.nextBoolean() ? 0xA0 : 0xB0);
        out[at + 2] = (byte) 0x80;
        System.arraycopy(event, at + 4, out, at + 3, event.length - at - 4);
        return java.util.Arrays.copyOf(out, event.length - 1);
    }

    private byte[] invalidUtf8() {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] event = snapshotEvent("orders-BAD").getBytes(StandardCharsets.UTF_8);
        byte[] b = bad[random.nextInt(bad.length)];
        int at = random.nextInt(event.length);
        byte[] out = new byte[event.length + b.length];
        System.arraycopy(event, 0, out, 0, at);
        System.arraycopy(b, 0, out, at, b.length);
        System.arraycopy(event, at, out, at + b.length, event.length - at);
        return out;
    }

    private byte[] controlCharacters() {
        StringBuilder id = new StringBuilder("orders");
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
            id.append("\\u00").append(String.format("%02x", random.nextInt(32)));
        }
        String body = random.nextBoolean() ? snapshotEvent(id.toString())
                : snapshotEvent("orders") + (char) random.nextInt(32) + "\u0000";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] deepNesting() {
        int depth = 500 + random.nextInt(random.nextBoolean() ? 2_000 : 60_000);
        boolean object = random.nextBoolean();
        StringBuilder sb = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            sb.append(object ? "{\"a\":" : "[");
        }
        sb.append("1");
        for (int i = 0; i < depth; i++) {
            sb.append(object ? "}" : "]");
        }
        if (random.nextBoolean()) {
            // inside an SNS envelope's Message, as SNS would carry it
            return ("{\"Type\":\"Notification\",\"MessageId\":\"m" + n + "\",\"Message\":\""
                    + sb.toString().replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] large() {
        int[] sizes = {LIMIT - 1, LIMIT, LIMIT + 1, 200_000, 64 * 1024, LIMIT - 200};
        int target = sizes[random.nextInt(sizes.length)];
        String base = snapshotEvent("orders-PAD");
        int pad = Math.max(0, target - base.length() + 3);
        String filler = random.nextBoolean() ? "x" : "\u00e9"; // 2 bytes in UTF-8: some land over the limit
        String body = base.replace("orders-PAD", "orders-" + filler.repeat(filler.equals("x") ? pad : pad / 2));
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] truncated() {
        byte[] f = anyFixture();
        return java.util.Arrays.copyOf(f, f.length <= 1 ? 0 : random.nextInt(f.length));
    }

    private byte[] byteFlipped() {
        byte[] f = anyFixture().clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && f.length > 0; i++) {
            f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return f;
    }

    private byte[] fieldReplaced() {
        String f = new String(anyFixture(), StandardCharsets.UTF_8);
        // replace the value of one "key":"value" pair (outer or inside an SNS Message) by hostile text
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\\\?\"[A-Za-z ]+\\\\?\"\\s*:\\s*\\\\?\")([^\"\\\\]*)(\\\\?\")").matcher(f);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(2), m.end(2)});
        }
        if (spans.isEmpty()) {
            return (f + pick(HOSTILE_TEXT)).getBytes(StandardCharsets.UTF_8);
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        String hostile = pick(HOSTILE_TEXT);
        if (random.nextInt(4) == 0) {
            hostile = hostile.repeat(1 + random.nextInt(200));
        }
        return (f.substring(0, s[0]) + hostile + f.substring(s[1])).getBytes(StandardCharsets.UTF_8);
    }

    /** An RDS-EVENT-0042 in its SNS envelope whose Source ID (and ARN) is {@code id}, JSON-escaped text. */
    private String snapshotEvent(String id) {
        return snapshotTemplate.replace("orders-before-migration", id)
                .replace("bac30eba-ebd8-5dd3-9b30-725e23e8891a", "hostile-" + n);
    }

    /** The fixtures in turn, so that every one is mutated every three times round. */
    private byte[] anyFixture() {
        return fixtures.get((int) (fixtureTurn++ % fixtures.size()));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static List<byte[]> fixtures() {
        URL root = HostileBodies.class.getClassLoader().getResource("events");
        if (root == null) {
            throw new IllegalStateException("no events/ fixtures on the classpath");
        }
        try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
            List<byte[]> all = new ArrayList<>();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                all.add(Files.readAllBytes(p));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] fixture(String path) {
        try (InputStream in = HostileBodies.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int fixtureCount() {
        return fixtures.size();
    }
}
