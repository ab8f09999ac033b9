package io.snapline.ledger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The pipeline ledger: what has been done, per snapshot and per operation.
 *
 * <p><b>Idempotency.</b> {@link #claim} is one conditional write keyed by the business operation
 * (e.g. {@code export#<snapshotArn>#<policy>}), never by the SQS message id. It succeeds when no
 * record exists, or the previous holder's lease has lapsed. A completed record is kept for the
 * configured TTL and answers {@link ClaimResult.Status#ALREADY_DONE} with the stored result; a
 * failed one answers {@link ClaimResult.Status#FAILED} with its reason.
 *
 * <p><b>Pipeline state.</b> {@link #recordStep} records each step a snapshot's pipeline reaches
 * (state, time, detail); {@link #pipelines(int)} lists them newest first.
 */
public interface Ledger extends AutoCloseable {

    /**
     * Claims an operation for the caller, with an in-progress lease that must be no longer than
     * the queue's visibility timeout. A lapsed lease is taken over; a live one answers
     * {@link ClaimResult.Status#IN_PROGRESS} with its end; a permanent failure answers
     * {@link ClaimResult.Status#FAILED} (see {@link #claim(String, Duration, boolean)}).
     */
    default ClaimResult claim(String operationKey, Duration lease) {
        return claim(operationKey, lease, false);
    }

    /**
     * As {@link #claim(String, Duration)}; with {@code retryFailed} a permanently failed operation
     * is claimed again (an operator's explicit retry: a redriven dead letter, a reconcile re-drive).
     */
    ClaimResult claim(String operationKey, Duration lease, boolean retryFailed);

    /** Marks a claimed operation done, storing a short result (e.g. an export task id). */
    void complete(String operationKey, String result);

    /**
     * Marks a claimed operation failed for good, with its reason. It stays failed (duplicates of
     * the event do not run it again, and nothing is notified twice) for the completed-record TTL,
     * unless a claim asks to retry failures.
     */
    void fail(String operationKey, String reason);

    /** Gives a claim up after a failure, so a retry can claim it at once. */
    void release(String operationKey);

    /** The operation's record, if any (completed or in progress). */
    Optional<OperationRecord> operation(String operationKey);

    /**
     * Records a step of a snapshot's pipeline. Later calls for the same step overwrite it.
     *
     * @param pipelineId         the snapshot ARN when known, else its identifier
     * @param snapshotIdentifier the snapshot identifier as users know it
     */
    default void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail) {
        recordStep(pipelineId, snapshotIdentifier, step, state, detail, false);
    }

    /**
     * As {@link #recordStep(String, String, String, StepState, String)}; {@code attempt} marks the record
     * as the end of one run of the step, which adds one to the step's attempt count.
     */
    void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                    boolean attempt);

    /** One pipeline by id (ARN) or by snapshot identifier. */
    Optional<Pipeline> pipeline(String idOrIdentifier);

    /** The most recently updated pipelines, newest first. */
    List<Pipeline> pipelines(int limit);

    /** Releases files or connections; the default has nothing to release. */
    @Override
    default void close() {
    }
}
