package io.snapline.handler.export;

import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcileActionTest {

    private ExportFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private static Command reconcile(boolean dryRun) {
        return new Command("reconcile", Map.of(), dryRun, Optional.empty());
    }

    @Test
    void snapshotWithNoExport_isExported_andASecondRunDoesNothing() {
        f = new ExportFixture(policy().sources("ord*").aclMode("per-object").build());
        var snap = f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");
        f.aws.addSnapshot("rds:billing-2024-03-01-00-00", "billing", "automated", "available", "postgres");

        Outcome first = f.reconcile.run(reconcile(false));
        Outcome second = f.reconcile.run(reconcile(false));

        assertThat(f.aws.startRequests).singleElement().satisfies(r -> assertThat(r.sourceArn()).isEqualTo(snap.arn()));
        assertThat(first.reason()).contains("1 re-driven").contains("start export of rds:orders-2024-03-01-00-00");
        assertThat(second.reason()).contains("nothing missing");
    }

    @Test
    void completeExportWithNoAcl_getsAclThenCrawl_andASecondRunDoesNothing() throws Exception {
        f = new ExportFixture(policy().aclMode("per-object").build());
        var snap = f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");
        f.pipeline.start(f.policies.all().get(0), snap);
        String taskId = f.onlyTask().taskId();
        f.clock.advance(Duration.ofMinutes(20));
        f.aws.finishExport(taskId, "COMPLETE", null, 4);
        // the finished event was lost

        Outcome first = f.reconcile.run(reconcile(false));

        assertThat(first.reason()).contains("ACL rewrite for export " + taskId);
        assertThat(f.aws.ungranted("exports-bucket", f.onlyTask().s3Folder())).isEmpty();
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);

        f.aws.finishCrawl("orders-crawler");
        int aclCalls = f.aws.aclCalls.size();
        Outcome second = f.reconcile.run(reconcile(false));
        assertThat(second.reason()).contains("nothing missing");
        assertThat(f.aws.aclCalls).hasSize(aclCalls);
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.aws.startRequests).hasSize(1);
    }

    @Test
    void aclDoneButNoCrawl_startsTheCrawler() throws Exception {
        f = new ExportFixture(policy().aclMode("per-object").build());
        var snap = f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");
        f.pipeline.start(f.policies.all().get(0), snap);
        String taskId = f.onlyTask().taskId();
        f.aws.finishExport(taskId, "COMPLETE", null, 2);
        f.acl.rewrite(f.pipeline.subject(f.policies.all().get(0), f.onlyTask()), f.onlyTask());
        int aclCalls = f.aws.aclCalls.size();
        f.clock.advance(Duration.ofMinutes(1));

        Outcome outcome = f.reconcile.run(reconcile(false));

        assertThat(outcome.reason()).contains("crawler orders-crawler for export " + taskId);
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.aws.aclCalls).hasSize(aclCalls);
    }

    @Test
    void failedExportNotNotified_isNotified() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");
        f.pipeline.start(f.policies.all().get(0), snap);
        f.aws.finishExport(f.onlyTask().taskId(), "FAILED", "KMS key disabled", 0);

        f.reconcile.run(reconcile(false));
        f.reconcile.run(reconcile(false));

        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body()).contains("KMS key disabled"));
    }

    @Test
    void dryRun_reportsButChangesNothing() {
        f = new ExportFixture(policy().build());
        f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");

        Outcome outcome = f.reconcile.run(reconcile(true));

        assertThat(outcome.reason()).contains("dry run").contains("would start export of rds:orders-2024-03-01-00-00");
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void oldSnapshots_areOutsideTheWindow() {
        f = new ExportFixture(policy().build());
        f.aws.addSnapshot("rds:orders-2024-02-01-00-00", "orders", "automated", "available", "postgres");
        f.clock.advance(Duration.ofDays(10));

        assertThat(f.reconcile.run(reconcile(false)).reason()).contains("nothing missing");
        assertThat(f.reconcile.run(new Command("reconcile", Map.of("days", "14"), false, Optional.empty())).reason())
                .contains("start export");
    }

    @Test
    void badDaysArgument_isPermanent() {
        f = new ExportFixture(policy().build());
        assertThatThrownBy(() -> f.reconcile.run(new Command("reconcile", Map.of("days", "week"), false, Optional.empty())))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("days");
        assertThatThrownBy(() -> f.reconcile.run(new Command("reconcile", Map.of("policy", "nope"), false, Optional.empty())))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("known: analytics");
    }

    @Test
    void sourceAndSinceHours_narrowTheRun() {
        f = new ExportFixture(policy().sources("*").build());
        f.aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "postgres");
        f.aws.addSnapshot("rds:billing-2024-03-01-00-00", "billing", "automated", "available", "postgres");
        f.clock.advance(Duration.ofHours(30));

        assertThat(f.reconcile.run(new Command("reconcile", Map.of("sinceHours", "24"), false, Optional.empty())).reason())
                .contains("over 24 hours").contains("nothing missing");
        f.reconcile.run(new Command("reconcile", Map.of("sinceHours", "48", "source", "bill*"), false, Optional.empty()));

        assertThat(f.aws.startRequests).singleElement()
                .satisfies(r -> assertThat(r.sourceArn()).endsWith("billing-2024-03-01-00-00"));
    }

    @Test
    void manualSnapshot_isTakenByCopyPolicies() {
        f = new ExportFixture(policy().kinds("copy").build());
        f.aws.addSnapshot("orders-copy-1", "orders", "manual", "available", "postgres");

        f.reconcile.run(reconcile(false));

        assertThat(f.aws.startRequests).hasSize(1);
    }
}
