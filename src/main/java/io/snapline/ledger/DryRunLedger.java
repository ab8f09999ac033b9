package io.snapline.ledger;

import java.time.Duration;
import java.util.Optional;

/**
 * The ledger as seen by a dry run: operation keys get a {@code dry-run#} prefix, so that what a
 * dry run "did" never stops a later real run from doing it (a dry run against the deployed
 * DynamoDB table would otherwise mark exports as started); pipeline steps are recorded with a
 * {@code dry-run: } detail so {@code /pipelines} shows what would have happened, and a real run
 * overwrites them.
 */
public final class DryRunLedger implements Ledger {

    static final String PREFIX = "dry-run#";

    private final Ledger delegate;

    public DryRunLedger(Ledger delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        return delegate.claim(PREFIX + operationKey, lease, retryFailed);
    }

    @Override
    public void complete(String operationKey, String result) {
        delegate.complete(PREFIX + operationKey, result);
    }

    @Override
    public void fail(String operationKey, String reason) {
        delegate.fail(PREFIX + operationKey, reason);
    }

    @Override
    public void release(String operationKey) {
        delegate.release(PREFIX + operationKey);
    }

    @Override
    public Optional<OperationRecord> operation(String operationKey) {
        return delegate.operation(PREFIX + operationKey).map(r ->
                new OperationRecord(operationKey, r.state(), r.result(), r.updatedAt(), r.expiresAt()));
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        delegate.recordStep(pipelineId, snapshotIdentifier, step, state, "dry-run: " + (detail == null ? "" : detail),
                attempt);
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        return delegate.pipeline(idOrIdentifier);
    }

    @Override
    public PipelinePage pipelines(PipelineQuery query) {
        return delegate.pipelines(query);
    }

    /** The store's health: a dry run writes to it as a real run does. */
    @Override
    public LedgerHealth health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
