package io.snapline.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local-mode ledger: state in memory, every change appended to a JSON-lines journal so that it
 * survives a restart of the local service. One process owns the file; it is not meant to be shared.
 *
 * <p><b>Writing.</b> Each change is one line, serialized whole before anything is written (as
 * ASCII: every character outside it, lone surrogates included, is a JSON {@code \\uXXXX} escape,
 * so any string is kept exactly and no string can make the writer fail), then appended with one
 * write. The change is applied in memory only after the line is in the file (write-ahead): a
 * failed write leaves the ledger as it was, and the caller gets the exception. A write that fails
 * half-way is cut back off the file (or, if even that fails, the next line starts on a fresh line),
 * so one failure never damages the records around it. Before each write the ledger checks that the
 * path still names its file; a journal removed or replaced while the service runs is rewritten
 * from memory instead of being written to a file nobody will read again.
 *
 * <p><b>Health.</b> While the journal cannot be written, {@link #health()} is down with the
 * reason; the first write that succeeds again brings it back up.
 *
 * <p><b>Starting.</b> The journal is read as bytes, line by line: a line that is not valid UTF-8,
 * not JSON or not a ledger record (a torn write, a bad byte) is skipped and the others are kept;
 * one WARN names every skipped line with its cause, and the original file is kept beside the
 * journal as {@code <name>.corrupt-<time>} before the journal is rewritten (compacted) without it
 * and without expired records. Only a journal that cannot be read or written stops the start, with
 * a message that names which and why.
 *
 * <p>Lines carry {@code "v":2}: their keys are in {@link LedgerKeys stored form}. Lines without it,
 * from earlier versions, hold raw keys, which are mapped when read.
 */
public final class EmbeddedLedger implements Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLedger.class);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int FORMAT = 2;
    private static final int MAX_LINE_BYTES = 8 << 20;
    private static final int LISTED_BAD_LINES = 20;

    /** Opens the journal for appending. A seam: no real disk can be made to fail a write on demand. */
    @FunctionalInterface
    interface JournalChannels {
        FileChannel openForAppend(Path journal) throws IOException;
    }

    private final Path journal;
    private final Clock clock;
    private final Duration completedTtl;
    private final JournalChannels channels;
    private final String store;
    private final List<String> notices;
    /** By stored key ({@link LedgerKeys#of}). */
    private final Map<String, OperationRecord> operations = new ConcurrentHashMap<>();
    /** By stored pipeline id. */
    private final Map<String, MutablePipeline> pipelines = new ConcurrentHashMap<>();

    /** Held by every change (journal line and memory together) and by anything that swaps the file. */
    private final Object lock = new Object();
    private FileChannel out;
    /** The journal's length as this process wrote it: where a torn write is cut back to. */
    private long size;
    private Object fileKey;
    private boolean tornTail;
    private String journalProblem;
    private String writeProblem;
    private Instant downSince;
    private volatile LedgerHealth health;

    public EmbeddedLedger(Path journal, Duration completedTtl, Clock clock) {
        this(journal, completedTtl, clock,
                p -> FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    EmbeddedLedger(Path journal, Duration completedTtl, Clock clock, JournalChannels channels) {
        this.journal = journal;
        this.clock = clock;
        this.completedTtl = completedTtl;
        this.channels = channels;
        this.store = "embedded journal " + journal;
        Path dir = journal.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw startFailure("cannot create the journal's directory " + dir, e,
                    "create it, or point snapline.ledger.path at a file in a writable directory");
        }
        if (Files.isDirectory(journal)) {
            throw startFailure(journal + " is a directory", null, "point snapline.ledger.path at a file");
        }
        List<String> notes = new ArrayList<>();
        if (Files.exists(journal)) {
            if (!Files.isRegularFile(journal)) {
                throw startFailure(journal + " is not a regular file", null, "point snapline.ledger.path at a file");
            }
            List<String> bad;
            try {
                bad = replay();
            } catch (IOException e) {
                throw startFailure("cannot read the ledger journal " + journal, e,
                        "make it readable by the service's user");
            }
            if (!bad.isEmpty()) {
                Path copy;
                try {
                    copy = keepDamagedCopy();
                } catch (IOException e) {
                    throw startFailure("the ledger journal " + journal + " has " + bad.size()
                            + " unreadable line(s) and no copy of it can be kept in " + dir, e,
                            "make the directory writable by the service's user");
                }
                String notice = "ledger journal " + journal + ": skipped " + bad.size() + " unreadable line(s) ["
                        + String.join("; ", bad.subList(0, Math.min(bad.size(), LISTED_BAD_LINES)))
                        + (bad.size() > LISTED_BAD_LINES ? "; and " + (bad.size() - LISTED_BAD_LINES) + " more" : "")
                        + "]; the other records are kept, the journal is rewritten without these lines, and the "
                        + "original file is kept as " + copy;
                LOG.warn(notice);
                notes.add(notice);
            }
            try {
                compact();
            } catch (IOException e) {
                throw startFailure("cannot rewrite the ledger journal " + journal
                        + " (it is compacted at each start, through a temporary file in " + dir + ")", e,
                        "make the directory and the file writable by the service's user");
            }
        }
        try {
            open();
        } catch (IOException e) {
            throw startFailure("cannot open the ledger journal " + journal + " for appending", e,
                    "make it writable by the service's user, or point snapline.ledger.path at a writable file");
        }
        this.notices = List.copyOf(notes);
        this.health = LedgerHealth.up(store, notices);
    }

    private static IllegalStateException startFailure(String what, IOException cause, String fix) {
        return new IllegalStateException("snapline.ledger.path: " + what + (cause == null ? "" : " (" + describe(cause) + ")")
                + "; " + fix, cause);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    // ---- the Ledger ----

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        String key = LedgerKeys.of(operationKey);
        synchronized (lock) {
            Instant now = clock.instant();
            OperationRecord existing = operations.get(key);
            if (existing != null && existing.expiresAt().isAfter(now)) {
                switch (existing.state()) {
                    case DONE -> {
                        return ClaimResult.alreadyDone(existing.result().orElse(null));
                    }
                    case IN_PROGRESS -> {
                        return ClaimResult.inProgress(existing.expiresAt());
                    }
                    case FAILED -> {
                        if (!retryFailed) {
                            return ClaimResult.failed(existing.result().orElse(null));
                        }
                    }
                }
            }
            OperationRecord claimed = new OperationRecord(key, OperationRecord.State.IN_PROGRESS, Optional.empty(), now,
                    now.plus(lease));
            append(operationLine(claimed));
            operations.put(key, claimed);
            return ClaimResult.acquired();
        }
    }

    @Override
    public void complete(String operationKey, String result) {
        finish(operationKey, OperationRecord.State.DONE, LedgerValues.result(operationKey, result));
    }

    @Override
    public void fail(String operationKey, String reason) {
        finish(operationKey, OperationRecord.State.FAILED, LedgerValues.reason(reason));
    }

    private void finish(String operationKey, OperationRecord.State state, String result) {
        String key = LedgerKeys.of(operationKey);
        synchronized (lock) {
            Instant now = clock.instant();
            OperationRecord done = new OperationRecord(key, state, Optional.ofNullable(result), now, now.plus(completedTtl));
            append(operationLine(done));
            operations.put(key, done);
        }
    }

    @Override
    public void release(String operationKey) {
        String key = LedgerKeys.of(operationKey);
        synchronized (lock) {
            OperationRecord existing = operations.get(key);
            if (existing != null && existing.inProgress()) {
                append(JSON.createObjectNode().put("v", FORMAT).put("t", "release").put("key", key));
                operations.remove(key);
            }
        }
    }

    @Override
    public Optional<OperationRecord> operation(String operationKey) {
        OperationRecord record = operations.get(LedgerKeys.of(operationKey));
        if (record == null || !record.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new OperationRecord(operationKey, record.state(), record.result(), record.updatedAt(),
                record.expiresAt()));
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        String id = LedgerKeys.of(pipelineId);
        String identifier = LedgerKeys.of(snapshotIdentifier);
        String name = LedgerKeys.of(step);
        String kept = LedgerValues.detail(detail);
        synchronized (lock) {
            Instant now = clock.instant();
            MutablePipeline pipeline = pipelines.get(id);
            Pipeline.Step before = pipeline == null ? null : pipeline.step(name);
            int attempts = (before == null ? 0 : before.attempts()) + (attempt ? 1 : 0);
            Pipeline.Step recorded = new Pipeline.Step(name, state, now, kept, attempts);
            Instant firstSeen = pipeline == null ? now : pipeline.firstSeen;
            append(stepLine(id, identifier, firstSeen, recorded));
            apply(id, identifier, firstSeen, recorded);
        }
    }

    private void apply(String id, String identifier, Instant firstSeen, Pipeline.Step step) {
        pipelines.computeIfAbsent(id, k -> new MutablePipeline(id, identifier, firstSeen)).put(step);
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        Optional<Pipeline> found = find(LedgerKeys.of(idOrIdentifier));
        return found.isEmpty() && LedgerKeys.isDigested(idOrIdentifier) ? find(idOrIdentifier) : found;
    }

    private Optional<Pipeline> find(String stored) {
        MutablePipeline found = pipelines.get(stored);
        if (found == null) {
            found = pipelines.values().stream().filter(p -> p.identifier.equals(stored))
                    .max(Comparator.comparing(p -> p.updatedAt)).orElse(null);
        }
        return Optional.ofNullable(found).map(MutablePipeline::snapshot);
    }

    /** In memory: every pipeline is at hand, so the page is a sort and a filter, with no read budget. */
    @Override
    public PipelinePage pipelines(PipelineQuery query) {
        Optional<PipelineCursor> after = query.cursor().map(PipelineCursor::require);
        List<Pipeline> matching = pipelines.values().stream()
                .map(MutablePipeline::snapshot)
                .filter(p -> after.map(c -> c.before(p)).orElse(true))
                .filter(query::matches)
                .sorted(PipelineCursor.ORDER)
                .limit(query.limit() + 1L)
                .toList();
        if (matching.size() <= query.limit()) {
            return new PipelinePage(matching, Optional.empty());
        }
        List<Pipeline> page = matching.subList(0, query.limit());
        return new PipelinePage(page, Optional.of(PipelineCursor.of(page.get(page.size() - 1)).encode()));
    }

    /**
     * Down while the journal cannot be written. Checks that the path still names the journal (and
     * rewrites it from memory if it was removed), so a check can also bring the ledger back up.
     */
    @Override
    public LedgerHealth health() {
        synchronized (lock) {
            try {
                ensureJournal();
                journalProblem = null;
            } catch (IOException e) {
                journalProblem = "cannot write the ledger journal " + journal + " (" + describe(e) + ")";
            }
            updateHealth();
            return health;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                LOG.warn("closing the ledger journal {}: {}", journal, e.getMessage());
            }
        }
    }

    // ---- the journal ----

    private static ObjectNode operationLine(OperationRecord r) {
        ObjectNode line = JSON.createObjectNode().put("v", FORMAT).put("t", "op").put("key", r.key())
                .put("done", r.completed()).put("at", r.updatedAt().toEpochMilli()).put("exp", r.expiresAt().toEpochMilli());
        if (r.failed()) {
            line.put("failed", true);
        }
        r.result().ifPresent(v -> line.put("result", v));
        return line;
    }

    private static ObjectNode stepLine(String id, String identifier, Instant firstSeen, Pipeline.Step s) {
        return JSON.createObjectNode().put("v", FORMAT).put("t", "step").put("id", id).put("ident", identifier)
                .put("first", firstSeen.toEpochMilli()).put("step", s.name()).put("state", s.state().name())
                .put("detail", s.detail()).put("at", s.at().toEpochMilli()).put("n", s.attempts());
    }

    /** One whole line: ASCII JSON (so any string serializes) and its end of line. */
    private static byte[] serialize(JsonNode line) {
        try {
            return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (JsonProcessingException e) {
            // an ObjectNode of text, numbers and booleans always serializes; this is a bug, not bad input
            throw new IllegalStateException("cannot serialize a ledger record", e);
        }
    }

    /** Appends one line, or throws and leaves the file as it was; the caller applies the change after. */
    private void append(JsonNode line) {
        byte[] bytes = serialize(line);
        try {
            ensureJournal();
            journalProblem = null;
        } catch (IOException e) {
            journalProblem = "cannot write the ledger journal " + journal + " (" + describe(e) + ")";
            updateHealth();
            throw new UncheckedIOException(journalProblem, e);
        }
        try {
            writeWhole(bytes);
            writeProblem = null;
        } catch (IOException e) {
            writeProblem = "cannot append to the ledger journal " + journal + " (" + describe(e) + ")";
            updateHealth();
            throw new UncheckedIOException(writeProblem, e);
        }
        if (!health.up()) {
            updateHealth();
        }
    }

    private void writeWhole(byte[] bytes) throws IOException {
        if (tornTail) {
            size = out.size(); // the torn bytes that could not be cut off stay before the new line
        }
        ByteBuffer buffer = ByteBuffer.wrap(tornTail ? concat(new byte[] {'\n'}, bytes) : bytes);
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            size += buffer.limit();
            tornTail = false;
        } catch (IOException e) {
            try {
                out.truncate(size);
            } catch (IOException | RuntimeException cut) {
                tornTail = true; // cannot cut the torn part off: make sure the next line starts on its own
                e.addSuppressed(cut);
            }
            throw e;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * Makes sure the path still names the file being appended to. A journal removed or replaced
     * while the service runs would otherwise take every later record to a file that is gone at the
     * next start: it is rewritten from memory (a replacing file is first kept aside).
     */
    private void ensureJournal() throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(journal, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (now != null && now.isRegularFile() && (fileKey == null || fileKey.equals(now.fileKey()))) {
            return;
        }
        if (now != null && !now.isRegularFile()) {
            throw new IOException(journal + " is no longer a regular file");
        }
        String kept = "";
        if (now != null) {
            Path aside = freeSibling(".replaced-");
            Files.move(journal, aside);
            kept = "; the file found there is kept as " + aside;
        }
        LOG.warn("ledger journal {} was {} while the service ran; rewriting it from the ledger's {} operation(s) and "
                + "{} pipeline(s){}", journal, now == null ? "removed" : "replaced", operations.size(), pipelines.size(), kept);
        compact();
        open();
    }

    private void open() throws IOException {
        FileChannel opened = channels.openForAppend(journal);
        Object key;
        long length;
        try {
            key = Files.readAttributes(journal, BasicFileAttributes.class).fileKey();
            length = opened.size();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the replaced journal channel: {}", e.getMessage());
            }
        }
        out = opened;
        size = length;
        fileKey = key;
        tornTail = false;
    }

    private void updateHealth() {
        String problem = journalProblem != null ? journalProblem : writeProblem;
        boolean wasUp = health == null || health.up();
        if (problem == null) {
            if (!wasUp) {
                LOG.info("ledger journal {} is writable again; the ledger is up", journal);
            }
            downSince = null;
            health = LedgerHealth.up(store, notices);
            return;
        }
        if (wasUp) {
            downSince = clock.instant();
            LOG.error("the ledger is down: {}; claims fail (the service reports DOWN) until a write succeeds", problem);
        }
        health = LedgerHealth.down(store, problem, downSince, notices);
    }

    private Path freeSibling(String infix) {
        String base = journal.getFileName() + infix + STAMP.format(clock.instant());
        Path candidate = journal.resolveSibling(base);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = journal.resolveSibling(base + "-" + i);
        }
        return candidate;
    }

    private Path keepDamagedCopy() throws IOException {
        Path copy = freeSibling(".corrupt-");
        Files.copy(journal, copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** Rewrites the journal with only the live records, so it does not grow without bound. */
    private void compact() throws IOException {
        Instant now = clock.instant();
        Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
        try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16)) {
            for (OperationRecord r : operations.values()) {
                if (r.expiresAt().isAfter(now)) {
                    w.write(serialize(operationLine(r)));
                }
            }
            for (MutablePipeline p : pipelines.values()) {
                for (Pipeline.Step s : p.snapshot().steps()) {
                    w.write(serialize(stepLine(p.id, p.identifier, p.firstSeen, s)));
                }
            }
        }
        Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- replay ----

    /** Replays the journal into memory; answers one description per line skipped. */
    private List<String> replay() throws IOException {
        List<String> bad = new ArrayList<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = Files.newInputStream(journal)) {
            JournalLines.read(in, MAX_LINE_BYTES, (number, bytes, length, terminated, overlong) -> {
                String where = "line " + number + (terminated ? "" : " (the last, without an end of line)");
                if (overlong) {
                    bad.add(where + ": longer than " + MAX_LINE_BYTES + " bytes");
                    return;
                }
                String text;
                ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
                try {
                    CharBuffer chars = utf8.reset().decode(input);
                    text = chars.toString();
                } catch (CharacterCodingException e) {
                    bad.add(where + ": invalid UTF-8 at byte " + (input.position() + 1));
                    return;
                }
                if (text.isBlank()) {
                    return;
                }
                try {
                    replayLine(JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    bad.add(where + ": not JSON (" + SafeText.of(e.getOriginalMessage(), 120) + ")");
                } catch (RuntimeException e) {
                    bad.add(where + ": not a ledger record (" + SafeText.of(e.getMessage(), 120) + ")");
                }
            });
        }
        Instant now = clock.instant();
        operations.values().removeIf(r -> !r.expiresAt().isAfter(now));
        return bad;
    }

    private void replayLine(JsonNode line) {
        if (!line.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        boolean current = line.path("v").asInt(1) >= FORMAT;
        String type = text(line, "t");
        switch (type) {
            case "op" -> {
                String key = key(line, "key", current);
                OperationRecord.State state = line.path("failed").asBoolean(false) ? OperationRecord.State.FAILED
                        : bool(line, "done") ? OperationRecord.State.DONE : OperationRecord.State.IN_PROGRESS;
                Optional<String> result = Optional.ofNullable(line.get("result")).filter(JsonNode::isTextual)
                        .map(JsonNode::asText).map(r -> state == OperationRecord.State.FAILED ? LedgerValues.reason(r) : r);
                operations.put(key, new OperationRecord(key, state, result, instant(line, "at"), instant(line, "exp")));
            }
            case "release" -> operations.computeIfPresent(key(line, "key", current), (k, r) -> r.inProgress() ? null : r);
            case "step" -> {
                Instant at = instant(line, "at");
                Instant firstSeen = line.has("first") ? instant(line, "first") : at;
                String detail = text(line, "detail");
                Pipeline.Step step = new Pipeline.Step(key(line, "step", current), StepState.valueOf(text(line, "state")),
                        at, current ? detail : LedgerValues.detail(detail), line.path("n").asInt(0));
                apply(key(line, "id", current), key(line, "ident", current), firstSeen, step);
            }
            default -> throw new IllegalArgumentException("unknown record type '" + SafeText.of(type, 40) + "'");
        }
    }

    private static String key(JsonNode line, String field, boolean stored) {
        String value = text(line, field);
        return stored ? value : LedgerKeys.of(value);
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no text field '" + field + "'");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("no boolean field '" + field + "'");
        }
        return value.asBoolean();
    }

    private static Instant instant(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("no time field '" + field + "'");
        }
        return Instant.ofEpochMilli(value.asLong());
    }

    private static final class MutablePipeline {
        final String id;
        final String identifier;
        final Instant firstSeen;
        volatile Instant updatedAt;
        private final Map<String, Pipeline.Step> steps = new LinkedHashMap<>();

        MutablePipeline(String id, String identifier, Instant firstSeen) {
            this.id = id;
            this.identifier = identifier;
            this.firstSeen = firstSeen;
            this.updatedAt = firstSeen;
        }

        synchronized Pipeline.Step step(String name) {
            return steps.get(name);
        }

        synchronized void put(Pipeline.Step step) {
            steps.put(step.name(), step);
            updatedAt = step.at().isAfter(updatedAt) ? step.at() : updatedAt;
        }

        synchronized Pipeline snapshot() {
            return new Pipeline(id, identifier, firstSeen, updatedAt, new ArrayList<>(steps.values()));
        }
    }
}
