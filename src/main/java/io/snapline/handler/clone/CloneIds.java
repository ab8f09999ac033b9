package io.snapline.handler.clone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Clone identifiers, deterministic from the request, so a repeated request names the same clone and
 * every step of it is ALREADY_DONE: {@code <source, at most 40>-c<10 hex of SHA-256(policy, source,
 * request id)>}. The DB cluster (Aurora) or DB instance is named by the clone id; an Aurora clone's
 * instance is {@code <clone id>-1}.
 *
 * <p>Valid by RDS's rules for DB cluster and instance identifiers: 1 to 63 letters, digits and
 * hyphens, a letter first, no two hyphens in a row, no hyphen at the end
 * (<a href="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html">CreateDBInstance</a>).
 */
public final class CloneIds {

    /** RDS's rule for DB cluster and instance identifiers. */
    public static final Pattern RDS_IDENTIFIER = Pattern.compile("^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$");
    static final int SOURCE_CHARS = 40;

    private CloneIds() {
    }

    /** The clone id of a request. */
    public static String of(String policy, String source, String requestId) {
        String digest = HexFormat.of().formatHex(sha256(policy + "\u0000" + source + "\u0000" + requestId), 0, 5);
        StringBuilder base = new StringBuilder();
        for (char c : source.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            char out = ok ? c : '-';
            if (out == '-' && (base.length() == 0 || base.charAt(base.length() - 1) == '-')) {
                continue;
            }
            if (base.length() == 0 && !(c >= 'a' && c <= 'z')) {
                continue;
            }
            base.append(out);
            if (base.length() >= SOURCE_CHARS) {
                break;
            }
        }
        while (base.length() > 0 && base.charAt(base.length() - 1) == '-') {
            base.setLength(base.length() - 1);
        }
        String prefix = base.length() == 0 ? "clone" : base.toString();
        return prefix + "-c" + digest;
    }

    /** The DB instance of an Aurora clone. */
    public static String clusterInstance(String cloneId) {
        return cloneId + "-1";
    }

    /** True when the text is a valid RDS DB cluster / instance identifier. */
    public static boolean valid(String id) {
        return id != null && RDS_IDENTIFIER.matcher(id).matches() && !id.endsWith("-");
    }

    /** A request id made from the request's own content, when the requester gave none. */
    public static String contentId(String... parts) {
        return "content-" + HexFormat.of().formatHex(sha256(String.join("\u0000", parts)), 0, 8);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
