package io.snapline.web.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Escaping for the console's pages. Every value that reaches a page goes through {@link #esc}:
 * message content is hostile (a dead letter's body, a reason quoting it, a snapshot id), so it is
 * escaped for text and for quoted attributes alike, and what HTML cannot carry (lone surrogates,
 * control characters, non-characters) is replaced by U+FFFD.
 */
public final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** The text escaped for an element's content or a double- or single-quoted attribute. */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '`' -> out.append("&#96;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0)
                            || c == 0xfffe || c == 0xffff || (c >= 0xfdd0 && c <= 0xfdef)) {
                        out.append('\ufffd');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** At most {@code max} characters of the text (never half a surrogate pair), escaped, with a note when cut. */
    public static String escCut(String text, int max) {
        if (text == null || text.length() <= max) {
            return esc(text);
        }
        int end = Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
        return esc(text.substring(0, end)) + "<span class=\"cut\"> … (" + (text.length() - end) + " more characters)</span>";
    }

    /** A query-string value. */
    public static String url(String text) {
        return URLEncoder.encode(text == null ? "" : text, StandardCharsets.UTF_8);
    }

    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** A {@code <time>} element: the UTC time shown, the ISO instant as its machine-readable value. */
    public static String timeTag(Instant at) {
        return at == null ? "" : "<time datetime=\"" + at + "\">" + TIME.format(at) + "</time>";
    }
}
