package io.snapline.handler.prune;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.config.CopyPolicy;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.config.SnaplineProperties;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs retention: plans every selected policy, stores the plan, checks the caps, then deletes.
 *
 * <p><b>Order of a run.</b>
 * <ol>
 *   <li>Take each policy's lock in the ledger ({@code prune#<kind>#<policy>}, lease
 *       {@code snapline.prune.lease}, released at the end). A lock another run holds is <em>waited
 *       for</em>, by the step runner's rule: the run takes nothing, records WAITING in the policy's
 *       pipeline, counts {@code snapline_steps_total{outcome="recheck_later"}} and throws a
 *       {@link NotReadyException} that makes the message look again once that lease can have lapsed
 *       (a lapsed lease is then taken over). A request that cannot look again ({@link PruneRequest#recheckable()}
 *       false: the export-completed listener) runs without the held policy, recorded SKIPPED with the
 *       holder's lease, counted and logged at WARN.</li>
 *   <li>Plan: snapshot policies one source at a time through {@link SnapshotRetentionPlanner}, export
 *       policies through {@link ExportInventory} and {@link ExportRetentionPlanner}.</li>
 *   <li>Store each policy's plan in the ledger ({@link PrunePlans}) and log one bounded summary line on
 *       {@code io.snapline.prune.plan} that names where the plan is. A plan that cannot be stored stops
 *       the run before anything is deleted.</li>
 *   <li>In dry run, stop.</li>
 *   <li>Check every cap of every policy <em>before deleting anything</em>: one exceeded cap means the
 *       whole run deletes nothing.</li>
 *   <li>Run each policy as one step of the {@link StepRunner} ({@code prune-<kind>:<policy>}, key
 *       {@code prune#<kind>#<policy>#run#<runId>}): a policy over a cap fails permanently (FAILED,
 *       notified once); the other policies of a refused run are SKIPPED with the reason; otherwise its
 *       deletions: RDS deletes rate-limited and re-checked against a fresh describe, exports object by
 *       object in DeleteObjects batches, each deletion recorded in the snapshot's pipeline and counted
 *       ({@code snapline_prune_deletions_total{kind,policy,result}}), the crawler of an export policy
 *       started after its exports went, one notification per policy that deleted or failed. Failed
 *       deletions fail the step as retryable.</li>
 * </ol>
 * A refused run throws {@link PermanentProcessingException}; failed deletions a
 * {@link RetryableProcessingException} at the end: a retry replans, and what was deleted is not
 * deleted twice.
 */
@Singleton
public class Pruner {

    private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);
    private static final Logger PLAN_LOG = LoggerFactory.getLogger("io.snapline.prune.plan");
    private static final int NOTIFY_LIST_LIMIT = 100;
    /** Added to a held lock's lease end before the run looks again, so the lease has surely lapsed. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(2);
    /** The plan log line stays far below log event limits: at most this many characters (UTF-8: < 4 KiB). */
    static final int PLAN_LINE_CHARS = 1300;
    /** At most this many policies are named one by one in the plan log line. */
    private static final int PLAN_LINE_POLICIES = 8;

    private final Gateways gateways;
    private final Supplier<Ledger> ledgerProvider;
    private final Supplier<StepRunner> runnerProvider;
    private final MeterRegistry meters;
    private final List<RetentionPolicy> policies;
    private final List<ExportRetentionProperties> exportPolicies;
    private final PruneProperties settings;
    private final boolean globalDryRun;
    private final PrunePlans plans;
    private final Clock clock;
    /**
     * The clock of the ledger's leases, against which a held lock's wait is measured: the system's in the
     * service (the ledger's leases are real time, whatever the {@code Clock} bean says the date is), the test's
     * clock where a test gives one for both.
     */
    private final Clock leaseClock;
    private final DeleteRateLimiter limiter;
    /** The region of a snapshot policy that prunes outside the service's region (a copy policy's destination). */
    private final Map<String, String> regions;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * The bean constructor. The ledger (and the step runner over it) is looked up at the first run,
     * not at start-up: the command handler (and so this) is built eagerly by the handler registry,
     * and a ledger that cannot be reached yet must not stop the boot because of pruning.
     */
    @Inject
    public Pruner(Gateways gateways, Provider<Ledger> ledger, Provider<StepRunner> runner, MeterRegistry meters,
                  List<RetentionPolicy> policies, List<ExportRetentionProperties> exportPolicies,
                  PruneProperties settings, SnaplineProperties snapline, QueueProperties queue, PrunePlans plans,
                  Clock clock, List<CopyPolicy> copies) {
        this(gateways, ledger::get, runner::get, meters, withCopies(policies, copies), exportPolicies, settings,
                snapline.dryRun() || queue.localMode(), plans, clock, Clock.systemUTC(),
                new DeleteRateLimiter(settings.rdsDeletesPerSecond()), regions(copies));
    }

    /**
     * For tests: snapshot retention policies and copy policies, whose destination retention runs in their
     * destination region ({@link CopyPolicy#destinationRetention()}); a step runner over {@code ledger}.
     */
    public Pruner(Gateways gateways, Ledger ledger, List<RetentionPolicy> policies, List<CopyPolicy> copies,
                  PruneProperties settings, PrunePlans plans, Clock clock, DeleteRateLimiter limiter) {
        this(gateways, () -> ledger, runnerOver(ledger, settings, new SimpleMeterRegistry(), clock),
                new SimpleMeterRegistry(), withCopies(policies, copies), List.of(), settings, false,
                plans.bindIfUnbound(() -> ledger), clock, clock, limiter, regions(copies));
    }

    /** The snapshot retention policies and the destination retention of every copy policy that has one. */
    static List<RetentionPolicy> withCopies(List<RetentionPolicy> policies, List<CopyPolicy> copies) {
        List<RetentionPolicy> all = new ArrayList<>(policies);
        copies.stream().filter(CopyPolicy::hasRetention).map(CopyPolicy::destinationRetention).forEach(all::add);
        return all;
    }

    /** The region of each copy policy's destination retention, by its retention name. */
    static Map<String, String> regions(List<CopyPolicy> copies) {
        Map<String, String> regions = new HashMap<>();
        copies.stream().filter(CopyPolicy::hasRetention)
                .forEach(c -> regions.put(c.retentionName(), c.destinationRegion()));
        return regions;
    }

    /** For tests and callers without a context: a step runner over {@code ledger}, metrics kept apart. */
    public Pruner(Gateways gateways, Ledger ledger, List<RetentionPolicy> policies,
                  List<ExportRetentionProperties> exportPolicies, PruneProperties settings, boolean globalDryRun,
                  PrunePlans plans, Clock clock, DeleteRateLimiter limiter) {
        this(gateways, ledger, new SimpleMeterRegistry(), policies, exportPolicies, settings, globalDryRun, plans,
                clock, limiter);
    }

    /** For tests that read the metrics: the step runner counts into {@code meters} too. */
    public Pruner(Gateways gateways, Ledger ledger, MeterRegistry meters, List<RetentionPolicy> policies,
                  List<ExportRetentionProperties> exportPolicies, PruneProperties settings, boolean globalDryRun,
                  PrunePlans plans, Clock clock, DeleteRateLimiter limiter) {
        this(gateways, () -> ledger, runnerOver(ledger, settings, meters, clock), meters, policies, exportPolicies,
                settings, globalDryRun, plans.bindIfUnbound(() -> ledger), clock, clock, limiter, Map.of());
    }

    private static Supplier<StepRunner> runnerOver(Ledger ledger, PruneProperties settings, MeterRegistry meters,
                                                   Clock clock) {
        StepRunner runner = new StepRunner(ledger, settings.lease(), meters, clock);
        return () -> runner;
    }

    private Pruner(Gateways gateways, Supplier<Ledger> ledger, Supplier<StepRunner> runner, MeterRegistry meters,
                   List<RetentionPolicy> policies, List<ExportRetentionProperties> exportPolicies,
                   PruneProperties settings, boolean globalDryRun, PrunePlans plans, Clock clock, Clock leaseClock,
                   DeleteRateLimiter limiter, Map<String, String> regions) {
        this.leaseClock = leaseClock;
        this.gateways = gateways;
        this.regions = Map.copyOf(regions);
        this.ledgerProvider = ledger;
        this.runnerProvider = runner;
        this.meters = meters;
        this.policies = List.copyOf(policies);
        this.exportPolicies = List.copyOf(exportPolicies);
        this.settings = settings;
        this.globalDryRun = globalDryRun;
        this.plans = plans;
        this.clock = clock;
        this.limiter = limiter;
    }

    private Ledger ledger() {
        return ledgerProvider.get();
    }

    /** The names of the configured policies of both kinds, for messages. */
    public Set<String> policyNames() {
        Set<String> names = new TreeSet<>();
        policies.forEach(p -> names.add(p.name()));
        exportPolicies.stream().filter(ExportRetentionProperties::hasRetention).forEach(p -> names.add(p.name()));
        return names;
    }

    /** Global dry run ({@code snapline.dry-run}, or local mode) wins over the request. */
    public boolean dryRun(boolean requested) {
        return requested || globalDryRun;
    }

    /** The ledger key of a policy's lock. */
    static String lockKey(String kind, String policy) {
        return "prune#" + kind + "#" + policy;
    }

    /** The pipeline id a policy's runs are recorded under when no subject is given. */
    static String policyPipeline(String kind, String policy) {
        return lockKey(kind, policy);
    }

    /** The stage of a policy's run step ({@code prune-snapshots}, {@code prune-exports}): a metric tag. */
    static String stage(String kind) {
        return "prune-" + kind;
    }

    /** A policy selected for a run: its kind and name. */
    private record Selected(String kind, String name) {
        String lock() {
            return lockKey(kind, name);
        }
    }

    /** Runs one prune. */
    public PruneReport run(PruneRequest request) {
        boolean dryRun = dryRun(request.dryRun());
        List<RetentionPolicy> snapshotPolicies = request.snapshots() ? policies.stream()
                .filter(p -> request.policy().map(p.name()::equals).orElse(true)).toList() : List.of();
        List<ExportRetentionProperties> exportRetention = request.exports() ? exportPolicies.stream()
                .filter(ExportRetentionProperties::hasRetention)
                .filter(p -> request.policy().map(p.name()::equals).orElse(true)).toList() : List.of();
        if (request.policy().isPresent() && snapshotPolicies.isEmpty() && exportRetention.isEmpty()) {
            throw new PermanentProcessingException("prune: no retention policy named '"
                    + SafeText.of(request.policy().get(), 100) + "'; known: " + policyNames());
        }
        Instant now = clock.instant();
        String runId = UUID.randomUUID().toString();
        List<Selected> selected = new ArrayList<>();
        snapshotPolicies.forEach(p -> selected.add(new Selected("snapshots", p.name())));
        exportRetention.forEach(p -> selected.add(new Selected("exports", p.name())));
        List<String> locks = new ArrayList<>();
        try {
            Set<Selected> held = dryRun ? Set.of() : lockAll(selected, locks, request, runId);
            List<String> notRun = held.stream().map(s -> s.kind() + ":" + s.name()).sorted().toList();
            List<PolicyPlan> planned = new ArrayList<>();
            Set<String> inExport = snapshotPolicies.stream().anyMatch(p -> !held.contains(
                    new Selected("snapshots", p.name()))) ? snapshotsInExport() : Set.of();
            for (RetentionPolicy p : snapshotPolicies) {
                if (!held.contains(new Selected("snapshots", p.name()))) {
                    planned.add(planSnapshots(p, request, now, inExport, dryRun));
                }
            }
            for (ExportRetentionProperties p : exportRetention) {
                if (!held.contains(new Selected("exports", p.name()))) {
                    planned.add(planExports(p, request, now, dryRun));
                }
            }
            List<PolicyPlan> checked = planned.stream().map(this::checkCaps).toList();
            RunPlan run = new RunPlan(runId, now, request.trigger(), dryRun, checked);
            List<PrunePlans.Stored> stored = plans.put(run);
            PLAN_LOG.info(planLine(run, stored));
            if (dryRun) {
                previewSnapshotDeletes(run);
                return new PruneReport(run, 0, 0, List.of(), notRun);
            }
            return execute(run, request, notRun);
        } finally {
            locks.forEach(ledger()::release);
        }
    }

    /**
     * Takes every selected policy's lock. If another run holds one: a recheckable request takes none
     * and throws {@link NotReadyException} until the latest of those leases can have lapsed; any other
     * request goes on without the held policies (returned), each recorded SKIPPED and counted.
     */
    private Set<Selected> lockAll(List<Selected> selected, List<String> locks, PruneRequest request, String runId) {
        Map<Selected, Instant> held = new LinkedHashMap<>();
        for (Selected s : selected) {
            ClaimResult claim = ledger().claim(s.lock(), settings.lease());
            switch (claim.status()) {
                case ACQUIRED -> locks.add(s.lock());
                case IN_PROGRESS -> held.put(s, claim.leaseUntil().orElseGet(() -> leaseClock.instant().plus(settings.lease())));
                default -> throw new PermanentProcessingException("prune: the ledger holds a " + claim.status()
                        + " record under the lock key " + s.lock() + " (" + claim.result().orElse("") + "), which only "
                        + "ever holds a run's lease; another writer uses this key");
            }
        }
        if (held.isEmpty()) {
            return Set.of();
        }
        if (request.recheckable()) {
            locks.forEach(ledger()::release);
            locks.clear();
            Instant until = held.values().stream().max(Instant::compareTo).orElseThrow();
            Duration wait = Duration.between(leaseClock.instant(), until).plus(LEASE_MARGIN);
            if (wait.compareTo(LEASE_MARGIN) < 0) {
                wait = LEASE_MARGIN;
            }
            String why = "prune run " + runId + " (" + request.trigger() + ") waits: " + describe(held)
                    + "; it looks again at " + leaseClock.instant().plus(wait) + ", once the lease can have lapsed";
            held.forEach((s, lease) -> {
                recordPolicyStep(request, s, StepState.WAITING, "waiting: " + s.lock() + " is held by another run "
                        + "(lease until " + lease + "); run " + runId + " looks again once it can have lapsed");
                countStep(s, "recheck_later");
            });
            LOG.info(why);
            throw new NotReadyException(why, wait);
        }
        held.forEach((s, lease) -> {
            recordPolicyStep(request, s, StepState.SKIPPED, "not run for " + request.trigger() + ": " + s.lock()
                    + " is held by another run (lease until " + lease + "); the next prune of " + s.name()
                    + " catches up");
            countStep(s, "skipped");
        });
        LOG.warn("prune run {} ({}): not run, held by another run: {}; the next prune of each catches up", runId,
                request.trigger(), describe(held));
        return held.keySet();
    }

    private static String describe(Map<Selected, Instant> held) {
        List<String> parts = new ArrayList<>();
        held.forEach((s, lease) -> parts.add(s.lock() + " is held by another run (lease until " + lease + ")"));
        return String.join(", ", parts);
    }

    private void recordPolicyStep(PruneRequest request, Selected s, StepState state, String detail) {
        String id = request.subject().map(PruneRequest.Subject::id).orElse(policyPipeline(s.kind(), s.name()));
        String identifier = request.subject().map(PruneRequest.Subject::identifier).orElse(s.name());
        ledger().recordStep(id, identifier, stage(s.kind()) + ":" + s.name(), state, detail);
    }

    /** The source ARNs of export tasks that are not terminal: those snapshots are being read. */
    private Set<String> snapshotsInExport() {
        Set<String> arns = new HashSet<>();
        gateways.exports(AwsAccess.DEFAULT).forEachExportTask(t -> {
            if (!t.terminal() && t.sourceArn() != null) {
                arns.add(t.sourceArn());
            }
        });
        return arns;
    }

    // ---------------------------------------------------------------- the plan log line

    /**
     * One bounded line for the plan log: the run, its counts per policy, and where each plan is stored
     * (ledger keys and the URL). Never the plan itself: that can be megabytes.
     */
    static String planLine(RunPlan run, List<PrunePlans.Stored> stored) {
        StringBuilder line = new StringBuilder();
        line.append("prune plan run=").append(run.runId()).append(" trigger=").append(run.trigger())
                .append(run.dryRun() ? " dry-run: would delete " : ": deletes ").append(run.deleteCount())
                .append(" across ").append(run.policies().size()).append(" polic(ies); each plan is stored in the ledger");
        int named = 0;
        for (PrunePlans.Stored s : stored) {
            String part = "; " + s.name() + ": " + s.deleteCount() + " delete, " + s.keptCount() + " keep, "
                    + s.protectedCount() + " protected, " + s.chars() + " chars in " + s.pages() + " page(s) at "
                    + s.keys();
            if (named == PLAN_LINE_POLICIES || line.length() + part.length() > PLAN_LINE_CHARS - 200) {
                line.append("; and ").append(stored.size() - named).append(" more policies");
                break;
            }
            line.append(part);
            named++;
        }
        line.append("; read with GET /prune/plan?policy=<policy> or GET /prune/plan/<kind>/<policy>/").append(run.runId());
        return SafeText.of(line.toString(), PLAN_LINE_CHARS);
    }

    // ---------------------------------------------------------------- snapshots

    /** The snapshots a policy prunes: the service region's, or a copy policy's destination region's. */
    private SnapshotGateway snapshotsFor(RetentionPolicy p) {
        String region = regions.get(p.name());
        return region == null ? gateways.snapshots(AwsAccess.DEFAULT) : gateways.snapshotsIn(AwsAccess.DEFAULT, region);
    }

    private PolicyPlan planSnapshots(RetentionPolicy p, PruneRequest request, Instant now, Set<String> inExport,
                                     boolean dryRun) {
        SnapshotGateway snapshots = snapshotsFor(p);
        List<SnapshotSourcePlan> sourcePlans = new ArrayList<>();
        int budget = settings.planListLimit();
        List<SnapshotRef.Scope> scopes = new ArrayList<>();
        if (p.coversInstances()) {
            scopes.add(SnapshotRef.Scope.DB_SNAPSHOT);
        }
        if (p.coversClusters()) {
            scopes.add(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        }
        Map<String, Integer> seenBySource = new HashMap<>();
        for (SnapshotRef.Scope scope : scopes) {
            for (String source : sources(snapshots, scope, p.sources(), request.source())) {
                SnapshotRetentionPlanner planner = new SnapshotRetentionPlanner(p, now, inExport, Math.max(0, budget));
                SnapshotRetentionPlanner.SourcePlanner sp = planner.forSource(scope, source);
                snapshots.forEachSnapshot(scope, Optional.of(source), sp);
                SnapshotSourcePlan plan = sp.finish();
                budget -= plan.kept().size() + plan.protectedListed().size();
                seenBySource.merge(source.toLowerCase(Locale.ROOT), plan.seen(), Integer::sum);
                if (plan.seen() > 0) {
                    sourcePlans.add(plan);
                }
            }
        }
        // An exact source that lists nothing is likely a typo or a source that is gone: say so in the plan.
        List<String> notes = new ArrayList<>();
        seenBySource.forEach((source, seen) -> {
            if (seen == 0) {
                notes.add("source " + source + " is named by snapline.retention." + p.name()
                        + ".sources, but RDS listed no snapshot of it (a typo, or a source that is gone?)");
            }
        });
        notes.sort(null);
        return new PolicyPlan(p.name(), "snapshots", now, dryRun, request.trigger(), sourcePlans, List.of(),
                List.of(), 0, List.of(), notes);
    }

    /**
     * The sources of a scope that both the policy's patterns and the request's filter match. Exact
     * ids are taken as they are; globs are resolved by one listing of the scope's snapshots, keeping
     * only the distinct source ids.
     */
    private Set<String> sources(SnapshotGateway snapshots, SnapshotRef.Scope scope, List<String> patterns,
                                Optional<String> filter) {
        Set<String> out = new TreeSet<>();
        List<String> globs = new ArrayList<>();
        for (String pattern : patterns) {
            if (SourceGlob.of(pattern).isGlob()) {
                globs.add(pattern);
            } else if (filter.map(f -> SourceGlob.of(f).matches(pattern)).orElse(true)) {
                out.add(pattern.toLowerCase(Locale.ROOT));
            }
        }
        if (!globs.isEmpty()) {
            Optional<String> exactFilter = filter.filter(f -> !SourceGlob.of(f).isGlob());
            if (exactFilter.isPresent()) {
                if (SourceGlob.anyMatches(globs, exactFilter.get())) {
                    out.add(exactFilter.get().toLowerCase(Locale.ROOT));
                }
            } else {
                snapshots.forEachSnapshot(scope, Optional.empty(), s -> {
                    if (s.sourceId() != null && SourceGlob.anyMatches(globs, s.sourceId())
                            && filter.map(f -> SourceGlob.of(f).matches(s.sourceId())).orElse(true)) {
                        out.add(s.sourceId());
                    }
                });
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- exports

    private PolicyPlan planExports(ExportRetentionProperties p, PruneRequest request, Instant now, boolean dryRun) {
        ExportGateway exports = gateways.exports(p.access());
        ExportInventory.Found found = new ExportInventory(gateways.objects(p.access(), p.expectedBucketOwner()), exports)
                .walk(p, settings.planListLimit());
        ExportSourceResolver resolver = new ExportSourceResolver(gateways.snapshots(p.access()));
        Map<String, List<ExportEntry>> bySource = new TreeMap<>();
        List<ExportDecision> unattributed = new ArrayList<>();
        for (ExportTask t : found.tasks()) {
            Optional<String> source = resolver.sourceOf(t.sourceArn());
            ExportEntry e = new ExportEntry(t.taskId(), t.bucket(), t.s3Folder(), t.sourceArn(),
                    source.orElse(null), t.status(), t.endTime().or(t::startTime).orElse(null));
            if (source.isEmpty()) {
                unattributed.add(new ExportDecision(e, Verdict.PROTECTED, List.of("source-unknown")));
            } else if (!SourceGlob.anyMatches(p.sources(), source.get())) {
                unattributed.add(new ExportDecision(e, Verdict.PROTECTED, List.of("source-not-in-policy")));
            } else if (request.source().map(f -> SourceGlob.of(f).matches(source.get())).orElse(true)) {
                bySource.computeIfAbsent(source.get(), k -> new ArrayList<>()).add(e);
            }
        }
        ExportRetentionPlanner planner = new ExportRetentionPlanner(p.retention().keepDays(),
                p.retention().keepLast(), now);
        List<ExportSourcePlan> sourcePlans = new ArrayList<>();
        bySource.forEach((source, entries) -> sourcePlans.add(new ExportSourcePlan(p.name(), source,
                planner.plan(entries))));
        if (!unattributed.isEmpty() && request.source().isEmpty()) {
            sourcePlans.add(new ExportSourcePlan(p.name(), "(unattributed)", unattributed));
        }
        return new PolicyPlan(p.name(), "exports", now, dryRun, request.trigger(), List.of(), sourcePlans,
                found.unrecognised(), found.unrecognisedCount(), List.of(), List.of());
    }

    // ---------------------------------------------------------------- caps

    private RetentionPolicy snapshotPolicy(String name) {
        return policies.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    private ExportRetentionProperties exportPolicy(String name) {
        return exportPolicies.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    private PolicyPlan checkCaps(PolicyPlan plan) {
        List<String> violations = new ArrayList<>();
        int deletes = plan.deleteCount();
        if (plan.kind().equals("snapshots")) {
            RetentionPolicy p = snapshotPolicy(plan.policy());
            if (deletes > p.maxDeletes()) {
                violations.add("snapline.retention." + p.name() + ".max-deletes: the run would delete " + deletes
                        + " snapshots, the cap is " + p.maxDeletes());
            }
            for (SnapshotSourcePlan s : plan.snapshotSources()) {
                int d = s.deletions().size();
                if (d > 0 && (long) d * 100 > (long) p.maxDeletePercent() * s.managed()) {
                    violations.add("snapline.retention." + p.name() + ".max-delete-percent: the run would delete "
                            + d + " of the " + s.managed() + " managed snapshots of " + s.sourceId() + " ("
                            + (d * 100 / s.managed()) + "%), the cap is " + p.maxDeletePercent() + "%");
                }
            }
        } else {
            ExportRetentionProperties p = exportPolicy(plan.policy());
            if (deletes > p.retention().maxDeletes()) {
                violations.add("snapline.exports." + p.name() + ".retention.max-deletes: the run would delete "
                        + deletes + " exports, the cap is " + p.retention().maxDeletes());
            }
        }
        return violations.isEmpty() ? plan : plan.withCapViolations(violations);
    }

    // ---------------------------------------------------------------- execution

    /** What one policy's deletions did. */
    private static final class PolicyResult {
        final List<String> deleted = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        int alreadyGone;
        int changed;
        String crawl = "";
        String notification = "";

        String detail(PolicyPlan plan, RunPlan run) {
            return deleted.size() + " of " + plan.deleteCount() + " planned deleted" + (alreadyGone > 0 ? " ("
                    + alreadyGone + " already gone)" : "") + (changed > 0 ? ", " + changed + " not deleted: changed "
                    + "since planning" : "") + (failures.isEmpty() ? "" : ", " + failures.size() + " failed")
                    + crawl + notification + " (plan " + run.runId() + ")";
        }
    }

    private PruneReport execute(RunPlan run, PruneRequest request, List<String> notRun) {
        List<PolicyPlan> violating = run.policies().stream().filter(p -> !p.capViolations().isEmpty()).toList();
        StepRunner runner = runnerProvider.get();
        int deletedSnapshots = 0;
        int deletedExports = 0;
        List<String> failures = new ArrayList<>();
        RuntimeException other = null;
        for (PolicyPlan plan : run.policies()) {
            PolicyResult result = new PolicyResult();
            try {
                runner.run(step(plan, run, request), () -> runPolicy(plan, run, violating, request, result));
            } catch (PermanentProcessingException e) {
                if (plan.capViolations().isEmpty()) {
                    other = other == null ? e : other; // not a cap: a failure of its own, rethrown below
                }
                // a policy over a cap: recorded FAILED and notified once by the runner; the run throws below
            } catch (RuntimeException e) {
                other = other == null ? e : other;
            }
            if (plan.kind().equals("snapshots")) {
                deletedSnapshots += result.deleted.size();
            } else {
                deletedExports += result.deleted.size();
            }
            failures.addAll(result.failures);
        }
        if (!violating.isEmpty()) {
            List<String> all = violating.stream().flatMap(p -> p.capViolations().stream()).toList();
            throw new PermanentProcessingException("prune refused, nothing deleted: " + String.join("; ", all)
                    + ". Check the plan at GET /prune/plan (run " + run.runId() + "); raise the cap or fix the policy, "
                    + "then re-run.");
        }
        PruneReport report = new PruneReport(run, deletedSnapshots, deletedExports, failures, notRun);
        if (!failures.isEmpty()) {
            throw new RetryableProcessingException("prune: " + report.summary() + ": " + String.join("; ",
                    failures.subList(0, Math.min(10, failures.size()))));
        }
        if (other != null) {
            throw other;
        }
        return report;
    }

    /**
     * A dry run with dry-run gateways (local mode, {@code snapline.dry-run}) logs the exact
     * DeleteDB[Cluster]Snapshot request of each snapshot the run would delete, as the rest of the dry
     * run does: the gateways log and change nothing. Nothing when a cap refuses the run (it would delete
     * nothing), and never with real gateways (an operator's {@code "dryRun":true}: the plan only).
     */
    private void previewSnapshotDeletes(RunPlan run) {
        if (!gateways.dryRun() || run.policies().stream().anyMatch(p -> !p.capViolations().isEmpty())) {
            return;
        }
        for (PolicyPlan plan : run.policies()) {
            if (!plan.kind().equals("snapshots")) {
                continue;
            }
            SnapshotGateway snapshots = snapshotsFor(snapshotPolicy(plan.policy()));
            for (SnapshotSourcePlan s : plan.snapshotSources()) {
                for (SnapshotDecision d : s.deletions()) {
                    snapshots.delete(d.scope(), d.identifier()); // a dry-run gateway: logged, not made
                }
            }
        }
    }

    private Step step(PolicyPlan plan, RunPlan run, PruneRequest request) {
        String key = lockKey(plan.kind(), plan.policy()) + "#run#" + run.runId();
        String id = request.subject().map(PruneRequest.Subject::id).orElse(policyPipeline(plan.kind(), plan.policy()));
        String identifier = request.subject().map(PruneRequest.Subject::identifier).orElse(plan.policy());
        return new Step(key, stage(plan.kind()), plan.policy(), Optional.of(id), identifier,
                (step, reason) -> notify(plan, run, List.of(), List.of(), plan.capViolations(),
                        "cap exceeded, nothing deleted"));
    }

    /** The body of one policy's step: refuse, skip, or delete what the plan selected. */
    private StepResult runPolicy(PolicyPlan plan, RunPlan run, List<PolicyPlan> violating, PruneRequest request,
                                 PolicyResult result) {
        if (!plan.capViolations().isEmpty()) {
            throw new PermanentProcessingException("deleted nothing: " + String.join("; ", plan.capViolations())
                    + " (plan " + run.runId() + ", GET /prune/plan?policy=" + plan.policy() + ")");
        }
        if (!violating.isEmpty()) {
            return StepResult.skipped("deleted nothing: the run was refused because "
                    + String.join(", ", violating.stream().map(p -> p.kind() + ":" + p.policy()).toList())
                    + " exceeded a cap (plan " + run.runId() + ")");
        }
        if (plan.kind().equals("snapshots")) {
            RetentionPolicy p = snapshotPolicy(plan.policy());
            for (SnapshotSourcePlan s : plan.snapshotSources()) {
                for (SnapshotDecision d : s.deletions()) {
                    deleteSnapshot(p, s.sourceId(), d, result);
                }
            }
        } else {
            ExportRetentionProperties p = exportPolicy(plan.policy());
            Instant started = clock.instant();
            for (ExportSourcePlan s : plan.exportSources()) {
                for (ExportDecision d : s.decisions()) {
                    if (d.verdict() == Verdict.DELETE) {
                        deleteExport(p, d, result);
                    }
                }
            }
            if (p.crawler() != null && !p.crawler().isBlank()) {
                crawl(p, result.deleted.isEmpty() ? Optional.empty() : Optional.of(started), request.startCrawler(),
                        result, run);
            }
        }
        if (!result.deleted.isEmpty() || !result.failures.isEmpty()) {
            result.notification = notify(plan, run, result.deleted, result.failures, List.of(),
                    result.deleted.size() + " deleted" + (result.failures.isEmpty() ? "" : ", "
                            + result.failures.size() + " failed"));
        }
        String detail = result.detail(plan, run);
        if (!result.failures.isEmpty()) {
            throw new RetryableProcessingException(plan.kind() + ":" + plan.policy() + ": " + detail + ": "
                    + String.join("; ", result.failures.subList(0, Math.min(10, result.failures.size()))));
        }
        return StepResult.done(result.deleted.size() + " deleted", detail);
    }

    private void deleteSnapshot(RetentionPolicy p, String sourceId, SnapshotDecision d, PolicyResult result) {
        String pipelineId = d.arn() != null ? d.arn() : d.identifier();
        String step = "pruned:" + p.name();
        SnapshotGateway snapshots = snapshotsFor(p);
        try {
            // Re-check just before deleting: the snapshot may have changed since it was planned.
            Optional<SnapshotInfo> now = snapshots.describe(d.scope(), d.identifier());
            if (now.isEmpty()) {
                ledger().recordStep(pipelineId, d.identifier(), step, StepState.DONE, "already gone; " + d.why());
                result.deleted.add(d.identifier() + " (already gone)");
                result.alreadyGone++;
                countDeletion("snapshots", p.name(), "already_gone");
                return;
            }
            String protection = new SnapshotRetentionPlanner(p, clock.instant(), Set.of(), 0)
                    .protection(now.get(), sourceId);
            if (protection != null || !"available".equals(now.get().status())) {
                String why = protection != null ? protection : "not-available:" + now.get().status();
                LOG.warn("prune {}: {} changed since planning ({}); not deleted", p.name(), d.identifier(),
                        SafeText.of(why, 200));
                ledger().recordStep(pipelineId, d.identifier(), step, StepState.SKIPPED, "changed since planning: " + why);
                result.changed++;
                countDeletion("snapshots", p.name(), "changed");
                return;
            }
            limiter.acquire();
            SnapshotGateway.DeleteResult deleted = snapshots.delete(d.scope(), d.identifier());
            boolean gone = deleted == SnapshotGateway.DeleteResult.ALREADY_GONE;
            ledger().recordStep(pipelineId, d.identifier(), step, StepState.DONE, (gone ? "already gone; " : "") + d.why());
            result.deleted.add(d.identifier() + ": " + d.why());
            if (gone) {
                result.alreadyGone++;
            }
            countDeletion("snapshots", p.name(), gone ? "already_gone" : "deleted");
        } catch (RuntimeException e) {
            String reason = SafeText.of(String.valueOf(e.getMessage()), 500);
            LOG.warn("prune {}: deleting {} failed: {}", p.name(), d.identifier(), reason);
            ledger().recordStep(pipelineId, d.identifier(), step, StepState.FAILED, reason);
            result.failures.add(d.identifier() + ": " + reason);
            countDeletion("snapshots", p.name(), "failed");
        }
    }

    private void deleteExport(ExportRetentionProperties p, ExportDecision d, PolicyResult result) {
        ExportEntry e = d.export();
        String step = "pruned-export:" + p.name();
        String pipelineId = e.snapshotArn() != null ? e.snapshotArn() : e.taskId();
        String identifier = identifierOf(e.snapshotArn(), e.taskId());
        String where = SafeText.of("s3://" + e.bucket() + "/" + e.folder(), 1100);
        try {
            ExportDeleter.Result r = new ExportDeleter(gateways.objects(p.access(), p.expectedBucketOwner()))
                    .deleteFolder(e.bucket(), e.folder());
            if (r.complete()) {
                ledger().recordStep(pipelineId, identifier, step, StepState.DONE,
                        "export " + e.taskId() + ": deleted " + where + " (" + r.deleted() + " objects); " + d.why());
                result.deleted.add(e.taskId() + ": " + d.why());
                countDeletion("exports", p.name(), "deleted");
            } else {
                String msg = "export " + e.taskId() + ": " + r.failed() + " object(s) under " + where
                        + " not deleted, e.g. " + SafeText.of(String.valueOf(r.firstErrors()), 1000);
                LOG.warn("prune {}: {}", p.name(), msg);
                ledger().recordStep(pipelineId, identifier, step, StepState.FAILED, msg);
                result.failures.add(msg);
                countDeletion("exports", p.name(), "failed");
            }
        } catch (RuntimeException ex) {
            String reason = SafeText.of(String.valueOf(ex.getMessage()), 500);
            LOG.warn("prune {}: deleting export {} ({}) failed: {}", p.name(), e.taskId(), where, reason);
            ledger().recordStep(pipelineId, identifier, step, StepState.FAILED, reason);
            result.failures.add("export " + e.taskId() + ": " + reason);
            countDeletion("exports", p.name(), "failed");
        }
    }

    // ---------------------------------------------------------------- the crawl after deletions

    /** The ledger key that says whether an export policy owes its catalog a crawl. */
    static String crawlKey(String policy) {
        return lockKey("exports", policy) + "#crawl";
    }

    /**
     * After exports were deleted, the policy's crawler must run once more, so the catalog forgets
     * them. That crawl is <em>owed</em> ({@code prune#exports#<policy>#crawl} = {@code owed <since>})
     * until a crawl starts after the deletions: this run starts one, or sees one that started after
     * them. A crawler that is busy with an older crawl, or that cannot be started, leaves the crawl
     * owed, and the next run of the policy that starts crawlers pays it, whether or not it deletes
     * anything. A caller that starts the crawler itself ({@code startCrawler} false: the export
     * pipeline) only records what is owed.
     */
    private void crawl(ExportRetentionProperties p, Optional<Instant> deletedAt, boolean start, PolicyResult result,
                       RunPlan run) {
        String key = crawlKey(p.name());
        Optional<Instant> owed = owedSince(key);
        if (deletedAt.isPresent() && owed.isEmpty()) {
            ledger().complete(key, "owed " + deletedAt.get() + "|exports deleted by run " + run.runId());
        }
        Optional<Instant> since = owed.isPresent() ? owed : deletedAt;
        if (since.isEmpty() || !start) {
            return;
        }
        String crawler = p.crawler();
        try {
            CrawlerGateway crawlers = gateways.crawlers(p.crawlerAccess());
            if (owed.isPresent() && paidBy(crawlers.get(crawler).lastCrawlStart(), since.get(), key, result, p)) {
                return; // a crawl (the export pipeline's, say) started after the deletions: nothing to start
            }
            if (crawlers.start(crawler) == CrawlerGateway.StartResult.STARTED) {
                ledger().complete(key, "paid " + clock.instant() + "|started by run " + run.runId());
                result.crawl = "; crawler " + crawler + " started";
                countCrawl(p.name(), "started");
                return;
            }
            if (paidBy(crawlers.get(crawler).lastCrawlStart(), since.get(), key, result, p)) {
                return;
            }
            result.crawl = "; crawl owed: crawler " + crawler + " is running a crawl that started before the deletions "
                    + "(" + since.get() + "); the next prune of " + p.name() + " starts it";
            LOG.info("prune {}: crawler {} is running a crawl that started before the deletions at {}; the crawl stays "
                    + "owed and the next prune of the policy starts it", p.name(), crawler, since.get());
            countCrawl(p.name(), "owed");
        } catch (RuntimeException e) {
            String reason = SafeText.of(String.valueOf(e.getMessage()), 500);
            LOG.warn("prune {}: crawler {} not started: {}; the crawl stays owed", p.name(), crawler, reason);
            result.failures.add("crawler " + crawler + " not started (the crawl stays owed): " + reason);
            countCrawl(p.name(), "failed");
        }
    }

    /** True (and the crawl marked paid) when the crawler's last crawl started after {@code since}. */
    private boolean paidBy(Optional<Instant> lastStart, Instant since, String key, PolicyResult result,
                           ExportRetentionProperties p) {
        if (lastStart.filter(t -> t.isAfter(since)).isEmpty()) {
            return false;
        }
        ledger().complete(key, "paid " + clock.instant() + "|a crawl started at " + lastStart.get());
        result.crawl = "; crawler " + p.crawler() + " crawled since " + lastStart.get() + ", after the deletions";
        countCrawl(p.name(), "found");
        return true;
    }

    private Optional<Instant> owedSince(String key) {
        return ledger().operation(key).filter(OperationRecord::completed).flatMap(OperationRecord::result)
                .filter(v -> v.startsWith("owed ")).map(v -> {
                    int bar = v.indexOf('|');
                    try {
                        return Instant.parse(v.substring("owed ".length(), bar < 0 ? v.length() : bar));
                    } catch (DateTimeParseException e) {
                        return Instant.EPOCH; // unreadable: owed since ever, so the next start pays it
                    }
                });
    }

    static String identifierOf(String arn, String fallback) {
        return Arn.parse(arn).filter(a -> a.rdsScope().isPresent()).map(Arn::resourceId).orElse(fallback);
    }

    // ---------------------------------------------------------------- notification

    /** Publishes the policy's run summary; answers what became of it, for the step's detail. */
    private String notify(PolicyPlan plan, RunPlan run, List<String> deleted, List<String> failures,
                          List<String> capViolations, String headline) {
        String topic = topicOf(plan);
        if (topic == null || topic.isBlank()) {
            LOG.info("prune {}: {} (no notification topic configured)", plan.policy(), headline);
            countNotification(plan, "no_topic");
            return "; no notification topic configured";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "snapline.prune");
        body.put("runId", run.runId());
        body.put("at", run.at().toString());
        body.put("trigger", run.trigger());
        body.put("policy", plan.policy());
        body.put("kind", plan.kind());
        body.put("deletedCount", deleted.size());
        body.put("deleted", deleted.subList(0, Math.min(NOTIFY_LIST_LIMIT, deleted.size())));
        body.put("keptCount", plan.keptCount());
        body.put("kept", kept(plan));
        body.put("protectedCount", plan.protectedCount());
        body.put("protectedByReason", protectedByReason(plan));
        body.put("failures", failures.subList(0, Math.min(NOTIFY_LIST_LIMIT, failures.size())));
        body.put("capViolations", capViolations);
        body.put("plan", "GET /prune/plan/" + plan.kind() + "/" + plan.policy() + "/" + run.runId());
        String subject = SafeText.of("Snapline prune " + plan.policy() + ": " + headline, 90);
        try {
            gateways.notifications().publish(topic, subject.length() > 100 ? subject.substring(0, 100) : subject,
                    PlanJson.write(body));
            countNotification(plan, "sent");
            return "";
        } catch (RuntimeException e) {
            String reason = SafeText.of(String.valueOf(e.getMessage()), 300);
            LOG.warn("prune {}: the run summary notification to {} failed: {}", plan.policy(), topic, reason);
            countNotification(plan, "failed");
            return "; the summary notification failed: " + reason;
        }
    }

    private String topicOf(PolicyPlan plan) {
        String own = plan.kind().equals("snapshots")
                ? policies.stream().filter(p -> p.name().equals(plan.policy())).findFirst()
                .map(RetentionPolicy::notificationTopic).orElse(null)
                : exportPolicies.stream().filter(p -> p.name().equals(plan.policy())).findFirst()
                .map(ExportRetentionProperties::notificationTopic).orElse(null);
        return own != null && !own.isBlank() ? own : settings.notificationTopic();
    }

    private static List<String> kept(PolicyPlan plan) {
        List<String> out = new ArrayList<>();
        for (SnapshotSourcePlan s : plan.snapshotSources()) {
            for (SnapshotDecision d : s.kept()) {
                if (out.size() < NOTIFY_LIST_LIMIT) {
                    out.add(d.identifier() + ": " + d.why());
                }
            }
        }
        for (ExportSourcePlan s : plan.exportSources()) {
            for (ExportDecision d : s.decisions()) {
                if (d.verdict() == Verdict.KEEP && out.size() < NOTIFY_LIST_LIMIT) {
                    out.add(d.export().taskId() + ": " + d.why());
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> protectedByReason(PolicyPlan plan) {
        Map<String, Integer> out = new TreeMap<>();
        plan.snapshotSources().forEach(s -> s.protectedCounts().forEach((k, v) -> out.merge(k, v, Integer::sum)));
        plan.exportSources().forEach(s -> s.decisions().stream().filter(d -> d.verdict() == Verdict.PROTECTED)
                .forEach(d -> out.merge(d.rules().get(0).replaceFirst(":.*", ""), 1, Integer::sum)));
        return out;
    }

    // ---------------------------------------------------------------- metrics

    /** {@code snapline_prune_deletions_total{kind,policy,result}}: each planned deletion, by what became of it. */
    private void countDeletion(String kind, String policy, String result) {
        counter("snapline.prune.deletions", "planned prune deletions by kind, policy and result",
                "kind", kind, "policy", policy, "result", result).increment();
    }

    /** {@code snapline_prune_crawls_total{policy,result}}: the crawl after export deletions. */
    private void countCrawl(String policy, String result) {
        counter("snapline.prune.crawls", "crawls owed after export deletions, by policy and result",
                "policy", policy, "result", result).increment();
    }

    /** {@code snapline_prune_notifications_total{kind,policy,result}}. */
    private void countNotification(PolicyPlan plan, String result) {
        counter("snapline.prune.notifications", "prune run summaries by kind, policy and result",
                "kind", plan.kind(), "policy", plan.policy(), "result", result).increment();
    }

    /** The step runner's own meter, for a policy's run that the runner did not run (held by another run). */
    private void countStep(Selected s, String outcome) {
        counter("snapline.steps", "pipeline step runs by stage, policy and outcome",
                "stage", stage(s.kind()), "policy", s.name(), "outcome", outcome).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + '|' + String.join("|", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(meters));
    }
}
