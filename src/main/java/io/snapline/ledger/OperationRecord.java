package io.snapline.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One idempotency record. {@code expiresAt} is the lease end while in progress, the TTL once done
 * or failed. {@code result} is the stored result when done, the failure reason when failed.
 */
public record OperationRecord(String key, State state, Optional<String> result, Instant updatedAt, Instant expiresAt) {

    /** The life of an operation: claimed, then completed or failed for good. */
    public enum State { IN_PROGRESS, DONE, FAILED }

    public OperationRecord {
        Objects.requireNonNull(state, "state");
        result = result == null ? Optional.empty() : result;
    }

    public boolean completed() {
        return state == State.DONE;
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    public boolean inProgress() {
        return state == State.IN_PROGRESS;
    }
}
