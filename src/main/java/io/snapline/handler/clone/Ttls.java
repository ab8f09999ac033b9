package io.snapline.handler.clone;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A clone's time to live as requesters write it: {@code 30m}, {@code 12h}, {@code 3d}, {@code 1w}, or ISO-8601 {@code PT36H}. */
public final class Ttls {

    private static final Pattern SHORT = Pattern.compile("^(\\d{1,5})\\s*([mhdw])$");

    private Ttls() {
    }

    /** The duration, or empty when the text is none of the accepted forms (or not positive). */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return d.isZero() ? Optional.empty() : Optional.of(d);
        }
        if (t.startsWith("p") && t.length() <= 40) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code 3d}, {@code 12h}, {@code 90m}: the shortest exact spelling. */
    public static String format(Duration d) {
        long minutes = d.toMinutes();
        if (minutes % (60 * 24) == 0) {
            return minutes / (60 * 24) + "d";
        }
        if (minutes % 60 == 0) {
            return minutes / 60 + "h";
        }
        return minutes + "m";
    }
}
