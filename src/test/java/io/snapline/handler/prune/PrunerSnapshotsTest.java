package io.snapline.handler.prune;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.handler.Outcome;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.message.SnapshotRef;
import io.snapline.testing.PruneTestGateways;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.policy;
import static io.snapline.testing.PruneFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrunerSnapshotsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:snapline-prune";

    final PruneTestGateways aws = new PruneTestGateways();
    final TestLedger ledger = new TestLedger();
    final PrunePlans plans = new PrunePlans();

    Pruner pruner(boolean globalDryRun, RetentionPolicy... policies) {
        return pruner(globalDryRun, List.of(policies), List.of());
    }

    Pruner pruner(boolean globalDryRun, List<RetentionPolicy> policies, List<ExportRetentionProperties> exports) {
        return new Pruner(aws, ledger, policies, exports,
                new PruneProperties(1000, TOPIC, 1000, Duration.ofMinutes(5)), globalDryRun, plans,
                Clock.fixed(NOW, ZoneOffset.UTC), new DeleteRateLimiter(1_000_000, System::nanoTime, n -> { }));
    }

    /** orders: 10 managed daily snapshots (days 0..9), one automated, one untagged. */
    void ordersFixture() {
        for (int d = 0; d < 10; d++) {
            aws.snapshots.add(managed("snapline-orders-" + d, "orders", NOW.minus(Duration.ofDays(d))));
        }
        aws.snapshots.add(snapshot("rds:orders-2026-01-01-00-00", "orders", "automated", "available",
                NOW.minus(Duration.ofDays(300)), Map.of()));
        aws.snapshots.add(snapshot("snapline-orders-manual", "orders", "manual", "available",
                NOW.minus(Duration.ofDays(300)), Map.of()));
    }

    Set<String> ids() {
        return aws.snapshots.all().stream().map(s -> s.identifier()).collect(Collectors.toSet());
    }

    @Test
    void deletesWhatNoRuleKeeps_recordsEachInTheLedger_andNotifiesOnce() {
        ordersFixture();
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletePercent(60).build());

        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(aws.snapshots.deleted).containsExactlyInAnyOrder("snapline-orders-5", "snapline-orders-6",
                "snapline-orders-7", "snapline-orders-8", "snapline-orders-9");
        assertThat(ids()).contains("rds:orders-2026-01-01-00-00", "snapline-orders-manual", "snapline-orders-0");
        assertThat(report.deletedSnapshots()).isEqualTo(5);
        assertThat(ledger.steps(StepState.DONE)).filteredOn(s -> s.step().startsWith("pruned:")).hasSize(5).allSatisfy(s -> {
            assertThat(s.step()).isEqualTo("pruned:daily");
            assertThat(s.pipelineId()).startsWith("arn:aws:rds:");
            assertThat(s.detail()).contains("beyond keep-last 5");
        });
        assertThat(aws.notifications.published).singleElement().satisfies(n -> {
            assertThat(n.topicArn()).isEqualTo(TOPIC);
            assertThat(n.subject()).hasSizeLessThanOrEqualTo(100).contains("daily").contains("5 deleted");
            assertThat(n.body()).contains("\"deletedCount\":5").contains("snapline-orders-9")
                    .contains("\"keptCount\":5").contains("keep-last #1").contains("\"untagged\":1")
                    .contains("\"automated\":1");
        });
    }

    @Test
    void secondRun_deletesNothing() {
        ordersFixture();
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletePercent(60).build());
        pruner.run(PruneRequest.all(false));
        int deletes = aws.snapshots.deleteCalls.get();
        int notifications = aws.notifications.published.size();

        PruneReport second = pruner.run(PruneRequest.all(false));

        assertThat(second.deletedSnapshots()).isZero();
        assertThat(second.plan().deleteCount()).isZero();
        assertThat(aws.snapshots.deleteCalls.get()).isEqualTo(deletes);
        assertThat(aws.notifications.published).hasSize(notifications);
    }

    @Test
    void dryRun_changesNothing_butPublishesThePlan() {
        ordersFixture();
        Set<String> before = ids();
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletePercent(60).build());

        PruneReport report = pruner.run(PruneRequest.all(true));

        assertThat(ids()).isEqualTo(before);
        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(ledger.steps).isEmpty();
        assertThat(ledger.operation("prune#snapshots#daily")).isEmpty();
        assertThat(aws.notifications.published).isEmpty();
        assertThat(report.plan().dryRun()).isTrue();
        assertThat(report.summary()).contains("dry run: would delete 5");
        PolicyPlan plan = plans.of("daily").get("snapshots:daily");
        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.snapshotSources()).singleElement().satisfies(s -> {
            assertThat(s.deletions()).extracting(SnapshotDecision::identifier).hasSize(5);
            assertThat(s.kept()).hasSize(5);
            assertThat(s.protectedListed()).extracting(SnapshotDecision::identifier)
                    .contains("rds:orders-2026-01-01-00-00", "snapline-orders-manual");
        });
        assertThat(PlanJson.write(report.plan())).contains("\"verdict\":\"DELETE\"").contains("\"deleteCount\":5").contains("\"createTime\":\"2026-");
    }

    @Test
    void globalDryRun_winsOverTheCommand() {
        ordersFixture();
        Pruner pruner = pruner(true, policy("daily").keepLast(5).maxDeletePercent(60).build());
        Outcome outcome = new PruneAction(pruner).run(new Command("prune", Map.of(), false, Optional.empty()));
        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(outcome.reason()).startsWith("dry run");
    }

    @Test
    void countCap_exceeded_deletesNothing_recordsFailed_notifies_andFailsPermanently() {
        ordersFixture();
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletes(4).maxDeletePercent(100).build());

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.retention.daily.max-deletes")
                .hasMessageContaining("would delete 5 snapshots, the cap is 4");

        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(ledger.steps(StepState.FAILED)).singleElement()
                .satisfies(s -> assertThat(s.detail()).contains("deleted nothing").contains("max-deletes"));
        assertThat(aws.notifications.published).singleElement()
                .satisfies(n -> assertThat(n.body()).contains("capViolations").contains("the cap is 4"));
        assertThat(plans.of("daily").get("snapshots:daily").capViolations()).hasSize(1);
        assertThat(ledger.operation("prune#snapshots#daily")).as("lock released").isEmpty();
    }

    @Test
    void percentCap_exceeded_deletesNothing() {
        ordersFixture();
        Pruner pruner = pruner(false, policy("daily").keepLast(5).build()); // 5 of 10 = 50% is allowed
        pruner.run(PruneRequest.all(true));
        assertThat(plans.of("daily").get("snapshots:daily").capViolations()).isEmpty();

        Pruner stricter = pruner(false, policy("daily").keepLast(5).maxDeletePercent(49).build());
        assertThatThrownBy(() -> stricter.run(PruneRequest.all(false)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("max-delete-percent")
                .hasMessageContaining("5 of the 10 managed snapshots of orders (50%), the cap is 49%");
        assertThat(aws.snapshots.deleteCalls.get()).isZero();
    }

    @Test
    void oneCapExceeded_blocksEveryPolicyOfTheRun() {
        ordersFixture();
        for (int d = 0; d < 4; d++) {
            aws.snapshots.add(managed("snapline-billing-" + d, "billing", NOW.minus(Duration.ofDays(d))));
        }
        Pruner pruner = pruner(false,
                policy("orders").sources("orders").keepLast(5).maxDeletes(2).build(),
                policy("billing").sources("billing").keepLast(2).build());
        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).isInstanceOf(PermanentProcessingException.class);
        assertThat(aws.snapshots.deleteCalls.get()).isZero();
    }

    @Test
    void globSources_acrossManyPages_andTheSourceFilter() {
        // 3 sources x 400 snapshots, mixed kinds, listed 100 a page
        for (String src : List.of("orders-eu", "orders-us", "billing")) {
            for (int i = 0; i < 400; i++) {
                Instant t = NOW.minus(Duration.ofHours(6L * i));
                switch (i % 4) {
                    case 0 -> aws.snapshots.add(managed("snapline-" + src + "-" + i, src, t));
                    case 1 -> aws.snapshots.add(snapshot("rds:" + src + "-" + i, src, "automated", "available", t, Map.of()));
                    case 2 -> aws.snapshots.add(snapshot("snapline-" + src + "-" + i, src, "manual", "available", t, Map.of()));
                    default -> aws.snapshots.add(snapshot("awsbackup:" + src + "-" + i, src, "awsbackup", "available", t,
                            Map.of("snapline:managed", "true")));
                }
            }
        }
        Pruner pruner = pruner(false, policy("orders").sources("orders-*").keepDays(50).maxDeletes(200)
                .maxDeletePercent(100).scope("instance").build());

        PruneReport onlyEu = pruner.run(new PruneRequest(Optional.empty(), Optional.of("orders-eu"), true, false,
                false, "command"));
        // managed: i = 0,4,8,...; kept when 6h*i <= 50 days => i <= 200
        assertThat(onlyEu.deletedSnapshots()).isEqualTo(49); // i = 204..396 step 4
        assertThat(aws.snapshots.deleted).allMatch(id -> id.startsWith("snapline-orders-eu-"));

        PruneReport all = pruner.run(PruneRequest.all(false));
        assertThat(all.deletedSnapshots()).isEqualTo(49);
        assertThat(aws.snapshots.deleted).anyMatch(id -> id.startsWith("snapline-orders-us-"))
                .noneMatch(id -> id.contains("billing"));
        assertThat(aws.snapshots.all()).filteredOn(s -> s.sourceId().equals("billing")).hasSize(400);
    }

    @Test
    void failedDelete_isRecorded_othersStillGo_andTheRunIsRetryable() {
        ordersFixture();
        aws.snapshots.failDeletes.add("snapline-orders-7");
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletePercent(60).build());

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false)))
                .isInstanceOf(RetryableProcessingException.class)
                .hasMessageContaining("snapline-orders-7");

        assertThat(aws.snapshots.deleted).hasSize(4).doesNotContain("snapline-orders-7");
        assertThat(ledger.steps(StepState.FAILED)).singleElement()
                .satisfies(s -> assertThat(s.identifier()).isEqualTo("snapline-orders-7"));
        aws.snapshots.failDeletes.clear();
        assertThat(pruner.run(PruneRequest.all(false)).deletedSnapshots()).isEqualTo(1);
    }

    @Test
    void unknownPolicy_isAPermanentFailureListingTheKnownOnes() {
        Pruner pruner = pruner(false, policy("daily").keepLast(5).build());
        assertThatThrownBy(() -> new PruneAction(pruner).run(new Command("prune", Map.of("policy", "nope"), false,
                Optional.empty())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("[daily]");
    }

    @Test
    void snapshotReadByAnExportTask_isNotDeleted() {
        ordersFixture();
        aws.exports.add(io.snapline.testing.PruneFixtures.task("exp-1", "snapline-orders-9", "IN_PROGRESS",
                "b", "p", NOW));
        Pruner pruner = pruner(false, policy("daily").keepLast(5).maxDeletePercent(60).build());

        pruner.run(PruneRequest.all(false));

        assertThat(aws.snapshots.deleted).hasSize(4).doesNotContain("snapline-orders-9");
    }

    @Test
    void clusterScope_usesClusterSnapshots() {
        for (int d = 0; d < 3; d++) {
            String id = "snapline-aurora-" + d;
            aws.snapshots.add(new io.snapline.gateway.SnapshotGateway.SnapshotInfo(id,
                    "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:" + id, SnapshotRef.Scope.CLUSTER_SNAPSHOT,
                    "aurora", "manual", "available", NOW.minus(Duration.ofDays(d)), "aurora-postgresql",
                    Map.of("snapline:managed", "true")));
        }
        Pruner instanceOnly = pruner(false, policy("c").sources("aurora").scope("instance").keepLast(1)
                .maxDeletePercent(100).build());
        assertThat(instanceOnly.run(PruneRequest.all(false)).deletedSnapshots()).isZero();
        Pruner cluster = pruner(false, policy("c").sources("aurora").scope("cluster").keepLast(1)
                .maxDeletePercent(100).build());
        assertThat(cluster.run(PruneRequest.all(false)).deletedSnapshots()).isEqualTo(2);
    }
}
