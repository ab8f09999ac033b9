package io.snapline.masking;

import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * Checkpoints in the pipeline ledger, one operation per unit, keyed by the business operation:
 * {@code mask#<cloneId>#<schema.table>#r<range>}, {@code mask#<cloneId>#<schema.table>#truncate},
 * {@code mask#<cloneId>#<schema.table>#done}, {@code mask#<cloneId>#verify}. A claim's lease must
 * outlast one unit of work (a range is a few seconds; the default lease is 15 minutes) and is what
 * keeps a second run off a unit while the first is alive; after a crash the unit is free again
 * once the lease lapses.
 */
public final class LedgerMaskingCheckpoints implements MaskingCheckpoints {

    /** The default lease of a claimed unit. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(15);

    private final Ledger ledger;
    private final Duration lease;

    public LedgerMaskingCheckpoints(Ledger ledger) {
        this(ledger, DEFAULT_LEASE);
    }

    public LedgerMaskingCheckpoints(Ledger ledger, Duration lease) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease of a masking unit must be positive");
        }
        this.lease = lease;
    }

    /** The ledger operation key of one unit. */
    public static String key(String cloneId, String unit) {
        return "mask#" + cloneId + "#" + unit;
    }

    @Override
    public Claim claim(String cloneId, String unit) {
        // Masking never marks a unit failed for good (a failed clone is deleted, not resumed), so a
        // FAILED record cannot be in the way; retryFailed makes sure of it.
        ClaimResult result = ledger.claim(key(cloneId, unit), lease, true);
        return switch (result.status()) {
            case ACQUIRED -> Claim.ACQUIRED;
            case ALREADY_DONE -> Claim.DONE;
            case IN_PROGRESS -> Claim.HELD;
            case FAILED -> throw new IllegalStateException("masking unit " + key(cloneId, unit)
                    + " is marked failed, which masking never does");
        };
    }

    @Override
    public void finished(String cloneId, String unit, String summary) {
        ledger.complete(key(cloneId, unit), summary);
    }

    @Override
    public boolean isFinished(String cloneId, String unit) {
        return ledger.operation(key(cloneId, unit)).map(r -> r.completed()).orElse(false);
    }

    @Override
    public void abandoned(String cloneId, String unit) {
        ledger.release(key(cloneId, unit));
    }
}
