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
 * configured TTL and answers {@link ClaimResult.Status#ALREADY_DONE} with the stored result.
 *
 * <p><b>Pipeline state.</b> {@link #recordStep} records each step a snapshot's pipeline reaches
 * (state, time, detail); {@link #pipelines(int)} lists them newest first.
 */
public interface Ledger extends AutoCloseable {

    /**
     * Claims an operation for the caller, with an in-progress lease that must be no longer than
     * the queue's visibility timeout.
     */
    ClaimResult claim(String operationKey, Duration lease);

    /** Marks a claimed operation done, storing a short result (e.g. an export task id). */
    void complete(String operationKey, String result);

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
    void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail);

    /** One pipeline by id (ARN) or by snapshot identifier. */
    Optional<Pipeline> pipeline(String idOrIdentifier);

    /** The most recently updated pipelines, newest first. */
    List<Pipeline> pipelines(int limit);

    /** Releases files or connections; the default has nothing to release. */
    @Override
    default void close() {
    }
}
