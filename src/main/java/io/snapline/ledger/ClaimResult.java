package io.snapline.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link Ledger#claim}.
 *
 * @param status     what the ledger holds for the operation
 * @param result     the stored result of a completed operation, or the reason of a failed one
 * @param leaseUntil when the holder's lease of an operation {@link Status#IN_PROGRESS} lapses (a claim
 *                   after that time takes it over)
 */
public record ClaimResult(Status status, Optional<String> result, Optional<Instant> leaseUntil) {

    /**
     * ACQUIRED: go ahead, the lease is yours. ALREADY_DONE: completed before. IN_PROGRESS: another
     * delivery holds a live lease until {@link #leaseUntil()}. FAILED: the operation failed
     * permanently before; it is not run again unless the claim asks to retry failures.
     */
    public enum Status { ACQUIRED, ALREADY_DONE, IN_PROGRESS, FAILED }

    public ClaimResult {
        Objects.requireNonNull(status, "status");
        result = result == null ? Optional.empty() : result;
        leaseUntil = leaseUntil == null ? Optional.empty() : leaseUntil;
    }

    public static ClaimResult acquired() {
        return new ClaimResult(Status.ACQUIRED, Optional.empty(), Optional.empty());
    }

    public static ClaimResult alreadyDone(String result) {
        return new ClaimResult(Status.ALREADY_DONE, Optional.ofNullable(result), Optional.empty());
    }

    public static ClaimResult inProgress(Instant leaseUntil) {
        return new ClaimResult(Status.IN_PROGRESS, Optional.empty(), Optional.of(leaseUntil));
    }

    public static ClaimResult failed(String reason) {
        return new ClaimResult(Status.FAILED, Optional.ofNullable(reason), Optional.empty());
    }
}
