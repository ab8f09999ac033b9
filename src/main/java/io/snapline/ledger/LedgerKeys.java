package io.snapline.ledger;

import io.snapline.message.SafeText;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one rule by which every ledger store turns a key into the string it stores: operation keys,
 * pipeline ids, snapshot identifiers and step names. Any of them can hold text from a message
 * (a lone surrogate, NUL, a line break, 256 KiB), and no store can hold every such string as it
 * is: DynamoDB strings are UTF-8, so a lone surrogate cannot be sent as itself (two keys that
 * differ only there would become one item), and a partition key is at most 2,048 bytes.
 *
 * <ul>
 *   <li>A <b>plain</b> key is kept as it is: at most {@value #MAX_PLAIN_BYTES} bytes of UTF-8, only
 *       characters {@link SafeText#isSafe} accepts (no control character, line break or lone
 *       surrogate), and not itself of the digested form below. Every key Snapline builds from
 *       well-formed events is plain, so stored keys stay readable (and existing items are found).</li>
 *   <li>Any other key becomes {@code <readable prefix>~sha256:<64 hex digits>}: the prefix is
 *       {@code SafeText.of(key, 96)}, for people, and the digest is SHA-256 over the key's exact
 *       UTF-16 code units (big-endian), lone surrogates included, so it tells apart keys that
 *       differ anywhere, even in one half of a surrogate pair or after the prefix.</li>
 * </ul>
 *
 * <p>The rule is collision-free: a plain key never has the digested form (that is part of being
 * plain), so a kept key and a digested key cannot meet, and two digested keys meet only if SHA-256
 * collides. It is not idempotent: a string that already has the digested form is digested again,
 * which is what keeps it apart from the key it was digested from; {@link #isDigested} lets a
 * look-up by a stored form (as {@code /pipelines} lists it) find its record.
 */
public final class LedgerKeys {

    /** The most UTF-8 bytes a key may have to be kept as it is (DynamoDB allows 2,048 in a partition key). */
    public static final int MAX_PLAIN_BYTES = 1024;

    static final String DIGEST_MARK = "~sha256:";
    private static final int PREFIX_CHARS = 96;
    private static final int DIGEST_HEX = 64;

    private LedgerKeys() {
    }

    /** The stored form of {@code key}: the key itself when it is plain, else a readable prefix and a digest. */
    public static String of(String key) {
        String k = key == null ? "" : key;
        return isPlain(k) ? k : SafeText.of(k, PREFIX_CHARS) + DIGEST_MARK + sha256(k);
    }

    /** True when {@code key} is kept as it is by {@link #of}. */
    public static boolean isPlain(String key) {
        return key != null && key.length() <= MAX_PLAIN_BYTES && utf8Length(key) <= MAX_PLAIN_BYTES && safe(key)
                && !isDigested(key);
    }

    /** What {@link SafeText#isSafe} accepts, checked without building a copy (this runs on every ledger call). */
    private static boolean safe(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                return false;
            }
        }
        return true;
    }

    /** True when {@code text} has the form {@link #of} gives a key that is not plain. */
    public static boolean isDigested(String text) {
        if (text == null || text.length() < DIGEST_MARK.length() + DIGEST_HEX) {
            return false;
        }
        int hex = text.length() - DIGEST_HEX;
        if (!text.startsWith(DIGEST_MARK, hex - DIGEST_MARK.length())) {
            return false;
        }
        for (int i = hex; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 length, counting a lone surrogate as the 3 bytes it would take if it were encodable. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String sha256(String key) {
        try {
            // by hand, not getBytes(UTF_16BE), which would replace a lone surrogate and merge keys
            byte[] units = new byte[key.length() * 2];
            for (int i = 0; i < key.length(); i++) {
                units[2 * i] = (byte) (key.charAt(i) >>> 8);
                units[2 * i + 1] = (byte) key.charAt(i);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(units));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
