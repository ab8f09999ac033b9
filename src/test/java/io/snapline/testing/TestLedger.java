package io.snapline.testing;

import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.EmbeddedLedger;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.LedgerHealth;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger of the logic tests: the real {@link EmbeddedLedger} (which {@code LedgerContract} checks)
 * on a fresh temporary journal, with the test's clock, plus a flat history of every recorded step for
 * assertions. Not a second implementation of the ledger's rules: every call goes to the real one.
 */
public final class TestLedger implements Ledger {

    /** One recorded step, flat, for assertions. */
    public record StepRecord(String pipelineId, String identifier, String step, StepState state, String detail) {
    }

    public final List<StepRecord> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EmbeddedLedger delegate;

    public TestLedger() {
        this(Clock.systemUTC());
    }

    public TestLedger(Clock clock) {
        this(clock, Duration.ofDays(30));
    }

    /** With the completed-record TTL a test needs ({@code LedgerContract} checks expiry after one day). */
    public TestLedger(Clock clock, Duration completedTtl) {
        try {
            this.delegate = new EmbeddedLedger(Files.createTempDirectory("snapline-ledger").resolve("ledger.jsonl"),
                    completedTtl, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        return delegate.claim(operationKey, lease, retryFailed);
    }

    @Override
    public void complete(String operationKey, String result) {
        delegate.complete(operationKey, result);
    }

    @Override
    public void fail(String operationKey, String reason) {
        delegate.fail(operationKey, reason);
    }

    @Override
    public void release(String operationKey) {
        delegate.release(operationKey);
    }

    @Override
    public Optional<OperationRecord> operation(String operationKey) {
        return delegate.operation(operationKey);
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        steps.add(new StepRecord(pipelineId, snapshotIdentifier, step, state, detail));
        delegate.recordStep(pipelineId, snapshotIdentifier, step, state, detail, attempt);
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        return delegate.pipeline(idOrIdentifier);
    }

    @Override
    public io.snapline.ledger.PipelinePage pipelines(io.snapline.ledger.PipelineQuery query) {
        return delegate.pipelines(query);
    }

    @Override
    public LedgerHealth health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The recorded steps in a given state. */
    public List<StepRecord> steps(StepState state) {
        return steps.stream().filter(s -> s.state() == state).toList();
    }

    /** The latest state of one step of one pipeline. */
    public Optional<Pipeline.Step> step(String pipelineId, String step) {
        return pipeline(pipelineId).flatMap(p -> p.steps().stream().filter(s -> s.name().equals(step)).findFirst());
    }

    /** True when the operation completed. */
    public boolean completed(String key) {
        return operation(key).map(OperationRecord::completed).orElse(false);
    }

    /** True when the ledger holds any live record of the operation (in progress, done or failed). */
    public boolean held(String key) {
        return operation(key).isPresent();
    }

    /** A copy of the history, for tests that compare runs. */
    public List<StepRecord> history() {
        return new ArrayList<>(steps);
    }
}
