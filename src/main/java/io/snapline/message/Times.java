package io.snapline.message;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The times that events carry: RDS's {@code Event Time} ({@code yyyy-MM-dd HH:mm:ss.SSS}, UTC, no zone,
 * AWS-FACTS §1) and the ISO-8601 times of SNS {@code Timestamp}, EventBridge {@code time} and the
 * event details. A hand-written reader rather than {@code DateTimeFormatter}, because it runs on every
 * message and answers null instead of throwing.
 */
final class Times {

    private Times() {
    }

    /**
     * Parses {@code yyyy-MM-dd[T| ]HH:mm[:ss[.fraction]][Z|±hh[:]mm]}; no zone means UTC. Returns null
     * when the text is absent or not a time.
     */
    static Instant parse(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n < 16 || n > 40) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        char sep = s.charAt(10);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || s.charAt(4) != '-' || s.charAt(7) != '-'
                || (sep != 'T' && sep != 't' && sep != ' ') || s.charAt(13) != ':') {
            return null;
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, 17, 2);
            if (second < 0) {
                return null;
            }
            i = 19;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                int scale = 100_000_000;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    nano += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == start) {
                    return null;
                }
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int oh = digits(s, i + 1, 2);
                int j = i + 3;
                if (j < n && s.charAt(j) == ':') {
                    j++;
                }
                int om = digits(s, j, 2);
                if (oh < 0 || om < 0 || j + 2 != n || oh > 18 || om > 59) {
                    return null;
                }
                offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            } else {
                return null;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
