package io.snapline.handler.prune;

import io.snapline.aws.FakeAwsFixture;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.fake.FakeAws;
import io.snapline.fake.LoggedRequest;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway.ExportRequest;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.ledger.StepState;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.snapline.testing.PruneFixtures.exportPolicy;
import static io.snapline.testing.PruneFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pruning through the real SDK gateways against the wire-protocol fakes (RDS query protocol, S3
 * REST-XML, Glue JSON, SNS): paging over hundreds of snapshots of mixed kinds, the exact delete
 * requests made, DeleteObjects batches over a large export, per-key errors, the crawler start.
 */
class PruneIT {

    static final String TOPIC = "arn:aws:sns:us-east-1:" + FakeAws.ACCOUNT + ":snapline-prune";

    final FakeAwsFixture env = new FakeAwsFixture();
    final FakeAws fake = env.fake();
    final TestLedger ledger = new TestLedger();
    final PrunePlans plans = new PrunePlans();

    @AfterEach
    void close() {
        env.close();
    }

    Pruner pruner(List<RetentionPolicy> policies, List<ExportRetentionProperties> exports) {
        return new Pruner(env.gateways(), ledger, policies, exports,
                new PruneProperties(1000, TOPIC, 1000, Duration.ofMinutes(5)), false, plans, Clock.systemUTC(),
                new DeleteRateLimiter(1000));
    }

    /**
     * orders: 250 managed manual snapshots an hour apart, 10 managed but still creating, 1,200 automated,
     * 40 AWS Backup, 40 untagged, 20 shared from another account (tagged, prefixed); billing: 100 managed.
     */
    void seedSnapshots() {
        Instant now = Instant.now();
        for (int i = 0; i < 250; i++) {
            fake.rds().addDbSnapshot(String.format("snapline-orders-%03d", i), "orders")
                    .createdAt(now.minus(Duration.ofHours(i + 1))).tag("snapline:managed", "true");
        }
        for (int i = 0; i < 10; i++) {
            fake.rds().addDbSnapshot("snapline-orders-new-" + i, "orders").status("creating")
                    .createdAt(now).tag("snapline:managed", "true");
        }
        for (int i = 0; i < 1200; i++) {
            fake.rds().addDbSnapshot(String.format("rds:orders-2026-01-%02d-%02d-%02d", 1 + i / 1440, i / 60 % 24, i % 60),
                            "orders")
                    .createdAt(now.minus(Duration.ofDays(300)));
        }
        for (int i = 0; i < 40; i++) {
            fake.rds().addDbSnapshot("awsbackup:job-" + i, "orders").createdAt(now.minus(Duration.ofDays(300)))
                    .tag("snapline:managed", "true");
            fake.rds().addDbSnapshot("snapline-orders-untagged-" + i, "orders").createdAt(now.minus(Duration.ofDays(300)));
        }
        for (int i = 0; i < 20; i++) {
            fake.rds().addDbSnapshot("snapline-orders-shared-" + i, "orders").type("shared")
                    .arn("arn:aws:rds:us-east-1:210987654321:snapshot:snapline-orders-shared-" + i)
                    .createdAt(now.minus(Duration.ofDays(300))).tag("snapline:managed", "true");
        }
        for (int i = 0; i < 100; i++) {
            fake.rds().addDbSnapshot("snapline-billing-" + i, "billing").createdAt(now.minus(Duration.ofDays(300)))
                    .tag("snapline:managed", "true");
        }
    }

    List<String> deleteRequests() {
        return fake.requests("DeleteDBSnapshot").stream().map(r -> r.param("DBSnapshotIdentifier")).toList();
    }

    @Test
    void snapshots_dryRunThenRunThenSecondRun_overManyPagesOfMixedKinds() {
        seedSnapshots();
        fake.s3().createBucket("lake");
        String exporting = fake.rds().snapshot("snapline-orders-249").orElseThrow().arn();
        env.gateways().exports(AwsAccess.DEFAULT).startExport(new ExportRequest("exp-249", exporting, "lake", "exports",
                "arn:aws:iam::" + FakeAws.ACCOUNT + ":role/export", "alias/export", List.of()));
        int before = fake.rds().snapshotCount();
        Pruner pruner = pruner(List.of(policy("orders").sources("orders").scope("instance").keepLast(200)
                .maxDeletes(60).build()), List.of());

        PruneReport dry = pruner.run(PruneRequest.all(true));
        assertThat(dry.plan().deleteCount()).isEqualTo(49);
        assertThat(deleteRequests()).isEmpty();
        assertThat(fake.rds().snapshotCount()).isEqualTo(before);
        assertThat(fake.requests("DescribeDBSnapshots").size()).as("paged with Marker").isGreaterThan(5);

        PruneReport run = pruner.run(PruneRequest.all(false));

        assertThat(run.deletedSnapshots()).isEqualTo(49);
        assertThat(deleteRequests()).hasSize(49)
                .allMatch(id -> id.matches("snapline-orders-2(0\\d|1\\d|2\\d|3\\d|4[0-8])"));
        assertThat(fake.rds().snapshot("snapline-orders-249")).as("in export").isPresent();
        assertThat(fake.rds().snapshot("snapline-orders-199")).isPresent();
        assertThat(fake.rds().snapshot("snapline-orders-200")).isEmpty();
        assertThat(fake.rds().snapshotCount()).isEqualTo(before - 49);
        assertThat(ledger.steps(StepState.DONE)).filteredOn(s -> s.step().startsWith("pruned:")).hasSize(49)
                .allSatisfy(s -> assertThat(s.pipelineId()).startsWith("arn:aws:rds:us-east-1:" + FakeAws.ACCOUNT
                        + ":snapshot:snapline-orders-2"));
        assertThat(fake.sns().messages(TOPIC)).singleElement()
                .satisfies(m -> assertThat(m.body()).contains("\"deletedCount\":49").contains("\"shared\":20")
                        .contains("\"awsbackup\":40").contains("\"automated\":1200").contains("\"in-export\":1"));

        fake.clearRequests();
        PruneReport second = pruner.run(PruneRequest.all(false));
        assertThat(second.deletedSnapshots()).isZero();
        assertThat(deleteRequests()).isEmpty();
    }

    @Test
    void snapshots_capExceeded_sendsNoDeleteRequest_andNotifies() {
        seedSnapshots();
        Pruner pruner = pruner(List.of(policy("orders").sources("orders").scope("instance").keepLast(100)
                .maxDeletes(120).maxDeletePercent(50).build()), List.of());

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("max-delete-percent").hasMessageContaining("150 of the 260 managed snapshots");

        assertThat(deleteRequests()).isEmpty();
        assertThat(fake.sns().messages(TOPIC)).singleElement()
                .satisfies(m -> assertThat(m.subject()).contains("cap exceeded"));
    }

    ExportTask export(String taskId, String snapshot, int... objectsPerTable) {
        String arn = fake.rds().addDbSnapshot(snapshot, "orders").tag("snapline:managed", "true").arn();
        ExportTask t = env.gateways().exports(AwsAccess.DEFAULT).startExport(new ExportRequest(taskId, arn, "lake",
                "exports/orders", "arn:aws:iam::" + FakeAws.ACCOUNT + ":role/export", "alias/export", List.of())).task();
        if (objectsPerTable.length > 0) {
            fake.rds().completeExport(taskId, objectsPerTable);
        }
        return t;
    }

    @Test
    void exports_latestOnly_deletesTheOlderExportInBatches_andStartsTheCrawler() throws Exception {
        fake.s3().createBucket("lake");
        fake.glue().addCrawler("lake-crawler", "s3://lake/exports/");
        fake.s3().putObject("lake", "exports/orders/not-an-export/readme.txt", 10, FakeAws.ACCOUNT);
        ExportTask older = export("exp-older", "snapline-orders-a", 1200, 300);
        Thread.sleep(5); // distinct end times
        ExportTask newer = export("exp-newer", "snapline-orders-b", 2, 1);
        export("exp-running", "snapline-orders-c"); // STARTING: writes nothing yet
        Pruner pruner = pruner(List.of(), List.of(exportPolicy("analytics", "lake", "exports/{source}",
                List.of("orders"), null, 1, "lake-crawler")));

        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(report.deletedExports()).isEqualTo(1);
        assertThat(fake.s3().keys("lake", older.s3Folder())).isEmpty();
        assertThat(fake.s3().keys("lake", newer.s3Folder())).hasSize(5);
        assertThat(fake.s3().keys("lake", "exports/orders/not-an-export/")).hasSize(1);
        List<LoggedRequest> deletes = fake.requests("DeleteObjects");
        assertThat(deletes).hasSizeGreaterThanOrEqualTo(2);
        assertThat(fake.requests("StartCrawler")).singleElement();
        assertThat(ledger.steps(StepState.DONE)).filteredOn(s -> s.step().startsWith("pruned-export:")).singleElement()
                .satisfies(s -> assertThat(s.detail()).contains("exp-older").contains("1502 objects"));

        fake.clearRequests();
        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isZero();
        assertThat(fake.requests("DeleteObjects")).isEmpty();
    }

    @Test
    void exports_perKeyErrorFromDeleteObjects_keepsTheMarker_andIsRetryable() {
        fake.s3().createBucket("lake");
        ExportTask older = export("exp-older", "snapline-orders-a", 30);
        ExportTask newer = export("exp-newer", "snapline-orders-b", 1);
        String stuck = fake.s3().keys("lake", older.s3Folder() + "appdb/").get(7);
        fake.s3().failDelete("lake", stuck, "AccessDenied", "Access Denied");
        Pruner pruner = pruner(List.of(), List.of(exportPolicy("analytics", "lake", "exports/{source}",
                List.of("orders"), null, 1, null)));

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(RetryableProcessingException.class).hasMessageContaining("AccessDenied");

        assertThat(fake.s3().keys("lake", older.s3Folder()))
                .contains(stuck, older.s3Folder() + "export_info_exp-older.json");
        assertThat(fake.s3().keys("lake", newer.s3Folder())).hasSize(3);
        assertThat(ledger.steps(StepState.FAILED)).singleElement();
    }

    @Test
    void boundariesThroughTheWire_exactlyNDays_tiesOnCreationTime_andTheZone() {
        Instant now = Instant.parse("2026-11-23T03:00:00Z"); // 2026-11-22 22:00 in New York
        fake.rds().addDbSnapshot("snapline-exact", "orders").createdAt(now.minus(Duration.ofDays(30)))
                .tag("snapline:managed", "true");
        fake.rds().addDbSnapshot("snapline-older", "orders").createdAt(now.minus(Duration.ofDays(30)).minusSeconds(1))
                .tag("snapline:managed", "true");
        Instant tie = now.minus(Duration.ofDays(40));
        for (String id : List.of("snapline-tie-b", "snapline-tie-a", "snapline-tie-c")) {
            fake.rds().addDbSnapshot(id, "billing").createdAt(tie).tag("snapline:managed", "true");
        }
        // New York: 2026-11-22 07:00 and 20:00 are the same day; in UTC they are not
        fake.rds().addDbSnapshot("snapline-ny-early", "orders").createdAt(Instant.parse("2026-11-22T12:00:00Z"))
                .tag("snapline:managed", "true");
        fake.rds().addDbSnapshot("snapline-ny-late", "orders").createdAt(Instant.parse("2026-11-23T01:00:00Z"))
                .tag("snapline:managed", "true");
        RetentionPolicy days = policy("b").sources("orders").scope("instance").keepDays(30)
                .keepDaily(1).zone("America/New_York").maxDeletes(10).maxDeletePercent(100).build();
        RetentionPolicy last = policy("t").sources("billing").scope("instance").keepLast(1)
                .maxDeletes(10).maxDeletePercent(100).build();
        Pruner pruner = new Pruner(env.gateways(), ledger, List.of(days, last), List.of(),
                new PruneProperties(1000, TOPIC, 1000, Duration.ofMinutes(5)), false, plans,
                Clock.fixed(now, java.time.ZoneOffset.UTC), new DeleteRateLimiter(1000));

        pruner.run(PruneRequest.all(false));

        // orders: exactly 30 days old is kept, one second older is not; billing: of three equal
        // creation times the greatest identifier is the newest, so keep-last 1 keeps tie-c
        assertThat(deleteRequests()).containsExactlyInAnyOrder("snapline-older", "snapline-tie-b", "snapline-tie-a");
        SnapshotSourcePlan plan = plans.of("b").get("snapshots:b").snapshotSources().get(0);
        assertThat(plan.kept()).filteredOn(d -> d.identifier().equals("snapline-ny-late"))
                .singleElement().satisfies(d -> assertThat(d.rules()).contains("keep-daily 2026-11-22"));
        assertThat(plan.kept()).filteredOn(d -> d.identifier().equals("snapline-ny-early"))
                .singleElement().satisfies(d -> assertThat(d.rules()).doesNotContain("keep-daily 2026-11-22"));
    }
}
