package io.snapline.testing;

import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link Ledger} for pruning's logic tests: claims with leases, steps per pipeline. */
public final class PruneTestLedger implements Ledger {

    /** One recorded step, flat, for assertions. */
    public record StepRecord(String pipelineId, String identifier, String step, StepState state, String detail) {
    }

    public final List<StepRecord> steps = new ArrayList<>();
    private final Map<String, OperationRecord> operations = new LinkedHashMap<>();

    @Override
    public synchronized ClaimResult claim(String operationKey, Duration lease) {
        OperationRecord r = operations.get(operationKey);
        Instant now = Instant.now();
        if (r != null && r.completed()) {
            return ClaimResult.alreadyDone(r.result().orElse(null));
        }
        if (r != null && r.expiresAt().isAfter(now)) {
            return ClaimResult.inProgress();
        }
        operations.put(operationKey, new OperationRecord(operationKey, false, Optional.empty(), now, now.plus(lease)));
        return ClaimResult.acquired();
    }

    @Override
    public synchronized void complete(String operationKey, String result) {
        Instant now = Instant.now();
        operations.put(operationKey, new OperationRecord(operationKey, true, Optional.ofNullable(result), now,
                now.plus(Duration.ofDays(30))));
    }

    @Override
    public synchronized void release(String operationKey) {
        operations.remove(operationKey);
    }

    @Override
    public synchronized Optional<OperationRecord> operation(String operationKey) {
        return Optional.ofNullable(operations.get(operationKey));
    }

    @Override
    public synchronized void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state,
                                        String detail) {
        steps.add(new StepRecord(pipelineId, snapshotIdentifier, step, state, detail));
    }

    @Override
    public synchronized Optional<Pipeline> pipeline(String idOrIdentifier) {
        List<Pipeline.Step> found = steps.stream()
                .filter(s -> s.pipelineId().equals(idOrIdentifier) || s.identifier().equals(idOrIdentifier))
                .map(s -> new Pipeline.Step(s.step(), s.state(), Instant.EPOCH, s.detail())).toList();
        return found.isEmpty() ? Optional.empty()
                : Optional.of(new Pipeline(idOrIdentifier, idOrIdentifier, Instant.EPOCH, Instant.EPOCH, found));
    }

    @Override
    public synchronized List<Pipeline> pipelines(int limit) {
        return List.of();
    }

    /** The steps in a given state. */
    public synchronized List<StepRecord> steps(StepState state) {
        return steps.stream().filter(s -> s.state() == state).toList();
    }
}
