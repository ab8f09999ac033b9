package io.snapline.handler.prune;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.ledger.StepState;
import io.snapline.testing.PruneTestGateways;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static io.snapline.testing.PruneFixtures.exportPolicy;
import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrunerExportsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String BUCKET = "exports-bucket";

    final PruneTestGateways aws = new PruneTestGateways();
    final TestLedger ledger = new TestLedger();
    final PrunePlans plans = new PrunePlans();

    Pruner pruner(ExportRetentionProperties... exports) {
        return new Pruner(aws, ledger, List.of(), List.of(exports),
                new PruneProperties(1000, "arn:aws:sns:us-east-1:1:t", 1000, Duration.ofMinutes(5)), false, plans,
                Clock.fixed(NOW, ZoneOffset.UTC), new DeleteRateLimiter(1_000_000, System::nanoTime, n -> { }));
    }

    /** An export of source's snapshot, written under exports/<source>/<taskId>/ with n data objects. */
    ExportTask export(String taskId, String source, String status, Duration age, int objects) {
        String snapshotId = "snapline-" + taskId;
        aws.snapshots.add(managed(snapshotId, source, NOW.minus(age).minusSeconds(7200)));
        ExportTask t = task(taskId, snapshotId, status, BUCKET, "exports/" + source, NOW.minus(age));
        aws.exports.add(t);
        for (int i = 0; i < objects; i++) {
            aws.objects.put(BUCKET, t.s3Folder() + "orders/public.items/" + (i / 500) + "/part-" + i + ".gz.parquet");
        }
        if (t.complete()) {
            aws.objects.put(BUCKET, t.s3Folder() + "export_info_" + taskId + ".json");
            aws.objects.put(BUCKET, t.s3Folder() + "export_tables_info_" + taskId + "_from_1_to_1.json");
        }
        return t;
    }

    long objectsUnder(String folder) {
        return aws.objects.keys(BUCKET).stream().filter(k -> k.startsWith(folder)).count();
    }

    @Test
    void latestOnly_deletesEveryObjectOfOlderExports_keepsTheNewestCompleted_protectsInProgress_andRecrawls() {
        ExportTask t1 = export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 20);
        ExportTask t2 = export("exp-2", "orders", "COMPLETE", Duration.ofDays(2), 20);
        ExportTask t3 = export("exp-3", "orders", "IN_PROGRESS", Duration.ofDays(1), 5);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1,
                "analytics-crawler"));

        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(report.deletedExports()).isEqualTo(1);
        assertThat(objectsUnder(t1.s3Folder())).isZero();
        assertThat(objectsUnder(t2.s3Folder())).isEqualTo(22);
        assertThat(objectsUnder(t3.s3Folder())).isEqualTo(5);
        assertThat(aws.crawlers.started).containsExactly("analytics-crawler");
        assertThat(ledger.steps(StepState.DONE)).filteredOn(s -> s.step().startsWith("pruned-export:")).singleElement().satisfies(s -> {
            assertThat(s.step()).isEqualTo("pruned-export:analytics");
            assertThat(s.pipelineId()).isEqualTo(t1.sourceArn());
            assertThat(s.detail()).contains("exp-1").contains("22 objects").contains("beyond keep-last 1");
        });
        ExportSourcePlan plan = plans.of("analytics").get("exports:analytics").exportSources().get(0);
        assertThat(plan.decisions()).extracting(d -> d.export().taskId() + "=" + d.verdict())
                .containsExactlyInAnyOrder("exp-1=DELETE", "exp-2=KEEP", "exp-3=PROTECTED");
    }

    @Test
    void neverDeletesBeforeANewerExportOfTheSameSourceHasCompleted() {
        ExportTask only = export("exp-1", "orders", "COMPLETE", Duration.ofDays(30), 3);
        export("exp-2", "orders", "FAILED", Duration.ofDays(1), 3);
        export("exp-3", "orders", "STARTING", Duration.ofHours(1), 0);
        ExportTask billingOld = export("exp-b1", "billing", "COMPLETE", Duration.ofDays(40), 3);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}/", List.of("orders", "billing"), 7,
                1, null));

        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(report.deletedExports()).isZero();
        assertThat(objectsUnder(only.s3Folder())).isEqualTo(5);
        assertThat(objectsUnder(billingOld.s3Folder())).isEqualTo(5);
        assertThat(aws.crawlers.started).isEmpty();
    }

    @Test
    void failedExportOlderThanTheNewestCompleted_isDeleted() {
        ExportTask failed = export("exp-1", "orders", "FAILED", Duration.ofDays(3), 4);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(2), 4);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1, null));

        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isEqualTo(1);
        assertThat(objectsUnder(failed.s3Folder())).isZero();
    }

    @Test
    void keepDays_keepsAnExportExactlyNDaysOld() {
        ExportTask exact = export("exp-1", "orders", "COMPLETE", Duration.ofDays(7), 1);
        ExportTask older = export("exp-0", "orders", "COMPLETE", Duration.ofDays(7).plusSeconds(1), 1);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 1);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), 7, null, null));

        pruner.run(PruneRequest.all(false));

        assertThat(objectsUnder(exact.s3Folder())).isEqualTo(3);
        assertThat(objectsUnder(older.s3Folder())).isZero();
    }

    @Test
    void largeExport_isDeletedInBatchesOfAtMostAThousand_withTheMarkerLast() {
        ExportTask big = export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 5_500);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 1);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1, null));

        pruner.run(PruneRequest.all(false));

        assertThat(objectsUnder(big.s3Folder())).isZero();
        assertThat(aws.objects.largestDeleteBatch).isEqualTo(1000);
        // 5,501 data/JSON keys in 6 list pages => 6 batches, then the export_info marker alone
        assertThat(aws.objects.deleteCalls.get()).isEqualTo(7);
    }

    @Test
    void perKeyDeleteErrors_leaveTheExportMarked_recordFailure_andAreRetryable() {
        ExportTask t1 = export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 10);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 1);
        String stuck = t1.s3Folder() + "orders/public.items/0/part-3.gz.parquet";
        aws.objects.failKeys.add(stuck);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1,
                "analytics-crawler"));

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(RetryableProcessingException.class)
                .hasMessageContaining("exp-1").hasMessageContaining("AccessDenied");

        assertThat(aws.objects.keys(BUCKET)).contains(stuck, t1.s3Folder() + "export_info_exp-1.json");
        assertThat(objectsUnder(t1.s3Folder())).isEqualTo(2);
        assertThat(ledger.steps(StepState.FAILED)).singleElement()
                .satisfies(s -> assertThat(s.step()).isEqualTo("pruned-export:analytics"));
        assertThat(aws.crawlers.started).isEmpty();

        aws.objects.failKeys.clear();
        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isEqualTo(1);
        assertThat(objectsUnder(t1.s3Folder())).isZero();
    }

    @Test
    void foldersThatAreNotSnaplineExports_areLeftAlone() {
        export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 1);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 1);
        aws.objects.put(BUCKET, "exports/orders/manual-copy/data.csv");
        aws.objects.put(BUCKET, "exports/orders/exp-9/data.csv"); // a task id RDS does not know
        aws.exports.add(task("exp-elsewhere", "snapline-x", "COMPLETE", "other-bucket", "exports/orders",
                NOW.minus(Duration.ofDays(9))));
        aws.objects.put(BUCKET, "exports/orders/exp-elsewhere/data.csv"); // known task, other bucket
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1, null));

        pruner.run(PruneRequest.all(false));

        assertThat(aws.objects.keys(BUCKET)).contains("exports/orders/manual-copy/data.csv",
                "exports/orders/exp-9/data.csv", "exports/orders/exp-elsewhere/data.csv");
        PolicyPlan plan = plans.of("analytics").get("exports:analytics");
        assertThat(plan.unrecognisedCount()).isEqualTo(3);
    }

    @Test
    void exportCap_exceeded_deletesNothing() {
        for (int i = 0; i < 5; i++) {
            export("exp-" + i, "orders", "COMPLETE", Duration.ofDays(10 - i), 1);
        }
        Pruner pruner = pruner(new ExportRetentionProperties("analytics", BUCKET, "exports/{source}",
                List.of("orders"), null, null, null, null, null, null, null, new ExportRetentionProperties.Retention(null, 1, 3)));

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.exports.analytics.retention.max-deletes")
                .hasMessageContaining("would delete 4 exports, the cap is 3");
        assertThat(aws.objects.deleteCalls.get()).isZero();
    }

    @Test
    void exportCompletedListener_prunesOnlyThatPolicyAndSource() {
        ExportTask o1 = export("exp-o1", "orders", "COMPLETE", Duration.ofDays(3), 2);
        ExportTask o2 = export("exp-o2", "orders", "COMPLETE", Duration.ofDays(1), 2);
        ExportTask b1 = export("exp-b1", "billing", "COMPLETE", Duration.ofDays(3), 2);
        export("exp-b2", "billing", "COMPLETE", Duration.ofDays(1), 2);
        ExportRetentionProperties policy = exportPolicy("analytics", BUCKET, "exports/{source}",
                List.of("orders", "billing"), null, 1, "analytics-crawler");
        PruneOnExportCompleted listener = new PruneOnExportCompleted(pruner(policy), List.of(policy));

        listener.exportCompleted("analytics", "orders", o2);
        listener.exportCompleted("no-retention-policy", "orders", o2);

        assertThat(objectsUnder(o1.s3Folder())).isZero();
        assertThat(objectsUnder(b1.s3Folder())).isEqualTo(4);
        assertThat(plans.of("analytics").get("exports:analytics").trigger()).isEqualTo("export-completed:exp-o2");
        assertThat(aws.crawlers.started).as("the export pipeline crawls after its listeners").isEmpty();
    }

    @Test
    void exportsOfAPrunedSnapshot_areAttributedByTheAutomatedSnapshotName_orProtected() {
        aws.exports.add(task("exp-1", "rds:orders-2026-11-01-00-00", "COMPLETE", BUCKET, "exports",
                NOW.minus(Duration.ofDays(5))));
        aws.exports.add(task("exp-2", "rds:orders-2026-11-20-00-00", "COMPLETE", BUCKET, "exports",
                NOW.minus(Duration.ofDays(2))));
        aws.exports.add(task("exp-3", "gone-manual", "COMPLETE", BUCKET, "exports", NOW.minus(Duration.ofDays(9))));
        for (String id : List.of("exp-1", "exp-2", "exp-3")) {
            aws.objects.put(BUCKET, "exports/" + id + "/export_info_" + id + ".json");
        }
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports", List.of("orders"), null, 1, null));

        pruner.run(PruneRequest.all(false));

        assertThat(aws.objects.keys(BUCKET)).containsExactlyInAnyOrder("exports/exp-2/export_info_exp-2.json",
                "exports/exp-3/export_info_exp-3.json");
        assertThat(plans.of("analytics").get("exports:analytics").exportSources())
                .anySatisfy(s -> assertThat(s.decisions()).anySatisfy(d -> {
                    assertThat(d.export().taskId()).isEqualTo("exp-3");
                    assertThat(d.rules()).containsExactly("source-unknown");
                }));
    }

    @Test
    void dryRun_deletesNoObject() {
        ExportTask t1 = export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 3);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 3);
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1,
                "crawler"));

        PruneReport report = pruner.run(new PruneRequest(Optional.of("analytics"), Optional.empty(), true, true, true,
                "command"));

        assertThat(report.plan().deleteCount()).isEqualTo(1);
        assertThat(objectsUnder(t1.s3Folder())).isEqualTo(5);
        assertThat(aws.objects.deleteCalls.get()).isZero();
        assertThat(aws.crawlers.started).isEmpty();
        assertThat(ledger.steps).isEmpty();
    }

    @Test
    void crossAccountPolicy_readsAndDeletesWithTheSourceRole_andStartsTheCrawlerWithTheCrawlerRole() {
        export("exp-1", "orders", "COMPLETE", Duration.ofDays(3), 2);
        export("exp-2", "orders", "COMPLETE", Duration.ofDays(1), 2);
        String role = "arn:aws:iam::210987654321:role/snapline";
        Pruner pruner = pruner(new ExportRetentionProperties("analytics", BUCKET, "exports/{source}",
                List.of("orders"), "crawler", "arn:aws:iam::333333333333:role/crawler", null, null, role, "ext-1",
                "444444444444", new ExportRetentionProperties.Retention(null, 1, 20)));

        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isEqualTo(1);

        assertThat(aws.accessRequests).contains("exports=" + role, "objects=" + role, "snapshots=" + role,
                "crawlers=arn:aws:iam::333333333333:role/crawler", "objects-expected-owner=444444444444");
        assertThat(aws.accessRequests).doesNotContain("objects=default", "exports=default");
    }

    @Test
    void dateTemplatedPrefix_findsTaskFoldersBelowTheThreeDateLevels() {
        for (String[] e : new String[][] {{"exp-1", "2026/11/20", "3"}, {"exp-2", "2026/11/22", "1"}}) {
            String snapshotId = "snapline-" + e[0];
            aws.snapshots.add(managed(snapshotId, "orders", NOW.minus(Duration.ofDays(4))));
            ExportTask t = task(e[0], snapshotId, "COMPLETE", BUCKET, "exports/orders/" + e[1],
                    NOW.minus(Duration.ofDays(Long.parseLong(e[2]))));
            aws.exports.add(t);
            aws.objects.put(BUCKET, t.s3Folder() + "db/public.t/1/part-0.gz.parquet");
            aws.objects.put(BUCKET, t.s3Folder() + "export_info_" + e[0] + ".json");
        }
        Pruner pruner = pruner(exportPolicy("analytics", BUCKET, "exports/{source}/{date}", List.of("orders"), null, 1,
                null));

        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isEqualTo(1);

        assertThat(aws.objects.keys(BUCKET)).allMatch(k -> k.startsWith("exports/orders/2026/11/22/exp-2/"));
        assertThat(plans.of("analytics").get("exports:analytics").unrecognisedCount()).isZero();
    }
}
