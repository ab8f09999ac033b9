package io.snapline.message;

/**
 * How a reason quotes its input. Every piece of a message that appears in an {@link Ignored} or
 * {@link Malformed} reason goes through here, and so through {@link SafeText}: the reason travels on as
 * an SQS message attribute of the dead-letter send, a log line and a notification, and SQS refuses the
 * whole send for one lone surrogate or control character (AWS-FACTS §7). A plain {@code substring}
 * clip can cut a surrogate pair in half; {@link SafeText#of} cannot.
 */
final class Reasons {

    /** Longest quoted value, in characters, unless a caller asks for another bound. */
    static final int VALUE_CHARS = 120;

    private Reasons() {
    }

    /** {@code s} in single quotes, made safe and clipped to {@value #VALUE_CHARS} characters; {@code (none)} for null. */
    static String quote(String s) {
        return quote(s, VALUE_CHARS);
    }

    /** {@code s} in single quotes, made safe and clipped to about {@code max} characters; {@code (none)} for null. */
    static String quote(String s, int max) {
        return s == null ? "(none)" : "'" + clip(s, max) + "'";
    }

    /** {@code s} made safe and clipped to about {@code max} characters, without quotes. */
    static String clip(String s, int max) {
        return isPlain(s, max) ? s : SafeText.of(s, max);
    }

    /**
     * The whole reason made safe and bounded: the one guard at the parser's exit, so that a reason
     * built from an unquoted piece (a JSON error text, an exception message) is safe too. Idempotent
     * on text that is already safe, which quoted pieces are.
     */
    static String bounded(String reason) {
        return clip(reason, MessageParser.MAX_REASON_CHARS - 32);
    }

    /**
     * True when {@link SafeText#of} would return {@code s} unchanged: short enough, and only
     * characters it keeps as they are (no surrogate at all, so no pair needs checking). A scan
     * without allocation, because nearly every reason is plain text already.
     */
    static boolean isPlain(String s, int max) {
        int n = s.length();
        if (n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= '\uD800' && c <= '\uDFFF') || c == '\uFFFE' || c == '\uFFFF') {
                return false;
            }
        }
        return true;
    }
}
