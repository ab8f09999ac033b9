package io.snapline.handler;

import io.snapline.message.SnapshotCreated;

/**
 * A piece of work that runs "on snapshot created", beside the export step: the snapshot-created handler
 * (one handler for the kind, as the registry demands) runs its exports and then every participant, and
 * folds their outcomes into one answer for the message (a retryable failure of one part retries the
 * message; the parts that finished answer ALREADY_DONE on the retry, since each runs its steps through
 * the step runner). Cross-region copies are one.
 */
public interface SnapshotCreatedParticipant {

    /** The participant's name, for reasons and logs ({@code copies}). */
    String name();

    /**
     * False when the participant has nothing configured (no copy policy): it is then not asked, so the
     * message's outcome is the exports' alone, as without it.
     */
    boolean active();

    /**
     * Does this participant's work for the event; answers what it did, or throws as a handler does
     * ({@link io.snapline.error.PermanentProcessingException}, or anything else for a retry).
     */
    Outcome snapshotCreated(SnapshotCreated event);
}
