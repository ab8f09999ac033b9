package io.snapline.handler.schedule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.aws.FakeAwsFixture;
import io.snapline.config.SchedulingProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.config.SnapshotSchedule;
import io.snapline.error.PermanentProcessingException;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.fake.LoggedRequest;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot command through the real SDK gateways against the wire fakes, with the real step runner and ledger. */
class ScheduledSnapshotsIT {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:snapline-schedules";
    static final Instant SLOT = Instant.parse("2026-12-01T17:00:00Z"); // 02:00 JST on 2 December

    final FakeAwsFixture aws = new FakeAwsFixture();
    final FakeRds rds = aws.fake().rds();
    final MutableClock clock = new MutableClock(SLOT.plusSeconds(20));
    final TestLedger ledger = new TestLedger(clock);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final StepRunner runner = new StepRunner(ledger, Duration.ofMinutes(5), meters, clock);
    final List<String> webhooks = new CopyOnWriteArrayList<>();
    final ManualSnapshotGauge gauge = new ManualSnapshotGauge(aws.gateways(), meters,
            new SnaplineProperties(false, "ap-northeast-1"), new SchedulingProperties(100, false));

    @AfterEach
    void close() {
        aws.close();
    }

    static SnapshotSchedule schedule(String scope, String... sources) {
        return new SnapshotSchedule("twice-daily", List.of(sources), scope, "cron(0 2,14 * * ? *)", "Asia/Tokyo",
                "snapline-td", null, Duration.ofHours(6), TOPIC, "https://hooks.example/x");
    }

    SnapshotAction action(SnapshotSchedule... schedules) {
        ScheduledSnapshots snapshots = new ScheduledSnapshots(aws.gateways(), runner,
                new ScheduleNotifier(aws.gateways(), (url, text) -> webhooks.add(text)), gauge, meters);
        return new SnapshotAction(List.of(schedules), snapshots, clock);
    }

    static Command tick(String policy, Object slot) {
        return new Command("snapshot", Map.of("policy", policy, "slot", slot.toString()), false, Optional.empty());
    }

    List<LoggedRequest> creates() {
        List<LoggedRequest> all = new java.util.ArrayList<>(aws.fake().requests("CreateDBSnapshot"));
        all.addAll(aws.fake().requests("CreateDBClusterSnapshot"));
        return all;
    }

    @Test
    void aTick_createsOneTaggedSnapshotPerSource_andDuplicatesCreateNothingMore() {
        rds.addInstance("orders-db");
        rds.addInstance("billing-db");
        SnapshotAction action = action(schedule("instance", "orders-db", "billing-*"));

        Outcome first = action.run(tick("twice-daily", SLOT));
        Outcome again = action.run(tick("twice-daily", SLOT));
        Outcome withSeconds = action.run(tick("twice-daily", "2026-12-01T17:00:07Z"));

        assertThat(first.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(again.reason()).contains("already_done");
        assertThat(withSeconds.reason()).contains("already_done");
        assertThat(creates()).hasSize(2);
        FakeRds.Snapshot s = rds.snapshot("snapline-td-orders-db-20261202-0200").orElseThrow();
        assertThat(s.sourceId()).isEqualTo("orders-db");
        assertThat(s.status()).isEqualTo("creating");
        assertThat(aws.fake().requests("CreateDBSnapshot").get(0).params()).containsEntry("Tags.Tag.1.Key", "snapline:managed")
                .containsValue("twice-daily").containsValue("2026-12-01T17:00:00Z");
        assertThat(rds.snapshot("snapline-td-billing-db-20261202-0200")).isPresent();
        assertThat(ledger.steps).anyMatch(r -> r.step().equals("snapshot:twice-daily") && r.state() == StepState.DONE
                && r.identifier().equals("snapline-td-orders-db-20261202-0200"));
        // in the pipeline of the snapshot's ARN, which its "created" event and export continue
        assertThat(ledger.steps).filteredOn(r -> r.identifier().equals("snapline-td-orders-db-20261202-0200"))
                .extracting(TestLedger.StepRecord::pipelineId)
                .containsOnly("arn:aws:rds:us-east-1:" + FakeAws.ACCOUNT + ":snapshot:snapline-td-orders-db-20261202-0200");
    }

    @Test
    void anExistingSnapshotOfTheSameSource_isAlreadyDone_withoutASecondSnapshot() {
        rds.addInstance("orders-db");
        rds.addDbSnapshot("snapline-td-orders-db-20261202-0200", "orders-db");

        Outcome o = action(schedule("instance", "orders-db")).run(tick("twice-daily", SLOT));

        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(o.reason()).contains("exists already (same source)");
        assertThat(rds.snapshotCount()).isEqualTo(1);
    }

    @Test
    void anExistingSnapshotOfAnotherSource_isAPermanentNotifiedFailure() {
        rds.addInstance("orders-db");
        rds.addDbSnapshot("snapline-td-orders-db-20261202-0200", "someone-else");

        assertThatThrownBy(() -> action(schedule("instance", "orders-db")).run(tick("twice-daily", SLOT)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("taken by a snapshot of someone-else");
        assertThat(aws.fake().sns().messages(TOPIC)).singleElement()
                .satisfies(m -> assertThat(m.body()).contains("snapshot-failed").contains("someone-else"));
        assertThat(webhooks).hasSize(1);
    }

    @Test
    void aBusySource_isRecheckedLater_thenSnapshotted() {
        rds.addInstance("orders-db").status("backing-up");
        SnapshotAction action = action(schedule("instance", "orders-db"));

        Outcome busy = action.run(tick("twice-daily", SLOT));
        assertThat(busy.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(busy.recheckAfter()).contains(ScheduledSnapshots.BUSY_RECHECK);
        assertThat(busy.reason()).contains("InvalidDBInstanceState");
        assertThat(rds.snapshotCount()).isZero();

        rds.addInstance("orders-db"); // available again
        clock.advance(Duration.ofMinutes(5));
        assertThat(action.run(tick("twice-daily", SLOT)).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(rds.snapshot("snapline-td-orders-db-20261202-0200")).isPresent();
    }

    @Test
    void aBusyCluster_isRecheckedLater() {
        rds.addClusterSource(FakeAws.REGION, "ledger-cluster").status("modifying");
        Outcome o = action(schedule("cluster", "ledger-cluster")).run(tick("twice-daily", SLOT));
        assertThat(o.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(o.reason()).contains("InvalidDBClusterStateFault");
    }

    @Test
    void aSourceThatNoLongerExists_failsForThatSourceOnly_notifiedOnce() {
        rds.addInstance("orders-db");
        SnapshotAction action = action(schedule("instance", "orders-db", "gone-db"));

        Outcome o = action.run(tick("twice-daily", SLOT));
        Outcome dup = action.run(tick("twice-daily", SLOT));

        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(o.reason()).contains("failed: snapline-td-gone-db-20261202-0200").contains("no longer exists")
                .contains("DBInstanceNotFound");
        assertThat(dup.reason()).contains("failed permanently before");
        assertThat(rds.snapshot("snapline-td-orders-db-20261202-0200")).isPresent();
        assertThat(aws.fake().requests("CreateDBSnapshot")).hasSize(2); // the duplicate repeats neither call
        assertThat(aws.fake().sns().messages(TOPIC)).hasSize(1);
        assertThat(ledger.steps).anyMatch(r -> r.identifier().equals("snapline-td-gone-db-20261202-0200")
                && r.state() == StepState.FAILED && r.pipelineId().equals("snapline-td-gone-db-20261202-0200"));
    }

    @Test
    void theQuotaUsedUp_isPermanentAndNotified() {
        rds.addInstance("orders-db");
        rds.manualSnapshotQuota(1);
        rds.addDbSnapshot("by-hand", "orders-db");

        assertThatThrownBy(() -> action(schedule("instance", "orders-db")).run(tick("twice-daily", SLOT)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("manual snapshot quota")
                .hasMessageContaining("SnapshotQuotaExceeded");
        assertThat(aws.fake().sns().messages(TOPIC)).hasSize(1);
    }

    @Test
    void clusters_getAClusterSnapshotWithinSixtyThreeCharacters() {
        String longName = "ledger-" + "x".repeat(50);
        rds.addClusterSource(FakeAws.REGION, longName);
        rds.addClusterSource(FakeAws.REGION, "ledger-main");

        Outcome o = action(schedule("cluster", "ledger-*")).run(tick("twice-daily", SLOT));

        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(aws.fake().requests("CreateDBClusterSnapshot")).hasSize(2)
                .allSatisfy(r -> assertThat(r.params().get("DBClusterSnapshotIdentifier").length()).isLessThanOrEqualTo(63));
        assertThat(rds.snapshot("snapline-td-ledger-main-20261202-0200")).get().extracting(FakeRds.Snapshot::cluster)
                .isEqualTo(true);
    }

    @Test
    void staleFutureAndNonSlotTicks_areSkippedWithTheirReason_andCounted() {
        rds.addInstance("orders-db");
        SnapshotAction action = action(schedule("instance", "orders-db"));

        clock.advance(Duration.ofHours(7));
        Outcome stale = action.run(tick("twice-daily", SLOT));
        Outcome future = action.run(tick("twice-daily", SLOT.plus(Duration.ofHours(12))));
        Outcome notASlot = action.run(tick("twice-daily", "2026-12-01T18:00:00Z"));

        assertThat(stale.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(stale.reason()).contains("older than the catch-up window");
        assertThat(future.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(future.reason()).contains("ahead of the service's clock");
        assertThat(notASlot.reason()).contains("is not a slot of cron(0 2,14 * * ? *) in Asia/Tokyo");
        assertThat(creates()).isEmpty();
        assertThat(meters.counter("snapline.snapshot.ticks.skipped", "policy", "twice-daily", "reason", "stale").count())
                .isEqualTo(1.0);
    }

    @Test
    void theConsoleOverview_showsTheNextSlotInTheZone_andTheLastTickFromTheLedger_evenAFailedHostileOne() {
        rds.addInstance("orders-db");
        SnapshotSchedule schedule = schedule("instance", "orders-db");
        ScheduledSnapshots snapshots = new ScheduledSnapshots(aws.gateways(), runner,
                new ScheduleNotifier(aws.gateways(), (url, text) -> webhooks.add(text)), gauge, meters);
        SnapshotAction action = new SnapshotAction(List.of(schedule), snapshots, clock, ledger);
        ScheduleOverview overview = new ScheduleOverview(List.of(schedule), ledger, clock);

        assertThat(overview.schedules()).singleElement().satisfies(s -> {
            assertThat(s.nextSlot()).contains(Instant.parse("2026-12-02T05:00:00Z")); // 14:00 JST
            assertThat(s.lastResult()).isEmpty();
        });

        action.run(tick("twice-daily", SLOT));
        assertThat(overview.schedules()).singleElement().satisfies(s -> {
            assertThat(s.lastRunAt()).contains(clock.instant());
            assertThat(s.lastResult()).hasValueSatisfying(r -> assertThat(r).startsWith("DONE: slot 2026-12-01T17:00:00Z"));
        });

        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> action.run(tick("twice-daily", "yesterday\uD800\n" + "x".repeat(10_000))))
                .isInstanceOf(PermanentProcessingException.class);
        assertThat(overview.schedules()).singleElement().satisfies(s -> {
            assertThat(s.lastRunAt()).contains(clock.instant());
            assertThat(s.lastResult()).hasValueSatisfying(r -> assertThat(r).startsWith("FAILED: slot yesterday")
                    .contains("is not an ISO-8601 instant").doesNotContain("\n").hasSizeLessThan(1100));
        });
    }

    @Test
    void anUnknownPolicyOrABadSlot_isPermanent_evenWhenHostile() {
        SnapshotAction action = action(schedule("instance", "orders-db"));
        assertThatThrownBy(() -> action.run(tick("nope\uD800", SLOT))).isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("known: twice-daily");
        assertThatThrownBy(() -> action.run(tick("twice-daily", "yesterday\n" + "x".repeat(10_000))))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("is not an ISO-8601 instant")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
    }

    @Test
    void theManualSnapshotGauge_countsAfterATick() {
        rds.addInstance("orders-db");
        rds.addDbSnapshot("by-hand", "orders-db");
        rds.addDbSnapshot("rds:orders-db-2026-12-01-00-00", "orders-db");

        action(schedule("instance", "orders-db")).run(tick("twice-daily", SLOT));

        assertThat(meters.get("snapline.manual.snapshots").tags("region", "ap-northeast-1", "scope", "instance").gauge()
                .value()).isEqualTo(2.0);
        assertThat(meters.get("snapline.manual.snapshot.quota").tags("scope", "instance").gauge().value()).isEqualTo(100.0);
    }

    SnapshotCatchUp catchUp(SnapshotSchedule schedule) {
        ScheduledSnapshots snapshots = new ScheduledSnapshots(aws.gateways(), runner,
                new ScheduleNotifier(aws.gateways(), (url, text) -> webhooks.add(text)), gauge, meters);
        return new SnapshotCatchUp(List.of(schedule), snapshots, aws.gateways(), clock);
    }

    static Command reconcile(boolean dryRun) {
        return new Command("reconcile", Map.of(), dryRun, Optional.empty());
    }

    @Test
    void reconcile_createsOnlyTheNewestMissedSlotLate_onceEvenIfRunAgain_andALateTickIsThenAlreadyDone() {
        rds.addInstance("orders-db");
        SnapshotSchedule schedule = new SnapshotSchedule("twice-daily", List.of("orders-db"), "instance",
                "cron(0 2,14 * * ? *)", "Asia/Tokyo", "snapline-td", null, Duration.ofHours(14), TOPIC, null);
        // both the 02:00 and the 14:00 JST slots of 2 December were missed; it is 15:00 JST
        clock.set(Instant.parse("2026-12-02T06:00:00Z"));

        String dry = catchUp(schedule).reconcile(reconcile(true));
        assertThat(dry).contains("would create late snapline-td-orders-db-20261202-1400");
        assertThat(creates()).isEmpty();

        String first = catchUp(schedule).reconcile(reconcile(false));
        String second = catchUp(schedule).reconcile(reconcile(false));

        assertThat(first).contains("late snapline-td-orders-db-20261202-1400");
        assertThat(second).contains("nothing missing");
        assertThat(creates()).singleElement().satisfies(r ->
                assertThat(r.params()).containsEntry("DBSnapshotIdentifier", "snapline-td-orders-db-20261202-1400"));
        Outcome lateTick = action(schedule).run(tick("twice-daily", "2026-12-02T05:00:00Z"));
        assertThat(lateTick.reason()).contains("already_done");
        assertThat(creates()).hasSize(1);
    }

    @Test
    void reconcile_leavesASlotOutsideTheCatchUpWindow() {
        rds.addInstance("orders-db");
        clock.set(SLOT.plus(Duration.ofHours(7))); // 09:00 JST: the 02:00 slot is 7 h old, the window 6 h
        String summary = catchUp(schedule("instance", "orders-db")).reconcile(reconcile(false));
        assertThat(summary).contains("no slot within the catch-up window");
        assertThat(creates()).isEmpty();
    }
}
