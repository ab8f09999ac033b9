package io.snapline.masking;

import io.snapline.masking.Dialect.ColumnMask;
import io.snapline.masking.LiveSchema.LiveTable;
import io.snapline.masking.MaskingResult.Action;
import io.snapline.masking.MaskingResult.TableResult;
import io.snapline.masking.MaskingSpec.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Masks one clone's database in place, as a {@link MaskingSpec} says, and verifies the result.
 *
 * <p><b>Contract.</b> {@link #check} holds a specification against the live schema and returns every
 * problem (nothing is changed). {@link #mask} checks first and refuses a specification with any
 * problem before a row is changed; then truncates, masks every listed column with set-based SQL in
 * ranges of the table's integer key (tables and ranges in parallel, one connection per worker),
 * and verifies. It returns only when verification found zero unmasked values; otherwise it throws
 * {@link UnmaskedDataException}. Columns the specification does not list are not touched.
 *
 * <p><b>Determinism.</b> The same value gets the same mask in every table and column of one clone
 * (same secret); another secret gives other masks. So a join on hashed columns still matches, and a
 * foreign key between two columns masked alike still holds (enforcement is off for the masking
 * session only: PostgreSQL {@code session_replication_role = replica}, MySQL
 * {@code foreign_key_checks = 0}).
 *
 * <p><b>Resuming.</b> Each range commits with its own progress row inside the clone, then is recorded
 * in {@link MaskingCheckpoints}. A call after a crash, with the same clone id and secret, skips
 * the finished ranges and never masks a range twice (a mask of a mask would differ from the mask).
 * The secret must be the same on every call for one clone; a different one is refused.
 *
 * <p>Failures: {@link MaskingSpecException} (specification or schema, permanent),
 * {@link MaskingBusyException} (retry later), {@link MaskingFailedException} (permanent),
 * {@link UnmaskedDataException} (verification, permanent).
 */
public final class MaskingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(MaskingEngine.class);
    private static final Pattern CLONE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

    /**
     * @param parallelism connections (and threads) masking at once: tables and ranges in parallel
     * @param batchRows   rows per range (the unit of commit and checkpoint)
     */
    public record Options(int parallelism, int batchRows) {

        public static final Options DEFAULTS = new Options(4, 50_000);

        public Options {
            if (parallelism < 1 || parallelism > 64) {
                throw new IllegalArgumentException("masking parallelism must be 1 to 64, not " + parallelism);
            }
            if (batchRows < 1) {
                throw new IllegalArgumentException("masking batch must be at least one row, not " + batchRows);
            }
        }
    }

    private final Flavour flavour;
    private final Dialect dialect;
    private final ConnectionSource connections;
    private final MaskingCheckpoints checkpoints;
    private final Options options;

    public MaskingEngine(Flavour flavour, ConnectionSource connections, MaskingCheckpoints checkpoints, Options options) {
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        this.dialect = Dialect.of(flavour);
        this.connections = Objects.requireNonNull(connections, "connections");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Holds a specification against the live database: every problem at once (missing tables or
     * columns, strategies the column types refuse, broken foreign keys, triggers, a session that
     * cannot switch foreign keys off), each naming the configuration key and its fix. Changes nothing.
     *
     * @return the problems; empty when {@link #mask} may run
     */
    public List<String> check(MaskingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try (Connection c = connections.open()) {
            return check(c, spec).problems;
        } catch (SQLException e) {
            throw MaskingFailedException.of("checking the masking specification against the clone", e);
        }
    }

    private record Checked(List<String> problems, LiveSchema schema) {
    }

    private Checked check(Connection c, MaskingSpec spec) throws SQLException {
        List<String> problems = new ArrayList<>();
        try {
            dialect.prepareMaskingSession(c);
        } catch (SQLException e) {
            problems.add("the masking session cannot turn foreign-key enforcement off (" + e.getMessage() + "); "
                    + (flavour == Flavour.POSTGRESQL ? "connect as the master user, which has rds_superuser"
                    : "connect as the master user"));
        }
        LiveSchema schema = dialect.read(c, spec);
        problems.addAll(SchemaCheck.problems(spec, schema, dialect));
        return new Checked(problems, schema);
    }

    /**
     * Masks the clone and verifies it.
     *
     * @param cloneId a clone identifier (letters, digits, hyphens, at most 63: an RDS identifier)
     * @param spec    the masking specification
     * @param secret  the per-clone secret, at least 16 random bytes, the same on every call for the clone
     * @return what was done, with the passed verification
     * @throws MaskingSpecException before any change, when the specification does not fit the database
     * @throws UnmaskedDataException when verification finds any value that is not a mask
     */
    public MaskingResult mask(String cloneId, MaskingSpec spec, byte[] secret) {
        requireCloneId(cloneId);
        Objects.requireNonNull(spec, "spec");
        MaskKeys keys = MaskKeys.derive(secret);
        long start = System.nanoTime();
        List<TableResult> results = new ArrayList<>();
        LiveSchema schema;
        try (Connection admin = connections.open()) {
            admin.setAutoCommit(true);
            Checked checked = check(admin, spec);
            if (!checked.problems.isEmpty()) {
                throw new MaskingSpecException(checked.problems);
            }
            schema = checked.schema;
            createProgress(admin);
            requireSameKey(admin, cloneId, keys);
            results.addAll(truncate(admin, cloneId, spec, schema));
            results.addAll(maskTables(admin, cloneId, spec, schema, keys));
            List<TableName> changed = results.stream()
                    .filter(r -> r.action() == Action.MASKED || r.action() == Action.TRUNCATED)
                    .map(TableResult::table).toList();
            if (!changed.isEmpty()) {
                try (Statement s = admin.createStatement()) {
                    s.execute(dialect.analyze(changed));
                }
            }
            for (TableResult r : results) {
                if (r.action() == Action.MASKED) {
                    checkpoints.finished(cloneId, r.table() + "#done", "rows=" + r.rows() + " ranges=" + r.ranges());
                }
            }
            dialect.dropProgress(admin, cloneId);
        } catch (SQLException e) {
            throw MaskingFailedException.of("masking clone " + cloneId, e);
        }
        Verification verification = verify(cloneId, spec, keys, schema);
        MaskingResult result = new MaskingResult(cloneId, flavour, results, verification,
                Duration.ofNanos(System.nanoTime() - start));
        LOG.info("masked clone {}: {} rows in {} table(s) in {} ms; {}", cloneId, result.rowsMasked(), results.size(),
                result.elapsed().toMillis(), verification.summary());
        return result;
    }

    /**
     * Verifies a masked clone: per masked column, counts the values that are not in the image of
     * the column's strategy under this clone's secret, and per truncated table the rows left. Records
     * the figures as the checkpoint unit {@code verify}. Changes nothing.
     *
     * @throws UnmaskedDataException when any figure is not zero
     */
    public Verification verify(String cloneId, MaskingSpec spec, byte[] secret) {
        requireCloneId(cloneId);
        MaskKeys keys = MaskKeys.derive(secret);
        LiveSchema schema;
        try (Connection c = connections.open()) {
            Checked checked = check(c, spec);
            if (!checked.problems.isEmpty()) {
                throw new MaskingSpecException(checked.problems);
            }
            schema = checked.schema;
        } catch (SQLException e) {
            throw MaskingFailedException.of("reading the clone's schema for verification", e);
        }
        return verify(cloneId, spec, keys, schema);
    }

    private Verification verify(String cloneId, MaskingSpec spec, MaskKeys keys, LiveSchema schema) {
        long start = System.nanoTime();
        List<TableSpec> tables = spec.tables().stream().filter(t -> t.truncate() || t.changesColumns()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), Math.max(1, tables.size())),
                r -> daemon(r, "masking-verify"));
        List<Verification.Check> checks = new ArrayList<>();
        try {
            List<Future<List<Verification.Check>>> futures = new ArrayList<>();
            for (TableSpec t : tables) {
                LiveTable live = schema.tables().get(resolved(t, schema));
                futures.add(pool.submit(() -> verifyTable(keys, t, live)));
            }
            for (Future<List<Verification.Check>> f : futures) {
                checks.addAll(await(f));
            }
        } finally {
            pool.shutdownNow();
        }
        Verification v = new Verification(cloneId, checks, Duration.ofNanos(System.nanoTime() - start));
        checkpoints.finished(cloneId, "verify", v.summary());
        if (!v.passed()) {
            LOG.error("clone {} failed masking verification: {}", cloneId, v.summary());
            throw new UnmaskedDataException(v);
        }
        return v;
    }

    private List<Verification.Check> verifyTable(MaskKeys keys, TableSpec t, LiveTable live) throws SQLException {
        try (Connection c = connections.open(); Statement s = c.createStatement()) {
            if (t.truncate()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + dialect.table(live.name()))) {
                    rs.next();
                    long rows = rs.getLong(1);
                    return List.of(new Verification.Check(live.name(), "*", "truncate", rows, rows, rows));
                }
            }
            List<ColumnMask> columns = dialect.resolve(t, live);
            Sql sql = dialect.verify(keys, live.name(), columns);
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                sql.bind(ps, null, null);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long rows = rs.getLong(1);
                    List<Verification.Check> out = new ArrayList<>();
                    for (int i = 0; i < columns.size(); i++) {
                        out.add(new Verification.Check(live.name(), columns.get(i).name(),
                                columns.get(i).strategy().spelling(), rows, rs.getLong(2 + 2 * i), rs.getLong(3 + 2 * i)));
                    }
                    return out;
                }
            }
        }
    }

    // ------------------------------------------------------------------ truncate

    private List<TableResult> truncate(Connection admin, String cloneId, MaskingSpec spec, LiveSchema schema)
            throws SQLException {
        List<TableResult> results = new ArrayList<>();
        List<TableName> toTruncate = new ArrayList<>();
        List<String> units = new ArrayList<>();
        long start = System.nanoTime();
        for (TableSpec t : spec.tables()) {
            if (!t.truncate()) {
                continue;
            }
            TableName name = schema.tables().get(resolved(t, schema)).name();
            String unit = name + "#truncate";
            switch (checkpoints.claim(cloneId, unit)) {
                case DONE -> results.add(new TableResult(name, Action.ALREADY_DONE, 0, 0, 0, Duration.ZERO, Map.of()));
                case HELD -> {
                    units.forEach(u -> checkpoints.abandoned(cloneId, u));
                    throw new MaskingBusyException("another run is truncating " + name + " of clone " + cloneId
                            + "; retry when its lease lapses");
                }
                case ACQUIRED -> {
                    toTruncate.add(name);
                    units.add(unit);
                }
            }
        }
        try (Statement s = admin.createStatement()) {
            for (String sql : dialect.truncate(toTruncate)) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            units.forEach(u -> checkpoints.abandoned(cloneId, u));
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        for (int i = 0; i < toTruncate.size(); i++) {
            checkpoints.finished(cloneId, units.get(i), "truncated");
            results.add(new TableResult(toTruncate.get(i), Action.TRUNCATED, 0, 0, 0, took, Map.of()));
        }
        return results;
    }

    // ------------------------------------------------------------------ masking

    /** One table being masked: its statements and its figures. */
    private final class TableWork {
        final TableName name;
        final Optional<String> key;
        final List<ColumnMask> columns;
        final Map<String, Sql> statements = new HashMap<>();
        final AtomicLong rows = new AtomicLong();
        final AtomicInteger resumed = new AtomicInteger();
        final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        int ranges;

        TableWork(TableName name, Optional<String> key, List<ColumnMask> columns, MaskKeys keys) {
            this.name = name;
            this.key = key;
            this.columns = columns;
            for (boolean lo : new boolean[] {false, true}) {
                for (boolean hi : new boolean[] {false, true}) {
                    statements.put(lo + "/" + hi, dialect.update(keys, name, key, columns, lo, hi));
                }
            }
        }

        Sql statement(Long lo, Long hi) {
            return statements.get((lo != null) + "/" + (hi != null));
        }

        TableResult result() {
            long first = firstStart.get();
            Duration took = first == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(lastEnd.get() - first);
            Map<String, String> shown = new LinkedHashMap<>();
            columns.forEach(c -> shown.put(c.name(), c.strategy().spelling()));
            return new TableResult(name, Action.MASKED, rows.get(), ranges, resumed.get(), took, shown);
        }
    }

    private record Range(TableWork table, int number, Long lo, Long hi) {
        String unit() {
            return table.name + "#r" + number;
        }
    }

    private List<TableResult> maskTables(Connection admin, String cloneId, MaskingSpec spec, LiveSchema schema,
                                         MaskKeys keys) throws SQLException {
        List<TableResult> results = new ArrayList<>();
        List<TableWork> work = new ArrayList<>();
        List<List<Range>> perTable = new ArrayList<>();
        List<TableSpec> tables = spec.tables().stream().filter(t -> !t.truncate())
                .sorted(Comparator.comparingLong((TableSpec t) -> -schema.tables().get(resolved(t, schema)).estimatedRows()))
                .toList();
        for (TableSpec t : tables) {
            LiveTable live = schema.tables().get(resolved(t, schema));
            if (!t.changesColumns()) {
                results.add(new TableResult(live.name(), Action.KEPT, 0, 0, 0, Duration.ZERO, Map.of()));
                continue;
            }
            if (checkpoints.isFinished(cloneId, live.name() + "#done")) {
                LOG.info("clone {}: {} was masked by an earlier run; skipped", cloneId, live.name());
                results.add(new TableResult(live.name(), Action.ALREADY_DONE, 0, 0, 0, Duration.ZERO, Map.of()));
                continue;
            }
            Optional<String> key = t.primaryKey().flatMap(pk -> live.column(pk, dialect.columnsIgnoreCase()))
                    .map(LiveSchema.LiveColumn::name).or(live::primaryKey);
            TableWork tw = new TableWork(live.name(), key, dialect.resolve(t, live), keys);
            List<Range> ranges = plan(admin, cloneId, tw);
            work.add(tw);
            perTable.add(ranges);
        }
        // interleave: the first range of every table, then the second, ... so tables proceed side by side
        ConcurrentLinkedQueue<Range> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; perTable.stream().anyMatch(l -> !l.isEmpty()); i++) {
            for (List<Range> l : perTable) {
                if (!l.isEmpty()) {
                    queue.add(l.remove(0));
                }
            }
        }
        run(cloneId, queue);
        work.forEach(w -> {
            if (w.resumed.get() > 0) {
                LOG.info("clone {}: {} resumed, {} of {} range(s) finished by an earlier run", cloneId, w.name,
                        w.resumed.get(), w.ranges);
            }
            results.add(w.result());
        });
        return results;
    }

    /** The table's ranges: those stored in the clone by an earlier run, or new ones; only the unfinished are returned. */
    private List<Range> plan(Connection admin, String cloneId, TableWork tw) throws SQLException {
        String tbl = tw.name.toString();
        List<Range> all = storedRanges(admin, cloneId, tw);
        if (all.isEmpty()) {
            List<Long> bounds = new ArrayList<>();
            if (tw.key.isPresent()) {
                try (PreparedStatement ps = admin.prepareStatement(dialect.boundaries(tw.name, tw.key.get()))) {
                    ps.setInt(1, options.batchRows());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            bounds.add(rs.getLong(1));
                        }
                    }
                }
            }
            admin.setAutoCommit(false);
            try (PreparedStatement ps = admin.prepareStatement("INSERT INTO " + Dialect.PROGRESS_SCHEMA
                    + ".ranges (clone_id, tbl, range_no, lo, hi, state) VALUES (?, ?, ?, ?, ?, 'pending')")) {
                for (int i = 0; i <= bounds.size(); i++) {
                    ps.setString(1, cloneId);
                    ps.setString(2, tbl);
                    ps.setInt(3, i);
                    setLong(ps, 4, i == 0 ? null : bounds.get(i - 1));
                    setLong(ps, 5, i == bounds.size() ? null : bounds.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
                admin.commit();
            } catch (SQLException e) {
                admin.rollback();
                all = storedRanges(admin, cloneId, tw); // planned at the same time by another run
                if (all.isEmpty()) {
                    throw e;
                }
            } finally {
                admin.setAutoCommit(true);
            }
            if (all.isEmpty()) {
                all = storedRanges(admin, cloneId, tw);
            }
        }
        tw.ranges = all.size();
        List<Range> pending = new ArrayList<>();
        for (Range r : all) {
            if (r.number() < 0) {
                tw.resumed.incrementAndGet();
            } else {
                pending.add(r);
            }
        }
        return pending;
    }

    /** The stored ranges in order; a finished one has a negative number. */
    private List<Range> storedRanges(Connection c, String cloneId, TableWork tw) throws SQLException {
        List<Range> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT range_no, lo, hi, state FROM " + Dialect.PROGRESS_SCHEMA
                + ".ranges WHERE clone_id = ? AND tbl = ? ORDER BY range_no")) {
            ps.setString(1, cloneId);
            ps.setString(2, tw.name.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(1);
                    Long lo = rs.getLong(2);
                    lo = rs.wasNull() ? null : lo;
                    Long hi = rs.getLong(3);
                    hi = rs.wasNull() ? null : hi;
                    out.add(new Range(tw, "done".equals(rs.getString(4)) ? -1 - n : n, lo, hi));
                }
            }
        }
        return out;
    }

    private void run(String cloneId, ConcurrentLinkedQueue<Range> queue) {
        if (queue.isEmpty()) {
            return;
        }
        int workers = Math.min(options.parallelism(), queue.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> daemon(r, "masking-" + cloneId));
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> {
                    try {
                        work(cloneId, queue, failed);
                    } catch (RuntimeException | SQLException e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    await(f);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void work(String cloneId, ConcurrentLinkedQueue<Range> queue, AtomicBoolean failed) throws SQLException {
        try (Connection c = connections.open()) {
            dialect.prepareMaskingSession(c);
            c.setAutoCommit(false);
            Map<Sql, PreparedStatement> prepared = new HashMap<>();
            try {
                Range r;
                while (!failed.get() && (r = queue.poll()) != null) {
                    String unit = r.unit();
                    switch (checkpoints.claim(cloneId, unit)) {
                        case DONE -> {
                            r.table().resumed.incrementAndGet();
                            continue;
                        }
                        case HELD -> throw new MaskingBusyException("another run is masking " + unit + " of clone "
                                + cloneId + "; retry when its lease lapses");
                        case ACQUIRED -> {
                        }
                    }
                    long rows;
                    try {
                        rows = maskRange(c, cloneId, r, prepared);
                    } catch (SQLException e) {
                        checkpoints.abandoned(cloneId, unit);
                        throw MaskingFailedException.of("masking " + unit, e);
                    } catch (RuntimeException e) {
                        checkpoints.abandoned(cloneId, unit);
                        throw e;
                    }
                    checkpoints.finished(cloneId, unit, rows < 0 ? "finished by an earlier run" : "rows=" + rows);
                }
            } finally {
                for (PreparedStatement ps : prepared.values()) {
                    ps.close();
                }
            }
        }
    }

    /** One range in one transaction with its progress row; -1 when the clone says it was finished already. */
    private long maskRange(Connection c, String cloneId, Range r, Map<Sql, PreparedStatement> prepared)
            throws SQLException {
        TableWork tw = r.table();
        long start = System.nanoTime();
        tw.firstStart.accumulateAndGet(start, Math::min);
        try {
            try (PreparedStatement mark = c.prepareStatement("UPDATE " + Dialect.PROGRESS_SCHEMA + ".ranges SET state = 'done'"
                    + " WHERE clone_id = ? AND tbl = ? AND range_no = ? AND state = 'pending'")) {
                mark.setString(1, cloneId);
                mark.setString(2, tw.name.toString());
                mark.setInt(3, r.number());
                if (mark.executeUpdate() == 0) {
                    c.rollback();
                    tw.resumed.incrementAndGet();
                    return -1;
                }
            }
            Sql sql = tw.statement(r.lo(), r.hi());
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql.text());
                prepared.put(sql, ps);
            }
            sql.bind(ps, r.lo(), r.hi());
            long rows = ps.executeLargeUpdate();
            try (PreparedStatement count = c.prepareStatement("UPDATE " + Dialect.PROGRESS_SCHEMA + ".ranges SET"
                    + " row_count = ? WHERE clone_id = ? AND tbl = ? AND range_no = ?")) {
                count.setLong(1, rows);
                count.setString(2, cloneId);
                count.setString(3, tw.name.toString());
                count.setInt(4, r.number());
                count.executeUpdate();
            }
            c.commit();
            tw.rows.addAndGet(rows);
            return rows;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            tw.lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Creates the progress tables; two runs starting at once may race on the DDL, so a failure is retried. */
    private void createProgress(Connection admin) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                dialect.createProgress(admin);
                return;
            } catch (SQLException e) {
                if (attempt == 5) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaskingBusyException("interrupted while masking", e);
        }
    }

    private void requireSameKey(Connection admin, String cloneId, MaskKeys keys) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                checkOrStoreKey(admin, cloneId, keys);
                return;
            } catch (SQLException e) {
                if (attempt == 3) {
                    throw e;
                }
                pause(attempt); // another run stored the fingerprint at the same moment: read it again
            }
        }
    }

    private void checkOrStoreKey(Connection admin, String cloneId, MaskKeys keys) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT key_fingerprint FROM " + Dialect.PROGRESS_SCHEMA
                + ".run WHERE clone_id = ?")) {
            ps.setString(1, cloneId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals(keys.fingerprint)) {
                        throw new MaskingFailedException("clone " + cloneId + " was partly masked with another secret;"
                                + " resume with the same secret (a second secret would break the joins), or delete the clone");
                    }
                    return;
                }
            }
        }
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO " + Dialect.PROGRESS_SCHEMA
                + ".run (clone_id, key_fingerprint) VALUES (?, ?)")) {
            ps.setString(1, cloneId);
            ps.setString(2, keys.fingerprint);
            ps.executeUpdate();
        }
    }

    private static TableName resolved(TableSpec t, LiveSchema schema) {
        return schema.defaultSchema() == null ? t.name() : t.name().inSchema(schema.defaultSchema());
    }

    private static void requireCloneId(String cloneId) {
        if (cloneId == null || !CLONE_ID.matcher(cloneId).matches()) {
            throw new IllegalArgumentException("clone id " + Identifiers.printable(cloneId)
                    + " must be 1 to 63 letters, digits or hyphens, starting with a letter or digit");
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, java.sql.Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaskingBusyException("interrupted while masking", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof SQLException se) {
                throw MaskingFailedException.of("masking", se);
            }
            throw new MaskingFailedException("masking failed: " + cause, cause);
        }
    }
}
