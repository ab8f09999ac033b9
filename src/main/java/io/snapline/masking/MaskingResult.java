package io.snapline.masking;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a masking run did: per table, the rows it changed and how fast, and the verification that
 * followed (which passed, or {@link MaskingEngine#mask} would have thrown).
 */
public record MaskingResult(String cloneId, Flavour flavour, List<TableResult> tables, Verification verification,
                            Duration elapsed) {

    /** What happened to a table. */
    public enum Action { MASKED, TRUNCATED, KEPT, ALREADY_DONE }

    /**
     * One table.
     *
     * @param rows           rows this run changed (a truncated table: 0)
     * @param ranges         ranges the table was split into (0 when not masked by range)
     * @param rangesResumed  ranges skipped because an earlier run had finished them
     * @param columns        column to strategy, as masked
     */
    public record TableResult(TableName table, Action action, long rows, int ranges, int rangesResumed,
                              Duration elapsed, Map<String, String> columns) {

        public double rowsPerSecond() {
            return rate(rows, elapsed);
        }
    }

    public MaskingResult {
        tables = List.copyOf(tables);
    }

    /** Rows changed by this run in every table. */
    public long rowsMasked() {
        return tables.stream().mapToLong(TableResult::rows).sum();
    }

    /** Rows changed per second of the whole run (check and verification included). */
    public double rowsPerSecond() {
        return rate(rowsMasked(), elapsed);
    }

    static double rate(long rows, Duration d) {
        double seconds = d.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rows / seconds;
    }
}
