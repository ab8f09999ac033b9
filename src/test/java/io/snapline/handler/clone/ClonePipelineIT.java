package io.snapline.handler.clone;

import io.snapline.error.PermanentProcessingException;
import io.snapline.fake.FakeRdsClones;
import io.snapline.gateway.CloneGateway;
import io.snapline.handler.Outcome;
import io.snapline.masking.Flavour;
import io.snapline.masking.TestDatabases;
import io.snapline.masking.UnmaskedDataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clone pipeline's paths through the real SDK gateways against the wire fakes, masking a real
 * PostgreSQL database: the refusals (nothing created), every failure (missing column, unmasked
 * data at verification, quota) deleting what was created and telling the requester, never opening
 * or handing over; a crash mid-masking resumed to a verified clone; an instance clone from the newest
 * snapshot; reaping only tagged clones, with its cap and dry run.
 */
class ClonePipelineIT {

    static final String AURORA = "orders-db";
    static final String INSTANCE = "billing";

    private CloneFixture f;
    private TestDatabases.Database db;

    private static Map<String, Object> masking(String column) {
        Map<String, Object> m = new HashMap<>();
        m.put("tables.public.customers.columns." + column, "fake:email");
        m.put("tables.public.customers.columns.full_name", "fake:name");
        return m;
    }

    void start(Map<String, Object> masking, int maxDeletes) {
        f = new CloneFixture(List.of(CloneFixture.policy("dev", List.of("orders-*", "billing"), masking)), maxDeletes);
        db = TestDatabases.create(Flavour.POSTGRESQL);
        db.exec("CREATE TABLE customers (id bigint PRIMARY KEY, email text UNIQUE NOT NULL, full_name text)");
        StringBuilder insert = new StringBuilder("INSERT INTO customers VALUES ");
        for (int i = 1; i <= 1000; i++) {
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 'p").append(i)
                    .append("@real-mail.org', 'Real Person ").append(i).append("')");
        }
        db.exec(insert.toString());
        URI url = URI.create(db.url().substring("jdbc:".length()));
        String database = url.getPath().substring(1);
        FakeRdsClones rds = f.fake().rdsClones();
        rds.addAuroraCluster(AURORA, "aurora-postgresql", database, "db.r6g.large");
        rds.addInstance(INSTANCE, "postgres", database, "db.m6g.large");
        f.fake().rds().addDbSnapshot("rds:billing-2026-11-29", INSTANCE).engine("postgres")
                .createdAt(java.time.Instant.parse("2026-11-29T03:00:00Z"));
        f.fake().rds().addDbSnapshot("rds:billing-2026-11-30", INSTANCE).engine("postgres")
                .createdAt(java.time.Instant.parse("2026-11-30T03:00:00Z"));
        rds.cloneEndpoint(url.getHost(), url.getPort());
        rds.masterCredentials(db.user(), db.password());
    }

    @BeforeEach
    void nothing() {
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private Map<String, String> args(String source, String cls, String ttl) {
        Map<String, String> a = new HashMap<>();
        a.put("source", source);
        if (cls != null) {
            a.put("instanceClass", cls);
        }
        if (ttl != null) {
            a.put("ttl", ttl);
        }
        a.put("requestedBy", "alice");
        a.put("responseUrl", CloneFixture.HOOK);
        return a;
    }

    private long unmaskedEmails() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE email LIKE '%@real-mail.org'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Nothing of the clone is left, it was never opened or handed over, and alice was told why. */
    private void assertCleanedUp(String cloneId, String why) {
        FakeRdsClones rds = f.fake().rdsClones();
        rds.describesUntilAvailable(0);
        f.clones.cluster(cloneId); // a describe lets the fake finish deleting
        f.clones.instance(CloneIds.clusterInstance(cloneId));
        assertThat(rds.cluster(cloneId)).as("cluster left").isEmpty();
        assertThat(rds.instance(CloneIds.clusterInstance(cloneId))).as("instance left").isEmpty();
        assertThat(f.fake().requests("ModifyDBCluster")).noneMatch(r -> r.params().containsValue(CloneFixture.OPEN_GROUP));
        assertThat(f.posted).noneMatch(p -> p.text().contains("is ready"));
        assertThat(f.posted).anyMatch(p -> p.url().equals(CloneFixture.HOOK) && p.text().contains("failed")
                && p.text().contains(why));
        assertThat(f.ledger.steps).anyMatch(s -> s.pipelineId().equals(cloneId) && s.step().startsWith("clone-delete")
                && s.detail().contains(why));
    }

    @Test
    void auroraClone_maskedVerifiedResizedRotatedOpenedHandedOver_idsValid_repeatIsAlreadyDone() throws Exception {
        start(masking("email"), 20);
        Outcome o = f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, "db.t4g.medium", "2d"), "r-1"));
        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        String id = CloneIds.of("dev", AURORA, "r-1");
        assertThat(CloneIds.valid(id) && CloneIds.valid(CloneIds.clusterInstance(id))).isTrue();
        assertThat(unmaskedEmails()).isZero();
        assertThat(f.gate.verified(id)).isPresent();
        assertThat(f.posted).anyMatch(p -> p.text().contains("is ready") && p.text().contains("secret:rds!"));
        assertThat(f.fake().rdsClones().instance(CloneIds.clusterInstance(id)).orElseThrow().instanceClass())
                .isEqualTo("db.t4g.medium");
        int restores = f.fake().requests("RestoreDBClusterToPointInTime").size();
        Outcome again = f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, "db.t4g.medium", "2d"), "r-1"));
        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.fake().requests("RestoreDBClusterToPointInTime")).hasSize(restores);
        assertThat(f.posted.stream().filter(p -> p.text().contains("is ready"))).hasSize(1);
    }

    @Test
    void instanceClone_restoredFromTheNewestAvailableSnapshot_withItsOwnSecret() throws Exception {
        start(masking("email"), 20);
        Outcome o = f.drive(f.cloneAction, CloneFixture.command("clone", args(INSTANCE, null, null), "r-2"));
        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        String id = CloneIds.of("dev", INSTANCE, "r-2");
        var restore = f.fake().requests("RestoreDBInstanceFromDBSnapshot").get(0).params();
        assertThat(restore).containsEntry("DBSnapshotIdentifier", "rds:billing-2026-11-30")
                .containsEntry("ManageMasterUserPassword", "true").containsEntry("DBInstanceClass", "db.r6g.4xlarge");
        assertThat(f.fake().requests("ModifyDBInstance")).anyMatch(r -> "true".equals(r.params().get("RotateMasterUserPassword")));
        assertThat(f.fake().rdsClones().instance(id).orElseThrow().securityGroups()).containsExactly(CloneFixture.OPEN_GROUP);
        assertThat(unmaskedEmails()).isZero();
    }

    @Test
    void refusals_unknownSourceClassTtlPolicy_nothingCreated_requesterTold() {
        start(masking("email"), 20);
        assertThatThrownBy(() -> f.cloneAction.run(CloneFixture.command("clone", args("orders-missing", null, null), "a")))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("unknown source orders-missing");
        assertThatThrownBy(() -> f.cloneAction.run(CloneFixture.command("clone", args(AURORA, "db.x2g.16xlarge", null), "b")))
                .isInstanceOf(CloneRefusedException.class).hasMessageContaining("db.x2g.16xlarge");
        assertThatThrownBy(() -> f.cloneAction.run(CloneFixture.command("clone", args(AURORA, null, "30d"), "c")))
                .isInstanceOf(CloneRefusedException.class).hasMessageContaining("at most 7d");
        Map<String, String> other = args(AURORA, null, null);
        other.put("policy", "prod");
        assertThatThrownBy(() -> f.cloneAction.run(CloneFixture.command("clone", other, "d")))
                .isInstanceOf(CloneRefusedException.class).hasMessageContaining("unknown clone policy");
        assertThatThrownBy(() -> f.cloneAction.run(CloneFixture.command("clone", args("payroll", null, null), "e")))
                .isInstanceOf(CloneRefusedException.class).hasMessageContaining("no clone policy allows");
        assertThat(f.fake().requests("RestoreDBClusterToPointInTime")).isEmpty();
        assertThat(f.fake().requests("RestoreDBInstanceFromDBSnapshot")).isEmpty();
        assertThat(f.posted.stream().filter(p -> p.text().contains("refused"))).hasSize(5);
    }

    @Test
    void maskingSpecNamingAMissingColumn_deletesTheCloneAndTellsTheRequester() throws Exception {
        start(masking("e_mail"), 20);
        String id = CloneIds.of("dev", AURORA, "r-3");
        assertThatThrownBy(() -> f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, null), "r-3")))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("e_mail");
        assertThat(unmaskedEmails()).isEqualTo(1000);
        assertCleanedUp(id, "e_mail");
    }

    @Test
    void verificationNotZero_theCloneIsDeletedNeverOpenedOrHandedOver() throws Exception {
        start(masking("email"), 20);
        String id = CloneIds.of("dev", AURORA, "r-4");
        // a mask step recorded done that masked nothing (a bug, a lost write): verification must catch it
        f.ledger.claim(CloneStore.key(id, "mask"), Duration.ofMinutes(1), true);
        f.ledger.complete(CloneStore.key(id, "mask"), "masked rows=1000");
        assertThatThrownBy(() -> f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, null), "r-4")))
                .isInstanceOf(UnmaskedDataException.class);
        assertThat(f.gate.verified(id)).isEmpty();
        assertCleanedUp(id, "unmasked");
    }

    @Test
    void quotaOnTheInstance_deletesTheClusterAlreadyMade() throws Exception {
        start(masking("email"), 20);
        String id = CloneIds.of("dev", AURORA, "r-5");
        f.fake().failNext("CreateDBInstance", "InstanceQuotaExceeded", 400);
        assertThatThrownBy(() -> f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, null), "r-5")))
                .isInstanceOf(PermanentProcessingException.class);
        assertThat(f.fake().rdsClones().deletions()).contains("cluster:" + id);
        assertCleanedUp(id, "InstanceQuotaExceeded");
    }

    @Test
    void maskingErrorMidway_deletesTheCloneAndTellsTheRequester() throws Exception {
        start(masking("email"), 20);
        String id = CloneIds.of("dev", AURORA, "r-6");
        // the database refuses one row's update half-way through (a replica trigger fires in the masking session)
        db.exec("CREATE OR REPLACE FUNCTION crash() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id = 450 THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        db.exec("CREATE TRIGGER crash BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION crash()",
                "ALTER TABLE customers ENABLE REPLICA TRIGGER crash");
        assertThatThrownBy(() -> f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, null), "r-6")))
                .isInstanceOf(PermanentProcessingException.class);
        assertThat(f.gate.verified(id)).isEmpty();
        assertCleanedUp(id, "simulated failure");
    }

    @Test
    void crashMidMasking_thenTakenOverAfterTheLease_resumesWithoutMaskingARangeTwice() throws Exception {
        start(masking("email"), 20);
        String id = CloneIds.of("dev", AURORA, "r-11");
        var command = CloneFixture.command("clone", args(AURORA, null, null), "r-11");
        // a delivery that holds the mask step (and then dies): the pipeline gets as far as it
        f.ledger.claim(CloneStore.key(id, "mask"), Duration.ofSeconds(30), true);
        Outcome o = f.cloneAction.run(command);
        for (int i = 0; i < 20 && !o.reason().contains("clone-mask"); i++) {
            o = f.cloneAction.run(command);
        }
        assertThat(o.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(o.reason()).contains("clone-mask").contains("another delivery");
        // the dying delivery masked some ranges, the last one committed in the clone but never recorded
        // in the ledger
        byte[] secret = f.store.maskKey(id);
        var spec = io.snapline.masking.MaskingSpec.parse("m", masking("email"));
        var ledgerCheckpoints = new io.snapline.masking.LedgerMaskingCheckpoints(f.ledger);
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        io.snapline.masking.MaskingCheckpoints dying = new io.snapline.masking.MaskingCheckpoints() {
            public Claim claim(String c, String unit) {
                return ledgerCheckpoints.claim(c, unit);
            }

            public void finished(String c, String unit, String summary) {
                if (finished.incrementAndGet() == 4) {
                    throw new IllegalStateException("the process died");
                }
                ledgerCheckpoints.finished(c, unit, summary);
            }

            public boolean isFinished(String c, String unit) {
                return ledgerCheckpoints.isFinished(c, unit);
            }

            public void abandoned(String c, String unit) {
                // a dead process abandons nothing: its claims stay until their lease lapses
            }
        };
        var url = URI.create(db.url().substring("jdbc:".length()));
        var engine = new io.snapline.masking.MaskingEngine(Flavour.POSTGRESQL, db.connections(), dying,
                new io.snapline.masking.MaskingEngine.Options(1, 100));
        assertThatThrownBy(() -> engine.mask(id, spec, secret)).hasMessageContaining("died");
        assertThat(unmaskedEmails()).as("partly masked").isBetween(1L, 999L);
        assertThat(f.gate.verified(id)).isEmpty();
        assertThat(f.fake().rdsClones().cluster(id).orElseThrow().securityGroups())
                .containsExactly(CloneFixture.MASKING_GROUP);
        assertThat(f.posted).noneMatch(p -> p.text().contains("is ready"));

        // the same masks, computed in one go on a copy of the original rows with the same secret
        TestDatabases.Database copy = TestDatabases.create(Flavour.POSTGRESQL);
        copy.exec("CREATE TABLE customers (id bigint PRIMARY KEY, email text UNIQUE NOT NULL, full_name text)");
        StringBuilder insert = new StringBuilder("INSERT INTO customers VALUES ");
        for (int i = 1; i <= 1000; i++) {
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 'p").append(i)
                    .append("@real-mail.org', 'Real Person ").append(i).append("')");
        }
        copy.exec(insert.toString());
        new io.snapline.masking.MaskingEngine(Flavour.POSTGRESQL, copy.connections(),
                new io.snapline.masking.LedgerMaskingCheckpoints(new io.snapline.testing.TestLedger()),
                io.snapline.masking.MaskingEngine.Options.DEFAULTS).mask("reference", spec, secret);

        // WHEN the leases lapse and the command comes again: the step is taken over and resumes
        f.clock.advance(Duration.ofMinutes(16));
        Outcome done = f.drive(f.cloneAction, command);
        assertThat(done.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(unmaskedEmails()).isZero();
        assertThat(f.gate.verified(id)).isPresent();
        assertThat(emails(db)).as("every row masked exactly once").isEqualTo(emails(copy));
        assertThat(f.posted).anyMatch(p -> p.text().contains("is ready"));
        assertThat(url).isNotNull();
    }

    private static List<String> emails(TestDatabases.Database d) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = d.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email || '|' || full_name FROM customers ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void reap_deletesOnlyExpiredTaggedClones_lookAlikeSurvives_capAndDryRunDeleteNothing() throws Exception {
        start(masking("email"), 1);
        f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, "1d"), "r-7"));
        String id = CloneIds.of("dev", AURORA, "r-7");
        // an untagged look-alike, and one tagged as another clone than its name
        f.fake().rdsClones().addAuroraCluster("orders-db-c0000000000", "aurora-postgresql", "x", "db.r6g.large");
        f.fake().rdsClones().addAuroraCluster("orders-db-c1111111111", "aurora-postgresql", "x", "db.r6g.large")
                .tag(CloneGateway.TAG_CLONE, "someone-else").tag(CloneGateway.TAG_EXPIRES_AT, "2020-01-01T00:00:00Z");

        // before expiry, within warn-before: a warning, once
        f.clock.advance(Duration.ofHours(23));
        f.reap.run(CloneFixture.command("reap", Map.of(), null));
        f.reap.run(CloneFixture.command("reap", Map.of(), null));
        assertThat(f.posted.stream().filter(p -> p.text().contains("expires at"))).hasSize(1);
        assertThat(f.fake().rdsClones().deletions()).isEmpty();

        f.clock.advance(Duration.ofHours(2));
        Outcome dry = f.reap.run(new io.snapline.message.Command("reap", Map.of(), true, java.util.Optional.empty()));
        assertThat(dry.reason()).contains(id);
        assertThat(f.fake().rdsClones().deletions()).isEmpty();

        f.reap.run(CloneFixture.command("reap", Map.of(), null));
        assertThat(f.fake().rdsClones().deletions()).containsExactly("instance:" + CloneIds.clusterInstance(id),
                "cluster:" + id);
        assertThat(f.fake().rdsClones().cluster("orders-db-c0000000000")).isPresent();
        assertThat(f.fake().rdsClones().cluster("orders-db-c1111111111")).isPresent();
        assertThat(f.fake().rdsClones().cluster(AURORA)).isPresent();
    }

    @Test
    void reap_moreDueThanTheCap_deletesNone() throws Exception {
        start(masking("email"), 1);
        f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, "1d"), "r-8"));
        f.drive(f.cloneAction, CloneFixture.command("clone", args(INSTANCE, null, "1d"), "r-9"));
        f.clock.advance(Duration.ofDays(2));
        assertThatThrownBy(() -> f.reap.run(CloneFixture.command("reap", Map.of(), null)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("max-deletes-per-run=1");
        assertThat(f.fake().rdsClones().deletions()).isEmpty();
        // the refusal is in /pipelines, with its reason
        assertThat(f.ledger.pipeline(ReapAction.REAP_PIPELINE)).hasValueSatisfying(p -> assertThat(p.steps())
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("reap:all");
                    assertThat(s.state()).isEqualTo(io.snapline.ledger.StepState.FAILED);
                    assertThat(s.detail()).contains("2 clones are due at once").contains("none deleted");
                }));
    }

    @Test
    void extendWithinMaxTtl_andDelete_onlyTheServicesClones() throws Exception {
        start(masking("email"), 20);
        f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, "1d"), "r-10"));
        String id = CloneIds.of("dev", AURORA, "r-10");
        assertThatThrownBy(() -> f.extend.run(CloneFixture.command("extend", Map.of("clone", id, "ttl", "8d"), null)))
                .isInstanceOf(CloneRefusedException.class);
        f.extend.run(CloneFixture.command("extend", Map.of("clone", id, "ttl", "5d"), null));
        assertThat(f.fake().rdsClones().cluster(id).orElseThrow().tags().get(CloneGateway.TAG_EXPIRES_AT))
                .isEqualTo(f.clock.instant().plus(Duration.ofDays(5)).toString());
        f.fake().rdsClones().addAuroraCluster("orders-db-c0000000000", "aurora-postgresql", "x", "db.r6g.large");
        assertThat(f.delete.run(CloneFixture.command("delete", Map.of("clone", "orders-db-c0000000000"), null)).status())
                .isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.fake().rdsClones().cluster("orders-db-c0000000000")).isPresent();
        f.delete.run(CloneFixture.command("delete", Map.of("clone", id), null));
        assertThat(f.fake().rdsClones().deletions()).contains("cluster:" + id);
    }

    @Test
    void theConsoleInventory_listsLiveClones_andExtendsAndDeletesThroughTheCommandsRules() throws Exception {
        start(masking("email"), 20);
        f.drive(f.cloneAction, CloneFixture.command("clone", args(AURORA, null, "1d"), "r-11"));
        String id = CloneIds.of("dev", AURORA, "r-11");
        CloneConsoleInventory inventory = new CloneConsoleInventory(
                new ClonesView(f.lookup, f.store, f.gate, f.pipeline), f.lookup, f.extend, f.delete);

        assertThat(inventory.clones()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.source()).isEqualTo(AURORA);
            assertThat(c.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(1)));
        });
        assertThat(inventory.extend(id, Duration.ofDays(3))).isEqualTo(f.clock.instant().plus(Duration.ofDays(3)));
        // the policy's maximum holds for the console as for every other route
        assertThatThrownBy(() -> inventory.extend(id, Duration.ofDays(8))).isInstanceOf(CloneRefusedException.class);
        inventory.delete(id);
        assertThat(f.fake().rdsClones().deletions()).contains("cluster:" + id);
    }
}
