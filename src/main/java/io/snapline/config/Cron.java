package io.snapline.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An EventBridge Scheduler cron expression, {@code cron(minutes hours day-of-month month day-of-week year)},
 * evaluated in a time zone, so that the service and the Terraform schedule read the same text.
 *
 * <p>Supported in each field: {@code *}, a value, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}
 * or {@code a/n}, and lists of those ({@code 2,14}); month names {@code JAN}–{@code DEC}, day names
 * {@code SUN}–{@code SAT} (day-of-week 1 = Sunday … 7 = Saturday, as EventBridge counts); {@code ?} in
 * day-of-month or day-of-week (exactly one of the two must be {@code ?}, as EventBridge requires).
 * Refused, with the reason: {@code L}, {@code W} and {@code #} (last day, nearest weekday, n-th weekday),
 * and {@code rate(...)} / {@code at(...)} expressions.
 *
 * <p>Daylight saving, decided here and tested: the slots are the local date-times the fields match;
 * a local time that falls in a gap (clocks jump forward) is taken at the same offset from the gap's
 * start, i.e. 02:30 on a day when 02:00 jumps to 03:00 is 03:30 (what {@link ZonedDateTime#of}
 * does); a local time that happens twice (clocks fall back) is one slot, at its first occurrence.
 * Two local times that land on one instant (02:30 and 03:30 in the gap) are one slot.
 */
public final class Cron {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
            "FRI", 6, "SAT", 7);
    /** How far {@link #previousSlot} and {@link #nextSlot} look: a schedule of one slot a year still resolves. */
    private static final int SEARCH_DAYS = 366 * 8;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyYear;
    private final boolean domAny;
    private final boolean dowAny;

    private Cron(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
                 BitSet years, boolean anyYear, boolean domAny, boolean dowAny) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
        this.anyYear = anyYear;
        this.domAny = domAny;
        this.dowAny = dowAny;
    }

    /** Thrown for an expression this class does not take; the message says why and what to write. */
    public static final class InvalidCronException extends IllegalArgumentException {
        InvalidCronException(String message) {
            super(message);
        }
    }

    /** Parses {@code cron(...)}; throws {@link InvalidCronException} with the reason. */
    public static Cron parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronException("no schedule given; write e.g. cron(0 2,14 * * ? *)");
        }
        String t = expression.trim();
        if (t.startsWith("rate(") || t.startsWith("at(")) {
            throw new InvalidCronException("'" + t + "' is not a cron expression; only cron(...) schedules are "
                    + "supported, since a slot must be a wall-clock time (e.g. cron(0 2,14 * * ? *))");
        }
        if (!t.startsWith("cron(") || !t.endsWith(")")) {
            throw new InvalidCronException("'" + t + "' is not of the form cron(minutes hours day-of-month month "
                    + "day-of-week year), e.g. cron(0 2,14 * * ? *)");
        }
        String[] f = t.substring(5, t.length() - 1).trim().split("\\s+");
        if (f.length != 6) {
            throw new InvalidCronException("'" + t + "' has " + f.length + " fields; EventBridge cron has 6: "
                    + "minutes hours day-of-month month day-of-week year, e.g. cron(0 2,14 * * ? *)");
        }
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw new InvalidCronException("'" + t + "': exactly one of day-of-month and day-of-week must be ?, "
                    + "as EventBridge requires (e.g. cron(0 2 * * ? *) or cron(0 2 ? * MON-FRI *))");
        }
        if (f[0].equals("?") || f[1].equals("?") || f[3].equals("?") || f[5].equals("?")) {
            throw new InvalidCronException("'" + t + "': ? is only allowed in day-of-month or day-of-week");
        }
        BitSet min = field(t, "minutes", f[0], 0, 59, Map.of());
        BitSet hour = field(t, "hours", f[1], 0, 23, Map.of());
        BitSet dom = domAny ? all(1, 31) : field(t, "day-of-month", f[2], 1, 31, Map.of());
        BitSet month = field(t, "month", f[3], 1, 12, MONTHS);
        BitSet dow = dowAny ? all(1, 7) : field(t, "day-of-week", f[4], 1, 7, DAYS);
        boolean anyYear = f[5].equals("*");
        BitSet year = anyYear ? new BitSet() : field(t, "year", f[5], 1970, 2199, Map.of());
        return new Cron(t, min, hour, dom, month, dow, year, anyYear, domAny, dowAny);
    }

    /** The problem with an expression, if any (for start-up validation). */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
            return Optional.empty();
        } catch (InvalidCronException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static BitSet all(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return b;
    }

    private static BitSet field(String text, String name, String field, int min, int max, Map<String, Integer> names) {
        BitSet out = new BitSet();
        for (String part : field.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(text, name, part.substring(slash + 1), 1, max, Map.of());
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", -1);
                if (ab.length != 2) {
                    throw bad(text, name, part, min, max);
                }
                from = number(text, name, ab[0], min, max, names);
                to = number(text, name, ab[1], min, max, names);
                if (from > to) {
                    throw new InvalidCronException("'" + text + "': " + name + " range " + range
                            + " runs backwards; write it from low to high");
                }
            } else {
                from = number(text, name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int number(String text, String name, String raw, int min, int max, Map<String, Integer> names) {
        Integer named = names.get(raw.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (raw.matches(".*[LW#].*") && !raw.matches("[A-Za-z]{3}")) {
            throw new InvalidCronException("'" + text + "': " + name + " value '" + raw + "': L, W and # (last day, "
                    + "nearest weekday, n-th weekday) are not supported; list the days instead");
        }
        if (!raw.matches("\\d{1,4}")) {
            throw bad(text, name, raw, min, max);
        }
        int v = Integer.parseInt(raw);
        if (v < min || v > max) {
            throw bad(text, name, raw, min, max);
        }
        return v;
    }

    private static InvalidCronException bad(String text, String name, String raw, int min, int max) {
        return new InvalidCronException("'" + text + "': " + name + " value '" + raw + "' is not a number from "
                + min + " to " + max + (name.equals("day-of-week") ? " (1 = SUN … 7 = SAT) or a day name" : "")
                + (name.equals("month") ? " or a month name" : ""));
    }

    /** The expression as configured. */
    public String text() {
        return text;
    }

    /** True when the local date-time (to the minute) matches every field. */
    public boolean matches(LocalDateTime t) {
        return t.getSecond() == 0 && t.getNano() == 0 && minutes.get(t.getMinute()) && hours.get(t.getHour())
                && dayMatches(t.toLocalDate());
    }

    private boolean dayMatches(LocalDate d) {
        if (!months.get(d.getMonthValue()) || !anyYear && !years.get(d.getYear())) {
            return false;
        }
        int dow = d.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : d.getDayOfWeek().getValue() + 1;
        return (domAny || daysOfMonth.get(d.getDayOfMonth())) && (dowAny || daysOfWeek.get(dow));
    }

    /** The slot instants of one local day, in order, each once (see the class comment for daylight saving). */
    public List<Instant> slotsOn(LocalDate day, ZoneId zone) {
        if (!dayMatches(day)) {
            return List.of();
        }
        java.util.TreeSet<Instant> out = new java.util.TreeSet<>();
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
            for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                out.add(ZonedDateTime.of(day, LocalTime.of(h, m), zone).withEarlierOffsetAtOverlap().toInstant());
            }
        }
        return List.copyOf(out);
    }

    /** True when {@code slot} is one of the schedule's slots in {@code zone}. */
    public boolean isSlot(Instant slot, ZoneId zone) {
        LocalDate day = slot.atZone(zone).toLocalDate();
        // a slot pushed out of a gap can land on the next local day only at midnight gaps: look at both days
        return slotsOn(day, zone).contains(slot) || slotsOn(day.minusDays(1), zone).contains(slot);
    }

    /** The latest slot at or before {@code at}, if one exists within eight years. */
    public Optional<Instant> previousSlot(Instant at, ZoneId zone) {
        LocalDate day = at.atZone(zone).toLocalDate().plusDays(1);
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.minusDays(1)) {
            List<Instant> slots = slotsOn(day, zone);
            for (int s = slots.size() - 1; s >= 0; s--) {
                if (!slots.get(s).isAfter(at)) {
                    return Optional.of(slots.get(s));
                }
            }
        }
        return Optional.empty();
    }

    /** The first slot strictly after {@code after}, if one exists within eight years. */
    public Optional<Instant> nextSlot(Instant after, ZoneId zone) {
        LocalDate day = after.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            for (Instant s : slotsOn(day, zone)) {
                if (s.isAfter(after)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Minute precision: the slot time a tick carries, with seconds dropped. */
    public static Instant toMinute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    @Override
    public String toString() {
        return text;
    }
}
