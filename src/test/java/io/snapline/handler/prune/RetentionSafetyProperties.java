package io.snapline.handler.prune;

import io.snapline.config.RetentionPolicy;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.message.SnapshotRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the configuration (random keep rules, prefixes, tags, zones, caps) and whatever the
 * snapshot population (random kinds, tags, prefixes, states, ages, exports), the planner never
 * selects an automated, AWS Backup, shared, public, untagged, prefix-mismatched, unavailable or
 * in-export snapshot, and never deletes the newest available managed snapshot kept by keep-last.
 */
class RetentionSafetyProperties {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final List<String> PREFIXES = List.of("snapline-", "snap", "s", "orders-", "snapline-daily-");
    static final List<String> TYPES = List.of("manual", "automated", "awsbackup", "shared", "public", "MANUAL", "weird");
    static final List<String> STATUSES = List.of("available", "creating", "copying", "deleting", "available");

    record Population(List<SnapshotInfo> snapshots, Set<String> inExport) {
    }

    @Property(tries = 200)
    void neverSelectsAProtectedSnapshot(@ForAll("policies") RetentionPolicy policy,
                                        @ForAll("populations") Population population) {
        SnapshotSourcePlan plan = new SnapshotRetentionPlanner(policy, NOW, population.inExport(), 50)
                .plan(SnapshotRef.Scope.DB_SNAPSHOT, "orders", population.snapshots());
        Map<String, SnapshotInfo> byId = new HashMap<>();
        population.snapshots().forEach(s -> byId.put(s.identifier(), s));
        for (SnapshotDecision d : plan.deletions()) {
            SnapshotInfo s = byId.get(d.identifier());
            assertThat(s.snapshotType()).as("type of %s", s.identifier()).isEqualTo("manual");
            assertThat(s.identifier()).doesNotStartWith("rds:").doesNotStartWith("awsbackup:");
            assertThat(s.identifier()).startsWith(policy.namePrefix());
            assertThat(s.tags()).containsEntry(policy.tagKey(), policy.tagValue());
            assertThat(s.status()).isEqualTo("available");
            assertThat(population.inExport()).doesNotContain(s.arn());
            assertThat(s.sourceId()).isEqualTo("orders");
        }
        // every listed snapshot has exactly one verdict in the plan's counts
        assertThat(plan.deletions().size() + plan.keptCount() + plan.protectedCount())
                .isEqualTo(population.snapshots().size());
        if (policy.keepLast() != null) {
            assertThat(plan.keptCount()).isGreaterThanOrEqualTo(Math.min(policy.keepLast(),
                    plan.managed() - plan.deletions().size() - (int) plan.protectedCounts().entrySet().stream()
                            .filter(e -> e.getKey().equals("in-export") || e.getKey().startsWith("not-available")
                                    || e.getKey().equals("no-create-time"))
                            .mapToInt(Map.Entry::getValue).sum()));
        }
    }

    @Provide
    Arbitrary<RetentionPolicy> policies() {
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 20).injectNull(0.4);
        Arbitrary<Integer> days = Arbitraries.integers().between(1, 400).injectNull(0.4);
        Arbitrary<String> prefix = Arbitraries.of(PREFIXES);
        Arbitrary<String> zone = Arbitraries.of("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati");
        Arbitrary<RetentionPolicy.ManagementTag> tag = Arbitraries.of(
                new RetentionPolicy.ManagementTag("snapline:managed", "true"),
                new RetentionPolicy.ManagementTag("team", "data")).injectNull(0.3);
        return Combinators.combine(count, days, count, count, count, prefix, zone, tag)
                .as((keepLast, keepDays, daily, weekly, monthly, p, z, t) -> new RetentionPolicy("prop",
                        List.of("orders"), "both", p, keepDays, keepLast == null && keepDays == null ? Integer.valueOf(1) : keepLast,
                        daily, weekly, monthly, z, t, 20, 50, null));
    }

    @Provide
    Arbitrary<Population> populations() {
        Arbitrary<SnapshotInfo> snapshot = Combinators.combine(
                Arbitraries.of(PREFIXES).injectNull(0.1),
                Arbitraries.integers().between(0, 99_999),
                Arbitraries.of(TYPES),
                Arbitraries.of(STATUSES),
                Arbitraries.longs().between(-3_600, 800L * 86_400).injectDuplicates(0.3),
                Arbitraries.of(
                        Map.of("snapline:managed", "true"), Map.of("snapline:managed", "false"),
                        Map.of("team", "data"), Map.<String, String>of(),
                        Map.of("snapline:managed", "true", "team", "data")),
                Arbitraries.of("orders", "orders", "orders", "billing"),
                Arbitraries.of("", "", "", "rds:", "awsbackup:")
        ).as((p, n, type, status, ageSeconds, tags, source, special) -> {
            String id = (type.equals("automated") ? "rds:" : special) + (p == null ? "x-" : p) + n;
            return new SnapshotInfo(id, "arn:aws:rds:us-east-1:1:snapshot:" + id, SnapshotRef.Scope.DB_SNAPSHOT,
                    source, type, status, NOW.minus(Duration.ofSeconds(ageSeconds)), "postgres", tags);
        });
        return snapshot.list().ofMaxSize(60).uniqueElements(SnapshotInfo::identifier)
                .flatMap(list -> Arbitraries.subsetOf(list.stream().map(SnapshotInfo::arn).toList())
                        .map(arns -> new Population(list, new HashSet<>(arns))));
    }
}
