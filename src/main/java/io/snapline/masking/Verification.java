package io.snapline.masking;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The figures of a verification pass: per masked column, the rows whose value is not in the image
 * of its strategy under this clone's key (see {@code docs/masking.md}); per truncated table, the
 * rows left. It passes only when every figure is zero.
 */
public record Verification(String cloneId, List<Check> checks, Duration elapsed) {

    /**
     * One column (or one truncated table, with column {@code *}).
     *
     * @param rows     rows in the table
     * @param values   non-null values in the column (rows, for a truncated table)
     * @param unmasked values that are not masks (rows left, for a truncated table)
     */
    public record Check(TableName table, String column, String strategy, long rows, long values, long unmasked) {
    }

    public Verification {
        checks = List.copyOf(checks);
    }

    /** All values found unmasked. */
    public long unmasked() {
        return checks.stream().mapToLong(Check::unmasked).sum();
    }

    public boolean passed() {
        return unmasked() == 0;
    }

    /** A one-line account, e.g. for the ledger and a notification: the failing columns named. */
    public String summary() {
        if (passed()) {
            return "verified " + checks.size() + " column(s), 0 unmasked values";
        }
        return unmasked() + " unmasked value(s): " + checks.stream().filter(c -> c.unmasked() > 0)
                .map(c -> c.table() + "." + c.column() + " (" + c.strategy() + ") " + c.unmasked() + " of " + c.values())
                .collect(Collectors.joining(", "));
    }
}
