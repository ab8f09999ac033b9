package io.snapline.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

/**
 * The local-mode ledger: state in memory, every change appended to a JSON-lines journal so that it
 * survives a restart of the local service. On start the journal is replayed and rewritten without
 * expired records. One process owns the file; it is not meant to be shared.
 */
public final class EmbeddedLedger implements Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final Clock clock;
    private final Duration completedTtl;
    private final Map<String, OperationRecord> operations = new ConcurrentHashMap<>();
    private final Map<String, MutablePipeline> pipelines = new ConcurrentHashMap<>();
    private BufferedWriter out;

    public EmbeddedLedger(Path journal, Duration completedTtl, Clock clock) {
        this.journal = journal;
        this.clock = clock;
        this.completedTtl = completedTtl;
        try {
            Path parent = journal.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(journal)) {
                replay();
                compact();
            }
            out = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("snapline.ledger.path: cannot use the ledger journal " + journal
                    + " (" + e.getMessage() + "); point it at a writable file", e);
        }
    }

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        Instant now = clock.instant();
        ClaimResult[] result = new ClaimResult[1];
        operations.compute(operationKey, (key, existing) -> {
            if (existing != null && existing.expiresAt().isAfter(now)) {
                switch (existing.state()) {
                    case DONE -> {
                        result[0] = ClaimResult.alreadyDone(existing.result().orElse(null));
                        return existing;
                    }
                    case IN_PROGRESS -> {
                        result[0] = ClaimResult.inProgress(existing.expiresAt());
                        return existing;
                    }
                    case FAILED -> {
                        if (!retryFailed) {
                            result[0] = ClaimResult.failed(existing.result().orElse(null));
                            return existing;
                        }
                    }
                }
            }
            OperationRecord claimed = new OperationRecord(key, OperationRecord.State.IN_PROGRESS, Optional.empty(), now,
                    now.plus(lease));
            write(operationLine(claimed));
            result[0] = ClaimResult.acquired();
            return claimed;
        });
        return result[0];
    }

    @Override
    public void complete(String operationKey, String result) {
        finish(operationKey, OperationRecord.State.DONE, result);
    }

    @Override
    public void fail(String operationKey, String reason) {
        finish(operationKey, OperationRecord.State.FAILED, reason);
    }

    private void finish(String operationKey, OperationRecord.State state, String result) {
        Instant now = clock.instant();
        OperationRecord done = new OperationRecord(operationKey, state, Optional.ofNullable(result), now,
                now.plus(completedTtl));
        operations.put(operationKey, done);
        write(operationLine(done));
    }

    @Override
    public void release(String operationKey) {
        OperationRecord removed = operations.computeIfPresent(operationKey, (k, r) -> r.inProgress() ? null : r);
        if (removed == null) {
            ObjectNode line = JSON.createObjectNode().put("t", "release").put("key", operationKey);
            write(line);
        }
    }

    @Override
    public Optional<OperationRecord> operation(String operationKey) {
        OperationRecord record = operations.get(operationKey);
        return record == null || !record.expiresAt().isAfter(clock.instant()) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        Instant now = clock.instant();
        Pipeline.Step recorded = applyStep(pipelineId, snapshotIdentifier, step, state, detail == null ? "" : detail, now,
                attempt ? -1 : 0);
        write(stepLine(pipelineId, snapshotIdentifier, recorded));
    }

    /**
     * Applies a step record. {@code attempts} is the absolute count read from the journal, or -1 to
     * add one to the current count, or 0 to keep it.
     */
    private Pipeline.Step applyStep(String id, String identifier, String step, StepState state, String detail, Instant at,
                                    int attempts) {
        Pipeline.Step[] recorded = new Pipeline.Step[1];
        pipelines.compute(id, (k, p) -> {
            MutablePipeline pipeline = p == null ? new MutablePipeline(id, identifier, at) : p;
            synchronized (pipeline) {
                Pipeline.Step before = pipeline.steps.get(step);
                int count = attempts > 0 ? attempts
                        : (before == null ? 0 : before.attempts()) + (attempts < 0 ? 1 : 0);
                recorded[0] = new Pipeline.Step(step, state, at, detail, count);
                pipeline.steps.put(step, recorded[0]);
                pipeline.updatedAt = at.isAfter(pipeline.updatedAt) ? at : pipeline.updatedAt;
            }
            return pipeline;
        });
        return recorded[0];
    }

    private static ObjectNode stepLine(String id, String identifier, Pipeline.Step s) {
        return JSON.createObjectNode().put("t", "step").put("id", id).put("ident", identifier).put("step", s.name())
                .put("state", s.state().name()).put("detail", s.detail()).put("at", s.at().toEpochMilli())
                .put("n", s.attempts());
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        MutablePipeline found = pipelines.get(idOrIdentifier);
        if (found == null) {
            found = pipelines.values().stream().filter(p -> p.identifier.equals(idOrIdentifier))
                    .max(Comparator.comparing(p -> p.updatedAt)).orElse(null);
        }
        return Optional.ofNullable(found).map(MutablePipeline::snapshot);
    }

    @Override
    public List<Pipeline> pipelines(int limit) {
        return pipelines.values().stream()
                .map(MutablePipeline::snapshot)
                .sorted(Comparator.comparing(Pipeline::updatedAt).reversed().thenComparing(Pipeline::id))
                .limit(limit)
                .toList();
    }

    private ObjectNode operationLine(OperationRecord r) {
        ObjectNode line = JSON.createObjectNode().put("t", "op").put("key", r.key()).put("done", r.completed())
                .put("at", r.updatedAt().toEpochMilli()).put("exp", r.expiresAt().toEpochMilli());
        if (r.failed()) {
            line.put("failed", true);
        }
        r.result().ifPresent(v -> line.put("result", v));
        return line;
    }

    private synchronized void write(JsonNode line) {
        try {
            out.write(JSON.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the ledger journal " + journal, e);
        }
    }

    private void replay() throws IOException {
        int bad = 0;
        for (String text : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (text.isBlank()) {
                continue;
            }
            try {
                JsonNode line = JSON.readTree(text);
                switch (line.path("t").asText()) {
                    case "op" -> operations.put(line.get("key").asText(), new OperationRecord(line.get("key").asText(),
                            line.path("failed").asBoolean(false) ? OperationRecord.State.FAILED
                                    : line.get("done").asBoolean() ? OperationRecord.State.DONE
                                    : OperationRecord.State.IN_PROGRESS,
                            Optional.ofNullable(line.get("result")).map(JsonNode::asText),
                            Instant.ofEpochMilli(line.get("at").asLong()), Instant.ofEpochMilli(line.get("exp").asLong())));
                    case "release" -> operations.computeIfPresent(line.get("key").asText(), (k, r) -> r.inProgress() ? null : r);
                    case "step" -> applyStep(line.get("id").asText(), line.get("ident").asText(), line.get("step").asText(),
                            StepState.valueOf(line.get("state").asText()), line.get("detail").asText(),
                            Instant.ofEpochMilli(line.get("at").asLong()), line.path("n").asInt(0));
                    default -> bad++;
                }
            } catch (IOException | RuntimeException e) {
                bad++; // a torn last line after a crash: skip it, keep the rest
            }
        }
        if (bad > 0) {
            LOG.warn("ledger journal {}: skipped {} unreadable line(s)", journal, bad);
        }
        Instant now = clock.instant();
        operations.values().removeIf(r -> !r.expiresAt().isAfter(now));
    }

    /** Rewrites the journal with only the live records, so it does not grow without bound. */
    private void compact() throws IOException {
        Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (OperationRecord r : operations.values()) {
                w.write(JSON.writeValueAsString(operationLine(r)));
                w.write('\n');
            }
            for (MutablePipeline p : pipelines.values()) {
                for (Pipeline.Step s : p.steps.values()) {
                    w.write(JSON.writeValueAsString(stepLine(p.id, p.identifier, s)));
                    w.write('\n');
                }
            }
        }
        Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing the ledger journal {}: {}", journal, e.getMessage());
        }
    }

    private static final class MutablePipeline {
        final String id;
        final String identifier;
        final Instant firstSeen;
        volatile Instant updatedAt;
        final Map<String, Pipeline.Step> steps = new LinkedHashMap<>();

        MutablePipeline(String id, String identifier, Instant firstSeen) {
            this.id = id;
            this.identifier = identifier;
            this.firstSeen = firstSeen;
            this.updatedAt = firstSeen;
        }

        synchronized Pipeline snapshot() {
            return new Pipeline(id, identifier, firstSeen, updatedAt, new ArrayList<>(steps.values()));
        }
    }
}
