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
 *
 * <p><b>Any string is safe.</b> Keys and values may hold anything a message can carry (lone
 * surrogates, NUL, line breaks, {@code ..}, {@code :}, 256 KiB): every store keeps them by the same
 * rules, so they read back the same from each. Operation keys are found again under the same key
 * and two different keys never share a record; pipeline ids, snapshot identifiers and step names
 * read back in their {@link LedgerKeys stored form} (the string itself, for every well-formed
 * identifier); results read back exactly; reasons and details are kept as bounded display text
 * ({@link LedgerValues}).
 *
 * <p><b>Write-ahead.</b> A method that records something either makes it durable in the store and
 * then answers, or throws and leaves the ledger's state as it was: a failed write is never half
 * applied, and never stops later writes from succeeding once the store can write again. While the
 * store cannot write, {@link #health()} says so and why.
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

    /**
     * Marks a claimed operation done, storing its result (e.g. an export task id), which a later
     * claim answers exactly as given.
     *
     * @throws IllegalArgumentException for a result over {@link LedgerValues#MAX_RESULT_BYTES}; nothing is written
     */
    void complete(String operationKey, String result);

    /**
     * Marks a claimed operation failed for good, with its reason. It stays failed (duplicates of
     * the event do not run it again, and nothing is notified twice) for the completed-record TTL,
     * unless a claim asks to retry failures.
     */
    void fail(String operationKey, String reason);

    /** Gives a claim up after a failure, so a retry can claim it at once. */
    void release(String operationKey);

    /** The operation's record, if any (in progress, completed or failed); its {@code key()} is the key asked for. */
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

    /** The most recently updated pipelines, newest first (the first page of {@link #pipelines(PipelineQuery)}). */
    default List<Pipeline> pipelines(int limit) {
        return pipelines(PipelineQuery.first(limit)).pipelines();
    }

    /**
     * One page of pipelines, newest first (by update time, then id), matching the query's search
     * and filter, starting after its cursor. Served from an index, never a scan of the store.
     *
     * @throws IllegalArgumentException for a cursor this ledger did not write
     */
    PipelinePage pipelines(PipelineQuery query);

    /**
     * Whether the ledger can write now, and if not, why and since when. A ledger that cannot write
     * makes the service unhealthy ({@code /health} DOWN) rather than letting every message retry
     * into the dead-letter queue. Cheap enough for every health check; it may repair what it can
     * (the embedded journal rewrites a journal file removed while the service ran).
     */
    LedgerHealth health();

    /** Releases files or connections; the default has nothing to release. */
    @Override
    default void close() {
    }
}
