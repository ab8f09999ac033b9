package io.snapline.config;

import java.util.Locale;
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
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), value.toLowerCase(Locale.ROOT));
    }
}
