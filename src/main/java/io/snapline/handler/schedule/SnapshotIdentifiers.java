package io.snapline.handler.schedule;

import io.snapline.message.SnapshotRef;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identifier of a scheduled snapshot: a function of prefix, source and slot, so a retried or
 * duplicated tick names the same snapshot, readable as {@code <prefix>-<source>-<yyyyMMdd-HHmm>} with
 * the slot's wall-clock time in the schedule's zone.
 *
 * <p>Valid by RDS's rules whatever the source text: a letter first, then letters, digits and single
 * hyphens, no trailing hyphen, lower case (RDS stores identifiers in lower case), at most 255
 * characters for a DB snapshot and 63 for a cluster snapshot. A source that is not already of that
 * form (or too long to fit) is cleaned and cut, and a 10-digit hash of the whole source text goes
 * before the time ({@code <prefix>-<cut source>-<hash>-<time>}), so distinct sources never share an
 * identifier. A slot in the second occurrence of a repeated hour (clocks falling back) gets
 * {@code -2} after the time, so distinct slots never share one either. Slots are minutes: seconds
 * are dropped.
 */
public final class SnapshotIdentifiers {

    public static final int MAX_DB_SNAPSHOT = 255;
    public static final int MAX_CLUSTER_SNAPSHOT = 63;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT);
    private static final Pattern VALID = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");
    private static final int HASH_CHARS = 10;

    private SnapshotIdentifiers() {
    }

    /** The identifier for one source at one slot. {@code prefix} must already be valid (start-up checks it). */
    public static String forSlot(String prefix, String source, Instant slot, ZoneId zone, SnapshotRef.Scope scope) {
        int max = scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? MAX_CLUSTER_SNAPSHOT : MAX_DB_SNAPSHOT;
        ZonedDateTime local = slot.truncatedTo(ChronoUnit.MINUTES).atZone(zone);
        String time = TIME.format(local) + (local.equals(local.withEarlierOffsetAtOverlap()) ? "" : "-2");
        String src = source == null ? "" : source;
        String plain = prefix + "-" + src + "-" + time;
        if (isValid(src) && plain.length() <= max) {
            return plain;
        }
        String hash = hash(src);
        int room = max - prefix.length() - time.length() - hash.length() - 3;
        String cleaned = clean(src);
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, Math.max(0, room)).replaceAll("-+$", "");
        }
        return prefix + "-" + (cleaned.isEmpty() ? "" : cleaned + "-") + hash + "-" + time;
    }

    /** True for a string RDS takes as an identifier (any length). */
    public static boolean isValid(String identifier) {
        return identifier != null && VALID.matcher(identifier).matches();
    }

    /** Lower case, every run of other characters one hyphen, no leading or trailing hyphen. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                b.append((char) c);
            } else if (c >= 'A' && c <= 'Z') {
                b.append((char) (c + 32));
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        });
        return b.toString().replaceAll("^-+|-+$", "");
    }

    private static String hash(String s) {
        try {
            // the UTF-16 units, so lone surrogates hash distinctly too
            byte[] units = new byte[s.length() * 2];
            for (int i = 0; i < s.length(); i++) {
                units[2 * i] = (byte) (s.charAt(i) >> 8);
                units[2 * i + 1] = (byte) s.charAt(i);
            }
            byte[] d = MessageDigest.getInstance("SHA-256").digest(units);
            return "h" + HexFormat.of().formatHex(d).substring(0, HASH_CHARS - 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
