package io.snapline.masking;

import java.util.regex.Pattern;

/**
 * SQL identifiers that come from configuration. Only plain identifiers are accepted (a letter or
 * underscore, then letters, digits, underscores or {@code $}, at most 63 characters: the PostgreSQL
 * limit, below MySQL's 64), so a table or column name can never carry SQL; they are still always
 * quoted when written into a statement, so reserved words and mixed case work.
 */
public final class Identifiers {

    /** The longest identifier accepted: PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0," + (MAX_LENGTH - 1) + "}");

    private Identifiers() {
    }

    /** True when {@code name} is a plain identifier that may be used. */
    public static boolean valid(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    /** Why {@code name} is refused, for a problem message. */
    public static String rule() {
        return "a letter or _ followed by letters, digits, _ or $, at most " + MAX_LENGTH + " characters";
    }

    /**
     * A name for a message: printable ASCII kept, anything else escaped and long names cut, so a
     * hostile name cannot forge log lines.
     */
    public static String printable(String name) {
        if (name == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(80).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u%04x", cp));
            }
        });
        if (name.codePointCount(0, name.length()) > 80) {
            out.append("...");
        }
        return out.toString();
    }

    /** Quotes any name (a validated one from a specification, or one read from the catalog). */
    static String quotePostgres(String name) {
        requireNoNul(name);
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String quoteMysql(String name) {
        requireNoNul(name);
        return '`' + name.replace("`", "``") + '`';
    }

    private static void requireNoNul(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a usable SQL identifier: " + printable(name));
        }
    }
}
