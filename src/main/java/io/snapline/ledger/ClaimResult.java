package io.snapline.ledger;

import java.util.Optional;

/** The answer to {@link Ledger#claim}. */
public record ClaimResult(Status status, Optional<String> result) {

    /** ACQUIRED: go ahead. ALREADY_DONE: completed before. IN_PROGRESS: someone else holds a live lease. */
    public enum Status { ACQUIRED, ALREADY_DONE, IN_PROGRESS }

    public static ClaimResult acquired() {
        return new ClaimResult(Status.ACQUIRED, Optional.empty());
    }

    public static ClaimResult alreadyDone(String result) {
        return new ClaimResult(Status.ALREADY_DONE, Optional.ofNullable(result));
    }

    public static ClaimResult inProgress() {
        return new ClaimResult(Status.IN_PROGRESS, Optional.empty());
    }
}
