package io.snapline.handler.prune;

import io.snapline.config.RetentionPolicy;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.message.SnapshotRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.policy;
import static io.snapline.testing.PruneFixtures.snapshot;
import static io.snapline.testing.PruneFixtures.snapshotArn;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotRetentionPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final SnapshotRef.Scope DB = SnapshotRef.Scope.DB_SNAPSHOT;

    static SnapshotSourcePlan plan(RetentionPolicy p, List<SnapshotInfo> snapshots) {
        return plan(p, snapshots, Set.of());
    }

    static SnapshotSourcePlan plan(RetentionPolicy p, List<SnapshotInfo> snapshots, Set<String> inExport) {
        return new SnapshotRetentionPlanner(p, NOW, inExport, 1000).plan(DB, "orders", snapshots);
    }

    static List<String> deleted(SnapshotSourcePlan plan) {
        return plan.deletions().stream().map(SnapshotDecision::identifier).toList();
    }

    static List<String> kept(SnapshotSourcePlan plan) {
        return plan.kept().stream().map(SnapshotDecision::identifier).toList();
    }

    @Test
    void keepDays_keepsSnapshotExactlyNDaysOld_andDeletesOneSecondOlder() {
        RetentionPolicy p = policy("d").keepDays(30).build();
        SnapshotSourcePlan plan = plan(p, List.of(
                managed("snapline-exact", "orders", NOW.minus(Duration.ofDays(30))),
                managed("snapline-older", "orders", NOW.minus(Duration.ofDays(30)).minusSeconds(1))));

        assertThat(kept(plan)).containsExactly("snapline-exact");
        assertThat(plan.kept().get(0).rules()).containsExactly("keep-days 30");
        assertThat(deleted(plan)).containsExactly("snapline-older");
        assertThat(plan.deletions().get(0).why()).contains("beyond keep-days 30");
    }

    @Test
    void keepLast_withEqualCreationTimes_breaksTiesByIdentifier_whateverTheInputOrder() {
        RetentionPolicy p = policy("k").keepLast(2).build();
        Instant t = NOW.minus(Duration.ofDays(3));
        List<SnapshotInfo> snaps = new ArrayList<>(List.of(
                managed("snapline-a", "orders", t), managed("snapline-b", "orders", t),
                managed("snapline-c", "orders", t), managed("snapline-d", "orders", t)));
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(snaps, new java.util.Random(i));
            SnapshotSourcePlan plan = plan(p, snaps);
            assertThat(kept(plan)).containsExactly("snapline-d", "snapline-c");
            assertThat(plan.kept().get(0).rules()).containsExactly("keep-last #1");
            assertThat(deleted(plan)).containsExactly("snapline-b", "snapline-a");
        }
    }

    @Test
    void keepLast_prefersLaterCreationTimeOverIdentifier() {
        RetentionPolicy p = policy("k").keepLast(1).build();
        SnapshotSourcePlan plan = plan(p, List.of(
                managed("snapline-z", "orders", NOW.minus(Duration.ofDays(2))),
                managed("snapline-a", "orders", NOW.minus(Duration.ofDays(1)))));
        assertThat(kept(plan)).containsExactly("snapline-a");
        assertThat(deleted(plan)).containsExactly("snapline-z");
    }

    @Test
    void keepDaily_cutsDaysInTheConfiguredZone_notUtc() {
        // NOW is 2026-11-23T03:00Z: still 2026-11-22 in New York (UTC-5).
        Instant now = Instant.parse("2026-11-23T03:00:00Z");
        List<SnapshotInfo> snaps = List.of(
                managed("snapline-a", "orders", Instant.parse("2026-11-23T01:00:00Z")), // NY 11-22 20:00
                managed("snapline-b", "orders", Instant.parse("2026-11-22T12:00:00Z")), // NY 11-22 07:00
                managed("snapline-c", "orders", Instant.parse("2026-11-22T02:00:00Z"))); // NY 11-21 21:00

        SnapshotSourcePlan ny = new SnapshotRetentionPlanner(policy("g").keepDaily(2).zone("America/New_York").build(),
                now, Set.of(), 100).plan(DB, "orders", snaps);
        assertThat(kept(ny)).containsExactly("snapline-a", "snapline-c");
        assertThat(ny.kept().get(0).rules()).containsExactly("keep-daily 2026-11-22");
        assertThat(ny.kept().get(1).rules()).containsExactly("keep-daily 2026-11-21");
        assertThat(deleted(ny)).containsExactly("snapline-b");

        SnapshotSourcePlan utc = new SnapshotRetentionPlanner(policy("g").keepDaily(2).build(), now, Set.of(), 100)
                .plan(DB, "orders", snaps);
        assertThat(kept(utc)).containsExactly("snapline-a", "snapline-b");
        assertThat(deleted(utc)).containsExactly("snapline-c");
    }

    @Test
    void keepWeeklyAndMonthly_keepTheNewestOfEachIsoWeekAndMonth_inRange() {
        // NOW: Monday 2026-11-23 (ISO week 48).
        RetentionPolicy p = policy("g").keepWeekly(2).keepMonthly(2).build();
        SnapshotSourcePlan plan = plan(p, List.of(
                managed("snapline-w48", "orders", Instant.parse("2026-11-23T01:00:00Z")),
                managed("snapline-w47-sun", "orders", Instant.parse("2026-11-22T01:00:00Z")),
                managed("snapline-w47-mon", "orders", Instant.parse("2026-11-16T01:00:00Z")),
                managed("snapline-w46", "orders", Instant.parse("2026-11-10T01:00:00Z")),
                managed("snapline-oct-late", "orders", Instant.parse("2026-10-30T01:00:00Z")),
                managed("snapline-oct-early", "orders", Instant.parse("2026-10-02T01:00:00Z")),
                managed("snapline-sep", "orders", Instant.parse("2026-09-30T01:00:00Z"))));

        assertThat(plan.kept()).extracting(SnapshotDecision::identifier, SnapshotDecision::rules).containsExactly(
                org.assertj.core.groups.Tuple.tuple("snapline-w48", List.of("keep-weekly 2026-W48", "keep-monthly 2026-11")),
                org.assertj.core.groups.Tuple.tuple("snapline-w47-sun", List.of("keep-weekly 2026-W47")),
                org.assertj.core.groups.Tuple.tuple("snapline-oct-late", List.of("keep-monthly 2026-10")));
        assertThat(deleted(plan)).containsExactly("snapline-w47-mon", "snapline-w46", "snapline-oct-early",
                "snapline-sep");
    }

    @Test
    void rulesAreAUnion_aSnapshotKeptByAnyRuleIsKept() {
        RetentionPolicy p = policy("u").keepDays(7).keepLast(3).build();
        List<SnapshotInfo> snaps = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            snaps.add(managed("snapline-" + d, "orders", NOW.minus(Duration.ofDays(d * 2L))));
        }
        SnapshotSourcePlan plan = plan(p, snaps);
        // days 0,2,4,6 within 7 days; #1-#3 newest are the same ones: union = 4 kept
        assertThat(kept(plan)).containsExactly("snapline-0", "snapline-1", "snapline-2", "snapline-3");
        assertThat(plan.kept().get(3).rules()).containsExactly("keep-days 7");
        assertThat(deleted(plan)).hasSize(6);
    }

    @Test
    void neverSelects_automatedBackupSharedPublicUntaggedMismatchedUnavailableOrInExport() {
        RetentionPolicy p = policy("s").keepLast(1).build();
        Instant old = NOW.minus(Duration.ofDays(400));
        List<SnapshotInfo> snaps = List.of(
                managed("snapline-newest", "orders", NOW),
                snapshot("rds:orders-2025-01-01-00-00", "orders", "automated", "available", old, Map.of()),
                snapshot("awsbackup:job-1", "orders", "awsbackup", "available", old, Map.of()),
                snapshot("snapline-shared", "orders", "shared", "available", old, Map.of("snapline:managed", "true")),
                snapshot("snapline-public", "orders", "public", "available", old, Map.of("snapline:managed", "true")),
                snapshot("snapline-untagged", "orders", "manual", "available", old, Map.of()),
                snapshot("snapline-wrongvalue", "orders", "manual", "available", old, Map.of("snapline:managed", "false")),
                snapshot("other-prefix", "orders", "manual", "available", old, Map.of("snapline:managed", "true")),
                snapshot("snapline-creating", "orders", "manual", "creating", old, Map.of("snapline:managed", "true")),
                managed("snapline-exporting", "orders", old),
                managed("snapline-deletable", "orders", old));

        SnapshotSourcePlan plan = plan(p, snaps, Set.of(snapshotArn("snapline-exporting")));

        assertThat(deleted(plan)).containsExactly("snapline-deletable");
        assertThat(plan.protectedCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "automated", 1, "awsbackup", 1, "shared", 1, "public", 1, "untagged", 2,
                "name-prefix-mismatch", 1, "not-available", 1, "in-export", 1));
        assertThat(plan.seen()).isEqualTo(11);
        assertThat(plan.managed()).isEqualTo(4); // newest, creating, exporting, deletable
        assertThat(plan.protectedListed()).extracting(SnapshotDecision::identifier)
                .contains("snapline-exporting", "snapline-creating");
    }

    @Test
    void inExportSnapshot_keptByARule_isReportedAsKept() {
        RetentionPolicy p = policy("s").keepLast(1).build();
        SnapshotSourcePlan plan = plan(p, List.of(managed("snapline-1", "orders", NOW)),
                Set.of(snapshotArn("snapline-1")));
        assertThat(kept(plan)).containsExactly("snapline-1");
        assertThat(plan.deletions()).isEmpty();
    }

    @Test
    void unavailableSnapshots_doNotCountTowardKeepLast() {
        RetentionPolicy p = policy("s").keepLast(1).build();
        SnapshotSourcePlan plan = plan(p, List.of(
                snapshot("snapline-new", "orders", "manual", "creating", NOW, Map.of("snapline:managed", "true")),
                managed("snapline-old", "orders", NOW.minus(Duration.ofDays(1)))));
        assertThat(kept(plan)).containsExactly("snapline-old");
        assertThat(plan.deletions()).isEmpty();
    }

    @Test
    void customManagementTag_isRequiredWithItsValue() {
        RetentionPolicy p = policy("t").keepLast(1).tag("team", "data").build();
        Instant old = NOW.minus(Duration.ofDays(9));
        SnapshotSourcePlan plan = plan(p, List.of(
                snapshot("snapline-n", "orders", "manual", "available", NOW, Map.of("team", "data")),
                snapshot("snapline-a", "orders", "manual", "available", old, Map.of("team", "data")),
                snapshot("snapline-b", "orders", "manual", "available", old, Map.of("team", "web")),
                snapshot("snapline-c", "orders", "manual", "available", old, Map.of("snapline:managed", "true"))));
        assertThat(deleted(plan)).containsExactly("snapline-a");
        assertThat(plan.protectedCounts()).containsEntry("untagged", 2);
    }

    @Test
    void protectedAndKeptLists_areCappedButCountedInFull() {
        RetentionPolicy p = policy("c").keepDays(1000).build();
        List<SnapshotInfo> snaps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            snaps.add(snapshot("rds:orders-" + i, "orders", "automated", "available", NOW, Map.of()));
            snaps.add(managed("snapline-" + i, "orders", NOW.minusSeconds(i)));
        }
        SnapshotSourcePlan plan = new SnapshotRetentionPlanner(p, NOW, Set.of(), 10).plan(DB, "orders", snaps);
        assertThat(plan.protectedListed()).hasSize(10);
        assertThat(plan.protectedCount()).isEqualTo(30);
        assertThat(plan.kept()).hasSize(10);
        assertThat(plan.keptCount()).isEqualTo(30);
        assertThat(plan.truncated()).isTrue();
    }
}
