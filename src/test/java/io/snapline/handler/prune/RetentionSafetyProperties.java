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
import net.jqwik.api.Tuple;

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

    record Population(List<SnapshotInfo> snapshots, Set<String> inExport) {
    }

    @Property(tries = 200, edgeCases = net.jqwik.api.EdgeCasesMode.NONE, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    void neverSelectsAProtectedSnapshot(@ForAll("policies") RetentionPolicy policy,
                                        @ForAll("populations") Population population) {
        SnapshotSourcePlan plan = new SnapshotRetentionPlanner(policy, NOW, population.inExport(), 50)
                .plan(SnapshotRef.Scope.DB_SNAPSHOT, "orders", population.snapshots());
        Map<String, SnapshotInfo> byId = new HashMap<>();
        population.snapshots().forEach(s -> byId.put(s.identifier(), s));
        net.jqwik.api.statistics.Statistics.label("plan").collect(plan.deletions().isEmpty() ? "none" : "some");
        net.jqwik.api.statistics.Statistics.label("plan").coverage(c -> c.check("some").percentage(pct -> pct > 15));
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

    /**
     * The same through the executor, with random caps: whatever gets deleted was deletable, and a run
     * whose plan exceeds a cap deletes nothing.
     */
    @Property(tries = 120, edgeCases = net.jqwik.api.EdgeCasesMode.NONE, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    void pruner_neverDeletesAProtectedSnapshot_andACapExceededDeletesNothing(
            @ForAll("policies") RetentionPolicy generated, @ForAll("populations") Population population,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 30) int maxDeletes,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 20, max = 100) int maxPercent) {
        RetentionPolicy policy = new RetentionPolicy(generated.name(), List.of("orders"), "instance",
                generated.namePrefix(), generated.keepDays(), generated.keepLast(), generated.keepDaily(),
                generated.keepWeekly(), generated.keepMonthly(), generated.timeZone(), generated.managementTag(),
                maxDeletes, maxPercent, null);
        io.snapline.testing.PruneTestGateways aws = new io.snapline.testing.PruneTestGateways();
        population.snapshots().forEach(aws.snapshots::add);
        population.inExport().forEach(arn -> aws.exports.add(new io.snapline.gateway.ExportGateway.ExportTask(
                "exp-" + Math.abs(arn.hashCode()), arn, "IN_PROGRESS", "b", "p", java.util.Optional.empty(),
                java.util.Optional.of(NOW), java.util.Optional.empty(), 0)));
        Pruner pruner = new Pruner(aws, new io.snapline.testing.TestLedger(), List.of(policy), List.of(),
                io.snapline.config.PruneProperties.defaults(), false, new PrunePlans(),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC),
                new DeleteRateLimiter(1e9, System::nanoTime, n -> { }));
        boolean refused = false;
        try {
            pruner.run(PruneRequest.all(false));
        } catch (io.snapline.error.PermanentProcessingException e) {
            refused = true;
        }
        if (refused) {
            assertThat(aws.snapshots.deleteCalls.get()).isZero();
        }
        net.jqwik.api.statistics.Statistics.label("run").collect(refused ? "refused by a cap"
                : aws.snapshots.deleted.isEmpty() ? "deleted none" : "deleted some");
        net.jqwik.api.statistics.Statistics.label("run").coverage(c -> {
            c.check("deleted some").percentage(pct -> pct > 2);
            c.check("refused by a cap").percentage(pct -> pct > 2);
        });
        assertThat(aws.snapshots.deleted.size()).isLessThanOrEqualTo(maxDeletes);
        Map<String, SnapshotInfo> byId = new HashMap<>();
        population.snapshots().forEach(s -> byId.put(s.identifier(), s));
        for (String id : aws.snapshots.deleted) {
            SnapshotInfo s = byId.get(id);
            assertThat(s.snapshotType()).isEqualTo("manual");
            assertThat(s.identifier()).startsWith(policy.namePrefix()).doesNotStartWith("rds:")
                    .doesNotStartWith("awsbackup:");
            assertThat(s.tags()).containsEntry(policy.tagKey(), policy.tagValue());
            assertThat(s.status()).isEqualTo("available");
            assertThat(population.inExport()).doesNotContain(s.arn());
            assertThat(s.sourceId()).isEqualTo("orders");
        }
    }

    @Provide
    Arbitrary<RetentionPolicy> policies() {
        Arbitrary<Integer> last = Arbitraries.integers().between(1, 10).injectNull(0.4);
        Arbitrary<Integer> days = Arbitraries.integers().between(1, 400).injectNull(0.4);
        Arbitrary<Integer> generational = Arbitraries.integers().between(1, 12).injectNull(0.75);
        Arbitrary<String> prefix = Arbitraries.frequency(Tuple.of(6, "snapline-"), Tuple.of(1, "snap"),
                Tuple.of(1, "s"), Tuple.of(1, "orders-"), Tuple.of(1, "snapline-daily-"));
        Arbitrary<String> zone = Arbitraries.of("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati");
        Arbitrary<RetentionPolicy.ManagementTag> tag = Arbitraries.of(
                new RetentionPolicy.ManagementTag("snapline:managed", "true"),
                new RetentionPolicy.ManagementTag("team", "data")).injectNull(0.3);
        return Combinators.combine(last, days, generational, generational, generational, prefix, zone, tag)
                .as((keepLast, keepDays, daily, weekly, monthly, p, z, t) -> new RetentionPolicy("prop",
                        List.of("orders"), "both", p, keepDays, keepLast == null && keepDays == null ? Integer.valueOf(1) : keepLast,
                        daily, weekly, monthly, z, t, 20, 50, null));
    }

    @Provide
    Arbitrary<Population> populations() {
        // Biased towards snapshots that are deletable, so that every protection is exercised against
        // policies that really delete (the coverage checks above hold the generator to that).
        Arbitrary<SnapshotInfo> snapshot = Combinators.combine(
                Arbitraries.frequency(Tuple.of(6, "snapline-"), Tuple.of(1, "snap"), Tuple.of(1, "s"),
                        Tuple.of(1, "orders-"), Tuple.of(1, "snapline-daily-"), Tuple.of(1, "x-")),
                Arbitraries.integers().between(0, 99_999),
                Arbitraries.frequency(Tuple.of(8, "manual"), Tuple.of(1, "automated"), Tuple.of(1, "awsbackup"),
                        Tuple.of(1, "shared"), Tuple.of(1, "public"), Tuple.of(1, "MANUAL"), Tuple.of(1, "weird")),
                Arbitraries.frequency(Tuple.of(8, "available"), Tuple.of(1, "creating"), Tuple.of(1, "copying"),
                        Tuple.of(1, "deleting")),
                Arbitraries.longs().between(-3_600, 800L * 86_400)
                        .withDistribution(net.jqwik.api.RandomDistribution.uniform()).injectDuplicates(0.3),
                Arbitraries.frequency(
                        Tuple.of(6, Map.of("snapline:managed", "true")), Tuple.of(1, Map.of("snapline:managed", "false")),
                        Tuple.of(2, Map.of("team", "data")), Tuple.of(1, Map.<String, String>of()),
                        Tuple.of(2, Map.of("snapline:managed", "true", "team", "data"))),
                Arbitraries.frequency(Tuple.of(8, "orders"), Tuple.of(1, "billing")),
                Arbitraries.frequency(Tuple.of(10, ""), Tuple.of(1, "rds:"), Tuple.of(1, "awsbackup:"))
        ).as((p, n, type, status, ageSeconds, tags, source, special) -> {
            String id = (type.equals("automated") ? "rds:" : special) + p + n;
            return new SnapshotInfo(id, "arn:aws:rds:us-east-1:1:snapshot:" + id, SnapshotRef.Scope.DB_SNAPSHOT,
                    source, type, status, NOW.minus(Duration.ofSeconds(ageSeconds)), "postgres", tags);
        });
        return snapshot.list().ofMinSize(10).ofMaxSize(60).uniqueElements(SnapshotInfo::identifier)
                .flatMap(list -> list.isEmpty() ? Arbitraries.just(new Population(list, Set.of()))
                        : Arbitraries.of(list.stream().map(SnapshotInfo::arn).toList()).list().ofMaxSize(4)
                        .map(arns -> new Population(list, new HashSet<>(arns))));
    }
}
