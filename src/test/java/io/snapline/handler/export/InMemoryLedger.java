package io.snapline.handler.export;

import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A small, thread-safe, in-memory {@link Ledger} with the contract's claim semantics. */
final class InMemoryLedger implements Ledger {

    private final Clock clock;
    private final Map<String, OperationRecord> ops = new ConcurrentHashMap<>();
    private final Map<String, MutablePipeline> pipelines = new LinkedHashMap<>();

    InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ClaimResult claim(String key, Duration lease) {
        Instant now = clock.instant();
        OperationRecord r = ops.get(key);
        if (r != null && r.completed()) {
            return ClaimResult.alreadyDone(r.result().orElse(null));
        }
        if (r != null && r.expiresAt().isAfter(now)) {
            return ClaimResult.inProgress();
        }
        ops.put(key, new OperationRecord(key, false, Optional.empty(), now, now.plus(lease)));
        return ClaimResult.acquired();
    }

    @Override
    public synchronized void complete(String key, String result) {
        Instant now = clock.instant();
        ops.put(key, new OperationRecord(key, true, Optional.ofNullable(result), now, now.plus(Duration.ofDays(30))));
    }

    @Override
    public synchronized void release(String key) {
        OperationRecord r = ops.get(key);
        if (r != null && !r.completed()) {
            ops.remove(key);
        }
    }

    @Override
    public Optional<OperationRecord> operation(String key) {
        return Optional.ofNullable(ops.get(key));
    }

    @Override
    public synchronized void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state,
                                        String detail) {
        Instant now = clock.instant();
        MutablePipeline p = pipelines.computeIfAbsent(pipelineId, id -> new MutablePipeline(id, snapshotIdentifier, now));
        p.updatedAt = now;
        p.steps.put(step, new Pipeline.Step(step, state, now, detail));
    }

    @Override
    public synchronized Optional<Pipeline> pipeline(String idOrIdentifier) {
        return pipelines.values().stream()
                .filter(p -> p.id.equals(idOrIdentifier) || p.snapshotIdentifier.equals(idOrIdentifier))
                .findFirst().map(MutablePipeline::snapshot);
    }

    @Override
    public synchronized List<Pipeline> pipelines(int limit) {
        return pipelines.values().stream()
                .sorted(Comparator.comparing((MutablePipeline p) -> p.updatedAt).reversed())
                .limit(limit).map(MutablePipeline::snapshot).toList();
    }

    /** The state of one step, for assertions. */
    Optional<Pipeline.Step> step(String pipelineId, String step) {
        return pipeline(pipelineId).flatMap(p -> p.steps().stream().filter(s -> s.name().equals(step)).findFirst());
    }

    boolean completed(String key) {
        return operation(key).map(OperationRecord::completed).orElse(false);
    }

    boolean held(String key) {
        return ops.containsKey(key);
    }

    private static final class MutablePipeline {
        final String id;
        final String snapshotIdentifier;
        final Instant firstSeen;
        Instant updatedAt;
        final Map<String, Pipeline.Step> steps = new LinkedHashMap<>();

        MutablePipeline(String id, String snapshotIdentifier, Instant firstSeen) {
            this.id = id;
            this.snapshotIdentifier = snapshotIdentifier;
            this.firstSeen = firstSeen;
            this.updatedAt = firstSeen;
        }

        Pipeline snapshot() {
            return new Pipeline(id, snapshotIdentifier, firstSeen, updatedAt, new ArrayList<>(steps.values()));
        }
    }
}
