package io.snapline.message;

/**
 * Makes any string from a message safe to put where text is strict: a log line, an SQS message
 * attribute, a notification, a ledger detail. The result is valid Unicode that SQS accepts in a
 * message attribute ({@code #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF}), with
 * no line breaks, and bounded: it never cuts a surrogate pair in half.
 *
 * <ul>
 *   <li>a lone surrogate, {@code U+FFFE}/{@code U+FFFF} or a control character becomes
 *       {@code \\uXXXX} (visible, so the reader sees what the input held);</li>
 *   <li>tab, CR and LF become {@code \\t}, {@code \\r}, {@code \\n} (one log event stays one line);</li>
 *   <li>longer than {@code maxChars}: cut at a code point boundary, with {@code …(+N chars)}.</li>
 * </ul>
 */
public final class SafeText {

    private SafeText() {
    }

    /** {@code text} made safe and at most about {@code maxChars} characters long (the suffix may add 20). */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 16);
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (out.length() >= maxChars) {
                out.append("…(+").append(text.codePointCount(i, n)).append(" chars)");
                return out.toString();
            }
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        appendEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
            i++;
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code \\uXXXX}, lower-case hex, without {@code String.format} (which costs a microsecond a char). */
    private static void appendEscape(StringBuilder out, char c) {
        out.append('\\').append('u').append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    /** True when {@code text} is already safe as it is (and so {@link #of} would not change it, if short enough). */
    public static boolean isSafe(String text) {
        return text != null && of(text, Integer.MAX_VALUE).equals(text);
    }
}
