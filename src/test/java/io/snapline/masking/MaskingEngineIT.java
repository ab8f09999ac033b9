package io.snapline.masking;

import io.snapline.ledger.EmbeddedLedger;
import io.snapline.masking.TestDatabases.Database;
import io.snapline.testing.MemoryLedgers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.snapline.masking.MaskingFixtures.OTHER_SECRET;
import static io.snapline.masking.MaskingFixtures.PEOPLE_SPEC;
import static io.snapline.masking.MaskingFixtures.SECRET;
import static io.snapline.masking.MaskingFixtures.count;
import static io.snapline.masking.MaskingFixtures.createPeople;
import static io.snapline.masking.MaskingFixtures.engine;
import static io.snapline.masking.MaskingFixtures.expected;
import static io.snapline.masking.MaskingFixtures.fillPeople;
import static io.snapline.masking.MaskingFixtures.key;
import static io.snapline.masking.MaskingFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The masking engine against real PostgreSQL and MariaDB servers that the tests start themselves. */
class MaskingEngineIT {

    private static LedgerMaskingCheckpoints checkpoints() {
        return new LedgerMaskingCheckpoints(MemoryLedgers.fresh());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_writesEveryStrategyExactlyAsSpecified_andHostileValuesSurvive(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        createPeople(db);
        fillPeople(db, 40);
        db.exec("CREATE TABLE audit_log (id " + key(flavour) + ", payload text)",
                "INSERT INTO audit_log (payload) VALUES ('alice@corp.com'), ('bob@corp.com')");
        MaskingSpec spec = MaskingSpec.parseJson("spec", PEOPLE_SPEC.replace("}}}}", "}}, \"audit_log\": \"truncate\"}}"));
        Map<Long, Map<String, String>> before = rows(db, "people");
        String statistics = "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'people'"
                + " AND (most_common_vals::text LIKE '%gold%' OR histogram_bounds::text LIKE '%person1%')";
        if (flavour == Flavour.POSTGRESQL) {
            db.exec("ANALYZE people");
            assertThat(count(db, statistics)).isPositive();
        }

        MaskingResult result = engine(db, checkpoints(), 2, 7).mask(db.cloneId(), spec, SECRET);

        assertThat(rows(db, "people")).isEqualTo(expected(before, spec, "people", SECRET));
        assertThat(count(db, "SELECT COUNT(*) FROM audit_log")).isZero();
        assertThat(result.verification().passed()).isTrue();
        assertThat(result.rowsMasked()).isEqualTo(before.size());
        if (flavour == Flavour.POSTGRESQL) {
            // the planner statistics, readable by whoever may read the table, no longer show original values
            assertThat(count(db, statistics)).isZero();
        }
        MaskingResult.TableResult people = result.tables().stream()
                .filter(t -> t.table().table().equals("people")).findFirst().orElseThrow();
        assertThat(people.ranges()).isEqualTo(before.size() / 7 + 1);
        assertThat(people.columns()).containsEntry("email", "fake:email").doesNotContainKey("city");
        assertThat(result.verification().checks()).filteredOn(c -> c.column().equals("email")).singleElement()
                .satisfies(c -> {
                    assertThat(c.rows()).isEqualTo(before.size());
                    assertThat(c.values()).isEqualTo(before.size() - 1);
                    assertThat(c.unmasked()).isZero();
                });
        // the progress the engine kept inside the clone is gone
        assertThat(db.progressRows()).isZero();
        if (flavour == Flavour.POSTGRESQL) {
            assertThat(count(db, "SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'snapline_masking'")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_givesTheSameValueTheSameMaskInEveryTable_soJoinsMatch_andAnotherSecretOtherMasks(Flavour flavour)
            throws Exception {
        Database db = TestDatabases.create(flavour);
        Database other = TestDatabases.create(flavour);
        for (Database d : List.of(db, other)) {
            d.exec("CREATE TABLE customers (id " + key(flavour) + ", email varchar(200), contact varchar(200))",
                    "CREATE TABLE orders (id " + key(flavour) + ", customer_email varchar(200), amount integer)",
                    "INSERT INTO customers (email, contact) VALUES ('a@x.example', 'b@x.example'), ('b@x.example', NULL),"
                            + " ('c@x.example', 'a@x.example')",
                    "INSERT INTO orders (customer_email, amount) VALUES ('a@x.example', 1), ('b@x.example', 2),"
                            + " ('a@x.example', 3), ('zz@x.example', 4)");
        }
        MaskingSpec spec = MaskingSpec.parseJson("spec", """
                {"tables": {"customers": {"columns": {"email": "hash", "contact": "hash"}},
                            "orders": {"columns": {"customer_email": "hash"}}}}""");
        String join = "SELECT COUNT(*) FROM orders o JOIN customers c ON c.email = o.customer_email";
        assertThat(count(db, join)).isEqualTo(3);

        engine(db, checkpoints(), 3, 2).mask("clone-a", spec, SECRET);
        engine(other, checkpoints(), 3, 2).mask("clone-b", spec, OTHER_SECRET);

        assertThat(count(db, join)).isEqualTo(3);
        assertThat(count(db, "SELECT COUNT(*) FROM customers c JOIN customers d ON d.contact = c.email")).isEqualTo(2);
        assertThat(count(db, "SELECT COUNT(*) FROM orders WHERE customer_email LIKE '%@x.example'")).isZero();
        Map<Long, Map<String, String>> a = rows(db, "customers");
        Map<Long, Map<String, String>> b = rows(other, "customers");
        assertThat(a.get(1L).get("email")).isEqualTo(a.get(3L).get("contact"))
                .isEqualTo(ReferenceMasks.mask(SECRET, Strategy.of(Strategy.Kind.HASH), "a@x.example"))
                .isNotEqualTo(b.get(1L).get("email"));
        assertThat(b.get(1L).get("email")).isEqualTo(ReferenceMasks.mask(OTHER_SECRET, Strategy.of(Strategy.Kind.HASH),
                "a@x.example"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_keepsForeignKeysBetweenColumnsMaskedAlike_evenWithOnUpdateCascade(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        db.exec("CREATE TABLE accounts (id " + key(flavour) + ", email varchar(200) NOT NULL UNIQUE, name varchar(100))",
                "CREATE TABLE logins (id " + key(flavour) + ", account_email varchar(200),"
                        + " CONSTRAINT logins_account FOREIGN KEY (account_email) REFERENCES accounts (email)"
                        + " ON UPDATE CASCADE)",
                "INSERT INTO accounts (email, name) VALUES ('ann@corp.example', 'Ann'), ('bo@corp.example', 'Bo')",
                "INSERT INTO logins (account_email) VALUES ('ann@corp.example'), ('ann@corp.example'),"
                        + " ('bo@corp.example'), (NULL)");
        MaskingSpec spec = MaskingSpec.parseJson("spec", """
                {"tables": {"accounts": {"columns": {"email": "fake:email", "name": "fake:name"}},
                            "logins": {"columns": {"account_email": "fake:email"}}}}""");

        engine(db, checkpoints(), 2, 1).mask("clone-fk", spec, SECRET);

        String ann = ReferenceMasks.mask(SECRET, Strategy.of(Strategy.Kind.FAKE_EMAIL), "ann@corp.example");
        // masked exactly once on each side: a cascade would have masked the referencing side twice
        assertThat(count(db, "SELECT COUNT(*) FROM logins WHERE account_email = '" + ann + "'")).isEqualTo(2);
        assertThat(count(db, "SELECT COUNT(*) FROM logins l LEFT JOIN accounts a ON a.email = l.account_email"
                + " WHERE l.account_email IS NOT NULL AND a.id IS NULL")).isZero();
        // the constraint is intact and enforced again for ordinary sessions
        assertThatThrownBy(() -> db.exec("INSERT INTO logins (account_email) VALUES ('nobody@corp.example')"))
                .hasMessageContaining("logins_account");
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_refusesASpecNamingAMissingTableOrColumn_beforeChangingAnyRow(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        createPeople(db);
        fillPeople(db, 5);
        Map<Long, Map<String, String>> before = rows(db, "people");
        MaskingSpec spec = MaskingSpec.parseJson("snapline.clones.prod.masking", """
                {"tables": {"people": {"columns": {"email": "fake:email", "emial": "hash"}},
                            "invoices": {"columns": {"iban": "hash"}}}}""");

        MaskingEngine engine = engine(db, checkpoints(), 2, 2);
        assertThat(engine.check(spec)).containsExactlyInAnyOrder(
                "snapline.clones.prod.masking.tables.people.columns.emial: column emial does not exist in "
                        + db.defaultSchema() + ".people; fix the name or remove the entry",
                "snapline.clones.prod.masking.tables.invoices: table " + db.defaultSchema()
                        + ".invoices does not exist in the clone; fix the name or remove the entry");
        assertThatThrownBy(() -> engine.mask(db.cloneId(), spec, SECRET))
                .isInstanceOf(MaskingSpecException.class)
                .hasMessageContaining("tables.people.columns.emial").hasMessageContaining("tables.invoices");

        assertThat(rows(db, "people")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void check_namesEveryStrategyTheSchemaCannotTake_atOnce(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        db.exec("CREATE TABLE accounts (id " + key(flavour) + ", email varchar(200) UNIQUE, nick varchar(50) UNIQUE,"
                        + " born date, short_code varchar(10), must text NOT NULL, Mixed varchar(200))",
                "CREATE TABLE sessions (id " + key(flavour) + ", account_email varchar(200) REFERENCES accounts (email))",
                "CREATE TABLE parents (id " + key(flavour) + ")",
                "CREATE TABLE children (id " + key(flavour) + ", parent_id bigint REFERENCES parents (id))");
        if (flavour == Flavour.MYSQL) {
            db.exec("CREATE TRIGGER accounts_audit BEFORE UPDATE ON accounts FOR EACH ROW SET NEW.nick = OLD.nick");
        } else {
            db.exec("CREATE FUNCTION keep_nick() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.nick := OLD.nick;"
                            + " RETURN NEW; END $$",
                    "CREATE TRIGGER accounts_audit BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION keep_nick()",
                    "ALTER TABLE accounts ENABLE ALWAYS TRIGGER accounts_audit");
        }
        MaskingSpec spec = MaskingSpec.parseJson("p", """
                {"tables": {"accounts": {"columns": {"email": "hash", "nick": "fake:name", "born": "fake:email",
                   "short_code": "hash", "must": "null", "id": "hash"}},
                   "parents": "truncate"}}""");

        List<String> problems = engine(db, checkpoints(), 1, 10).check(spec);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts: ").contains("accounts_audit"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.nick: ")
                .contains("unique index"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.born: ")
                .contains("writes text"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.short_code: ")
                .contains("up to 32 characters"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.must: ")
                .contains("NOT NULL"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.id: ")
                .contains("batched by"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.id: ")
                .contains("writes text"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.accounts.columns.email: ")
                .contains("sessions.account_email references").contains("keep"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.tables.parents: ")
                .contains("children still references it"));
        assertThat(problems).hasSize(9);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_resumesAfterACrashMidTable_withTheSameResultAsAnUninterruptedRun(Flavour flavour) throws Exception {
        Database crashed = TestDatabases.create(flavour);
        Database clean = TestDatabases.create(flavour);
        for (Database d : List.of(crashed, clean)) {
            createPeople(d);
            fillPeople(d, 300);
        }
        MaskingSpec spec = MaskingSpec.parseJson("spec", PEOPLE_SPEC);
        EmbeddedLedger ledger = MemoryLedgers.fresh();
        // the process dies after the 5th range has committed in the clone but before the ledger heard of it:
        // no abandon, no cleanup, the claim's lease simply lapses
        CrashingCheckpoints dying = new CrashingCheckpoints(new LedgerMaskingCheckpoints(ledger, Duration.ofMillis(1)), 5);
        assertThatThrownBy(() -> engine(crashed, dying, 1, 20).mask(crashed.cloneId(), spec, SECRET))
                .isInstanceOf(CrashingCheckpoints.Crash.class);
        long maskedBeforeCrash = count(crashed, "SELECT COUNT(*) FROM snapline_masking.ranges WHERE state = 'done'"
                + " AND tbl = '" + crashed.defaultSchema() + ".people'");
        assertThat(maskedBeforeCrash).isEqualTo(5);

        MaskingResult resumed = engine(crashed, new LedgerMaskingCheckpoints(ledger, Duration.ofMillis(1)), 2, 20)
                .mask(crashed.cloneId(), spec, SECRET);
        engine(clean, checkpoints(), 2, 20).mask(clean.cloneId(), spec, SECRET);

        assertThat(rows(crashed, "people")).isEqualTo(rows(clean, "people"));
        MaskingResult.TableResult people = resumed.tables().get(0);
        assertThat(people.rangesResumed()).isEqualTo(5);
        assertThat(people.rows()).isEqualTo(307 - 5 * 20);
        assertThat(resumed.verification().passed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_refusesToResumeWithAnotherSecret(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        createPeople(db);
        fillPeople(db, 50);
        MaskingSpec spec = MaskingSpec.parseJson("spec", PEOPLE_SPEC);
        EmbeddedLedger ledger = MemoryLedgers.fresh();
        assertThatThrownBy(() -> engine(db, new CrashingCheckpoints(new LedgerMaskingCheckpoints(ledger,
                Duration.ofMillis(1)), 1), 1, 10).mask(db.cloneId(), spec, SECRET)).isInstanceOf(CrashingCheckpoints.Crash.class);
        Map<Long, Map<String, String>> partly = rows(db, "people");

        assertThatThrownBy(() -> engine(db, new LedgerMaskingCheckpoints(ledger, Duration.ofMillis(1)), 1, 10)
                .mask(db.cloneId(), spec, OTHER_SECRET))
                .isInstanceOf(MaskingFailedException.class).hasMessageContaining("another secret");
        assertThat(rows(db, "people")).isEqualTo(partly);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void verify_failsForEveryStrategy_whenARowIsLeftUnmasked(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        createPeople(db);
        fillPeople(db, 20);
        db.exec("CREATE TABLE audit_log (id " + key(flavour) + ", payload text)");
        MaskingSpec spec = MaskingSpec.parseJson("spec", PEOPLE_SPEC.replace("}}}}", "}}, \"audit_log\": \"truncate\"}}"));
        MaskingEngine engine = engine(db, checkpoints(), 2, 10);
        engine.mask(db.cloneId(), spec, SECRET);
        // a row the masking missed: original-looking values in every masked column, one more unmasked shape each
        db.exec("UPDATE people SET full_name = 'Mary X. Smith', email = 'mary@corp.example', phone = '+1-555-010-0199',"
                        + " street = '12 Oak Street, Salem', token = '" + "ab".repeat(16) + "', notes = 'n',"
                        + " tier = 'Standard', age = 41, score = 3, bio = 'Bio' WHERE id = 3",
                "INSERT INTO audit_log (payload) VALUES ('left behind')");
        // a value masked under another clone's secret is not a mask of this clone either
        String foreign = ReferenceMasks.mask(OTHER_SECRET, Strategy.of(Strategy.Kind.HASH), "tok-1");
        db.exec("UPDATE people SET token = '" + foreign + "' WHERE id = 4");

        assertThatThrownBy(() -> engine.verify(db.cloneId(), spec, SECRET))
                .isInstanceOfSatisfying(UnmaskedDataException.class, e -> {
                    Map<String, Long> unmasked = new java.util.TreeMap<>();
                    e.verification().checks().forEach(c -> unmasked.put(c.column(), c.unmasked()));
                    assertThat(unmasked).containsAllEntriesOf(Map.of("full_name", 1L, "email", 1L, "phone", 1L,
                            "street", 1L, "token", 2L, "notes", 1L, "tier", 1L, "age", 1L, "score", 1L, "bio", 1L));
                    assertThat(unmasked).containsEntry("*", 1L);
                    assertThat(e.verification().unmasked()).isEqualTo(12);
                    assertThat(e).hasMessageContaining("people.email (fake:email) 1 of");
                });
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_masksTablesInParallelOnSeparateConnections(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        StringBuilder json = new StringBuilder("{\"tables\": {");
        for (int t = 0; t < 4; t++) {
            db.exec("CREATE TABLE t" + t + " (id " + key(flavour) + ", email varchar(200))");
            StringBuilder insert = new StringBuilder("INSERT INTO t" + t + " (email) VALUES ");
            for (int i = 0; i < 400; i++) {
                insert.append(i == 0 ? "" : ", ").append("('u").append(i).append("@corp.example')");
            }
            db.exec(insert.toString());
            json.append(t == 0 ? "" : ", ").append("\"t").append(t).append("\": {\"columns\": {\"email\": \"hash\"}}");
        }
        MaskingSpec spec = MaskingSpec.parseJson("spec", json.append("}}").toString());
        AtomicInteger open = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ConnectionSource counting = () -> {
            Connection c = db.connect();
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            open.decrementAndGet();
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };

        MaskingResult result = new MaskingEngine(flavour, counting, checkpoints(), new MaskingEngine.Options(4, 50))
                .mask("clone-p", spec, SECRET);

        // the admin connection plus four workers, each masking ranges of every table in turn
        assertThat(most.get()).isEqualTo(5);
        assertThat(open.get()).isZero();
        assertThat(result.tables()).hasSize(4).allSatisfy(t -> {
            assertThat(t.rows()).isEqualTo(400);
            assertThat(t.ranges()).isEqualTo(9);
        });
        for (int t = 0; t < 4; t++) {
            assertThat(count(db, "SELECT COUNT(*) FROM t" + t + " WHERE email LIKE '%@corp.example'")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_twoRunsAtOnce_neverMaskARangeTwice(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        createPeople(db);
        fillPeople(db, 400);
        Map<Long, Map<String, String>> before = rows(db, "people");
        MaskingSpec spec = MaskingSpec.parseJson("spec", PEOPLE_SPEC);
        EmbeddedLedger shared = MemoryLedgers.fresh();
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<MaskingResult>> runs = List.of(
                    two.submit(() -> engine(db, new LedgerMaskingCheckpoints(shared), 2, 10).mask(db.cloneId(), spec, SECRET)),
                    two.submit(() -> engine(db, new LedgerMaskingCheckpoints(shared), 2, 10).mask(db.cloneId(), spec, SECRET)));
            int finished = 0;
            for (java.util.concurrent.Future<MaskingResult> run : runs) {
                try {
                    run.get();
                    finished++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfAny(MaskingBusyException.class);
                }
            }
            if (finished == 0) {
                // both met a range the other held and gave up (each leaves what it finished recorded):
                // a later run completes the rest, masking no range a second time
                engine(db, new LedgerMaskingCheckpoints(shared), 2, 10).mask(db.cloneId(), spec, SECRET);
            }
        } finally {
            two.shutdownNow();
        }
        // a range masked twice would hold mask(mask(x)), not mask(x)
        assertThat(rows(db, "people")).isEqualTo(expected(before, spec, "people", SECRET));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mask_batchesByThePrimaryKeyOverride_andMasksAKeylessTableInOneRange(Flavour flavour) throws Exception {
        Database db = TestDatabases.create(flavour);
        db.exec("CREATE TABLE events (event_no integer NOT NULL, email varchar(200))",
                "CREATE TABLE notes (body varchar(200))");
        StringBuilder events = new StringBuilder("INSERT INTO events (event_no, email) VALUES ");
        StringBuilder notes = new StringBuilder("INSERT INTO notes (body) VALUES ");
        for (int i = 0; i < 95; i++) {
            events.append(i == 0 ? "" : ", ").append("(").append(i * 1000).append(", 'e").append(i).append("@corp.example')");
            notes.append(i == 0 ? "" : ", ").append("('n").append(i).append("@corp.example')");
        }
        db.exec(events.toString(), notes.toString());
        MaskingSpec spec = MaskingSpec.parseJson("spec", """
                {"tables": {"events": {"primary-key": "event_no", "columns": {"email": "hash"}},
                            "notes": {"columns": {"body": "hash"}}}}""");

        MaskingResult result = engine(db, checkpoints(), 2, 10).mask(db.cloneId(), spec, SECRET);

        assertThat(result.tables()).filteredOn(t -> t.table().table().equals("events")).singleElement()
                .satisfies(t -> assertThat(t.ranges()).isEqualTo(10));
        assertThat(result.tables()).filteredOn(t -> t.table().table().equals("notes")).singleElement()
                .satisfies(t -> assertThat(t.ranges()).isEqualTo(1));
        String e7 = ReferenceMasks.mask(SECRET, Strategy.of(Strategy.Kind.HASH), "e7@corp.example");
        assertThat(count(db, "SELECT COUNT(*) FROM events WHERE event_no = 7000 AND email = '" + e7 + "'")).isEqualTo(1);
        String n7 = ReferenceMasks.mask(SECRET, Strategy.of(Strategy.Kind.HASH), "n7@corp.example");
        assertThat(count(db, "SELECT COUNT(*) FROM notes WHERE body = '" + n7 + "'")).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM notes WHERE body LIKE '%@corp.example'")).isZero();
    }

    /** Checkpoints that "crash" the process after N finished ranges: the Nth range committed, its record lost. */
    static final class CrashingCheckpoints implements MaskingCheckpoints {
        static final class Crash extends RuntimeException {
            Crash() {
                super("simulated crash");
            }
        }

        private final MaskingCheckpoints delegate;
        private final AtomicInteger left;

        CrashingCheckpoints(MaskingCheckpoints delegate, int ranges) {
            this.delegate = delegate;
            this.left = new AtomicInteger(ranges);
        }

        @Override
        public Claim claim(String cloneId, String unit) {
            return delegate.claim(cloneId, unit);
        }

        @Override
        public void finished(String cloneId, String unit, String summary) {
            if (unit.contains("#r") && left.decrementAndGet() <= 0) {
                throw new Crash();
            }
            delegate.finished(cloneId, unit, summary);
        }

        @Override
        public boolean isFinished(String cloneId, String unit) {
            return delegate.isFinished(cloneId, unit);
        }

        @Override
        public void abandoned(String cloneId, String unit) {
            // a dead process abandons nothing
        }
    }
}
