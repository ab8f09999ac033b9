package io.snapline.handler;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler did with a message. Every status but {@link Status#RECHECK_LATER} deletes the
 * message. {@code RECHECK_LATER} is a durable timer: the consumer re-sends the same body with an
 * SQS delay (at most 15 minutes a hop) and deletes the original, so "not ready yet" never sleeps
 * in a handler and never burns the queue's receive count.
 */
public record Outcome(Status status, String reason, Optional<Duration> recheckAfter) {

    /**
     * The normal results of handling a message. ALREADY_FAILED: the work failed permanently before
     * and is not repeated for a duplicate (the first delivery is in the dead-letter queue with the
     * reason).
     */
    public enum Status { DONE, ALREADY_DONE, SKIPPED, ALREADY_FAILED, RECHECK_LATER }

    public Outcome {
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        recheckAfter = recheckAfter == null ? Optional.empty() : recheckAfter;
        if (status == Status.RECHECK_LATER && recheckAfter.isEmpty()) {
            throw new IllegalArgumentException("RECHECK_LATER needs a delay");
        }
    }

    public static Outcome done(String reason) {
        return new Outcome(Status.DONE, reason, Optional.empty());
    }

    public static Outcome alreadyDone(String reason) {
        return new Outcome(Status.ALREADY_DONE, reason, Optional.empty());
    }

    public static Outcome skipped(String reason) {
        return new Outcome(Status.SKIPPED, reason, Optional.empty());
    }

    public static Outcome alreadyFailed(String reason) {
        return new Outcome(Status.ALREADY_FAILED, reason, Optional.empty());
    }

    public static Outcome recheckLater(Duration after, String reason) {
        return new Outcome(Status.RECHECK_LATER, reason, Optional.of(after));
    }

    /** Label for metrics. */
    public String label() {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
