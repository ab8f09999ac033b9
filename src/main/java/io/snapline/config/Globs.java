package io.snapline.config;

import java.util.regex.Pattern;

/** Glob matching for source identifiers: {@code *} any run of characters, {@code ?} one character. */
public final class Globs {

    private Globs() {
    }

    /** True when the pattern has a wildcard. */
    public static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    /** Case-insensitive match of a whole identifier (RDS stores identifiers in lower case). */
    public static boolean matches(String pattern, String value) {
        if (!isGlob(pattern)) {
            return pattern.trim().equalsIgnoreCase(value);
        }
        return compile(pattern.trim()).matcher(value).matches();
    }

    /**
     * The glob as a case-insensitive regular expression over a whole identifier, taken as written
     * (no trimming): {@code *} any run of characters, {@code ?} one, everything else literal.
     */
    public static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
