package io.snapline.handler.prune;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.config.SnaplineProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs retention: plans every selected policy, checks the caps, then deletes.
 *
 * <p><b>Order of a run.</b> (1) Take each policy's lock in the ledger ({@code prune#<kind>#<policy>},
 * released at the end; a policy held by another run is skipped). (2) Plan: snapshot policies one
 * source at a time through {@link SnapshotRetentionPlanner}, export policies through
 * {@link ExportInventory} and {@link ExportRetentionPlanner}. (3) Log the plan as one JSON document on
 * {@code io.snapline.prune.plan} and keep it in {@link PrunePlans}. (4) In dry run, stop. (5) Check
 * every cap of every policy <em>before deleting anything</em>: one exceeded cap means the whole run
 * deletes nothing, records FAILED, notifies and throws {@link PermanentProcessingException}.
 * (6) Delete: RDS deletes rate-limited and re-checked against a fresh describe; exports object by
 * object in DeleteObjects batches; each deletion recorded in the ledger; the crawler of an export
 * policy started after its exports went. (7) One notification per policy that deleted or failed.
 * Failed deletions make the run throw {@link RetryableProcessingException} at the end: a retry
 * replans, and what was deleted is not deleted twice.
 */
@Singleton
public class Pruner {

    private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);
    private static final Logger PLAN_LOG = LoggerFactory.getLogger("io.snapline.prune.plan");
    private static final int NOTIFY_LIST_LIMIT = 100;

    private final Gateways gateways;
    private final Supplier<Ledger> ledgerProvider;
    private final List<RetentionPolicy> policies;
    private final List<ExportRetentionProperties> exportPolicies;
    private final PruneProperties settings;
    private final boolean globalDryRun;
    private final PrunePlans plans;
    private final Clock clock;
    private final DeleteRateLimiter limiter;

    /**
     * The bean constructor. The ledger is looked up at the first run, not at start-up: the command
     * handler (and so this) is built eagerly by the handler registry, and a ledger that cannot be
     * reached yet must not stop the boot because of pruning.
     */
    @Inject
    public Pruner(Gateways gateways, Provider<Ledger> ledger, List<RetentionPolicy> policies,
                  List<ExportRetentionProperties> exportPolicies, PruneProperties settings,
                  SnaplineProperties snapline, QueueProperties queue, PrunePlans plans) {
        this(gateways, ledger::get, policies, exportPolicies, settings, snapline.dryRun() || queue.localMode(), plans,
                Clock.systemUTC(), new DeleteRateLimiter(settings.rdsDeletesPerSecond()));
    }

    /** For tests and callers without a context. */
    public Pruner(Gateways gateways, Ledger ledger, List<RetentionPolicy> policies,
                  List<ExportRetentionProperties> exportPolicies, PruneProperties settings, boolean globalDryRun,
                  PrunePlans plans, Clock clock, DeleteRateLimiter limiter) {
        this(gateways, () -> ledger, policies, exportPolicies, settings, globalDryRun, plans, clock, limiter);
    }

    private Pruner(Gateways gateways, Supplier<Ledger> ledger, List<RetentionPolicy> policies,
                   List<ExportRetentionProperties> exportPolicies, PruneProperties settings, boolean globalDryRun,
                   PrunePlans plans, Clock clock, DeleteRateLimiter limiter) {
        this.gateways = gateways;
        this.ledgerProvider = ledger;
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

    /** Runs one prune. */
    public PruneReport run(PruneRequest request) {
        boolean dryRun = dryRun(request.dryRun());
        List<RetentionPolicy> snapshotPolicies = request.snapshots() ? policies.stream()
                .filter(p -> request.policy().map(p.name()::equals).orElse(true)).toList() : List.of();
        List<ExportRetentionProperties> exportRetention = request.exports() ? exportPolicies.stream()
                .filter(ExportRetentionProperties::hasRetention)
                .filter(p -> request.policy().map(p.name()::equals).orElse(true)).toList() : List.of();
        if (request.policy().isPresent() && snapshotPolicies.isEmpty() && exportRetention.isEmpty()) {
            throw new PermanentProcessingException("prune: no retention policy named '" + request.policy().get()
                    + "'; known: " + policyNames());
        }
        Instant now = clock.instant();
        String runId = UUID.randomUUID().toString();
        List<String> locks = new ArrayList<>();
        try {
            List<PolicyPlan> planned = new ArrayList<>();
            Set<String> inExport = snapshotPolicies.isEmpty() ? Set.of() : snapshotsInExport();
            for (RetentionPolicy p : snapshotPolicies) {
                String lock = "prune#snapshots#" + p.name();
                if (!dryRun && !lock(lock, locks)) {
                    planned.add(skipped(p.name(), "snapshots", now, request, lock));
                    continue;
                }
                planned.add(planSnapshots(p, request, now, inExport, dryRun));
            }
            for (ExportRetentionProperties p : exportRetention) {
                String lock = "prune#exports#" + p.name();
                if (!dryRun && !lock(lock, locks)) {
                    planned.add(skipped(p.name(), "exports", now, request, lock));
                    continue;
                }
                planned.add(planExports(p, request, now, dryRun));
            }
            List<PolicyPlan> checked = planned.stream().map(this::checkCaps).toList();
            RunPlan run = new RunPlan(runId, now, request.trigger(), dryRun, checked);
            PLAN_LOG.info(PlanJson.write(run));
            plans.put(run);
            if (dryRun) {
                return new PruneReport(run, 0, 0, List.of());
            }
            List<PolicyPlan> violating = checked.stream().filter(p -> !p.capViolations().isEmpty()).toList();
            if (!violating.isEmpty()) {
                refuse(run, violating);
            }
            return execute(run, request.startCrawler());
        } finally {
            locks.forEach(ledger()::release);
        }
    }

    private boolean lock(String key, List<String> locks) {
        ClaimResult claim = ledger().claim(key, settings.lease());
        if (claim.status() == ClaimResult.Status.ACQUIRED) {
            locks.add(key);
            return true;
        }
        LOG.info("prune: {} is held by another run ({}); skipping it this time", key, claim.status());
        return false;
    }

    private PolicyPlan skipped(String policy, String kind, Instant now, PruneRequest request, String lock) {
        return new PolicyPlan(policy, kind, now, false, request.trigger(), List.of(), List.of(), List.of(), 0,
                List.of(), List.of("skipped: another run holds " + lock));
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

    // ---------------------------------------------------------------- snapshots

    private PolicyPlan planSnapshots(RetentionPolicy p, PruneRequest request, Instant now, Set<String> inExport,
                                     boolean dryRun) {
        SnapshotGateway snapshots = gateways.snapshots(AwsAccess.DEFAULT);
        List<SnapshotSourcePlan> sourcePlans = new ArrayList<>();
        int budget = settings.planListLimit();
        List<SnapshotRef.Scope> scopes = new ArrayList<>();
        if (p.coversInstances()) {
            scopes.add(SnapshotRef.Scope.DB_SNAPSHOT);
        }
        if (p.coversClusters()) {
            scopes.add(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        }
        for (SnapshotRef.Scope scope : scopes) {
            for (String source : sources(snapshots, scope, p.sources(), request.source())) {
                SnapshotRetentionPlanner planner = new SnapshotRetentionPlanner(p, now, inExport, Math.max(0, budget));
                SnapshotRetentionPlanner.SourcePlanner sp = planner.forSource(scope, source);
                snapshots.forEachSnapshot(scope, Optional.of(source), sp);
                SnapshotSourcePlan plan = sp.finish();
                budget -= plan.kept().size() + plan.protectedListed().size();
                if (plan.seen() > 0) {
                    sourcePlans.add(plan);
                }
            }
        }
        return new PolicyPlan(p.name(), "snapshots", now, dryRun, request.trigger(), sourcePlans, List.of(),
                List.of(), 0, List.of(), List.of());
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
                out.add(pattern.toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (!globs.isEmpty()) {
            Optional<String> exactFilter = filter.filter(f -> !SourceGlob.of(f).isGlob());
            if (exactFilter.isPresent()) {
                if (SourceGlob.anyMatches(globs, exactFilter.get())) {
                    out.add(exactFilter.get().toLowerCase(java.util.Locale.ROOT));
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

    private PolicyPlan checkCaps(PolicyPlan plan) {
        List<String> violations = new ArrayList<>();
        int deletes = plan.deleteCount();
        if (plan.kind().equals("snapshots")) {
            RetentionPolicy p = policies.stream().filter(x -> x.name().equals(plan.policy())).findFirst()
                    .orElseThrow();
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
            ExportRetentionProperties p = exportPolicies.stream().filter(x -> x.name().equals(plan.policy()))
                    .findFirst().orElseThrow();
            if (deletes > p.retention().maxDeletes()) {
                violations.add("snapline.exports." + p.name() + ".retention.max-deletes: the run would delete "
                        + deletes + " exports, the cap is " + p.retention().maxDeletes());
            }
        }
        return violations.isEmpty() ? plan : plan.withCapViolations(violations);
    }

    private void refuse(RunPlan run, List<PolicyPlan> violating) {
        List<String> all = new ArrayList<>();
        for (PolicyPlan p : violating) {
            all.addAll(p.capViolations());
            String detail = "deleted nothing: " + String.join("; ", p.capViolations()) + " (plan " + run.runId() + ")";
            ledger().recordStep("prune#" + p.kind() + "#" + p.policy(), p.policy(), "pruned:" + p.policy(),
                    StepState.FAILED, detail);
            notify(p, run, List.of(), List.of(), p.capViolations(), "cap exceeded, nothing deleted");
        }
        throw new PermanentProcessingException("prune refused, nothing deleted: " + String.join("; ", all)
                + ". Check the plan at GET /prune/plan; raise the cap or fix the policy, then re-run.");
    }

    // ---------------------------------------------------------------- execution

    private PruneReport execute(RunPlan run, boolean startCrawlers) {
        int deletedSnapshots = 0;
        int deletedExports = 0;
        List<String> failures = new ArrayList<>();
        for (PolicyPlan plan : run.policies()) {
            List<String> deleted = new ArrayList<>();
            List<String> policyFailures = new ArrayList<>();
            if (plan.kind().equals("snapshots")) {
                RetentionPolicy p = policies.stream().filter(x -> x.name().equals(plan.policy())).findFirst()
                        .orElseThrow();
                for (SnapshotSourcePlan s : plan.snapshotSources()) {
                    for (SnapshotDecision d : s.deletions()) {
                        deleteSnapshot(p, s.sourceId(), d, deleted, policyFailures);
                    }
                }
                deletedSnapshots += deleted.size();
            } else {
                ExportRetentionProperties p = exportPolicies.stream().filter(x -> x.name().equals(plan.policy()))
                        .findFirst().orElseThrow();
                for (ExportSourcePlan s : plan.exportSources()) {
                    for (ExportDecision d : s.decisions()) {
                        if (d.verdict() == Verdict.DELETE) {
                            deleteExport(p, d, deleted, policyFailures);
                        }
                    }
                }
                deletedExports += deleted.size();
                if (!deleted.isEmpty() && startCrawlers && p.crawler() != null && !p.crawler().isBlank()) {
                    startCrawler(p, policyFailures);
                }
            }
            failures.addAll(policyFailures);
            if (!deleted.isEmpty() || !policyFailures.isEmpty()) {
                notify(plan, run, deleted, policyFailures, List.of(),
                        deleted.size() + " deleted" + (policyFailures.isEmpty() ? "" : ", " + policyFailures.size()
                                + " failed"));
            }
        }
        PruneReport report = new PruneReport(run, deletedSnapshots, deletedExports, failures);
        if (!failures.isEmpty()) {
            throw new RetryableProcessingException("prune: " + report.summary() + ": " + String.join("; ",
                    failures.subList(0, Math.min(10, failures.size()))));
        }
        return report;
    }

    private void deleteSnapshot(RetentionPolicy p, String sourceId, SnapshotDecision d, List<String> deleted,
                                List<String> failures) {
        String pipelineId = d.arn() != null ? d.arn() : d.identifier();
        String step = "pruned:" + p.name();
        SnapshotGateway snapshots = gateways.snapshots(AwsAccess.DEFAULT);
        try {
            // Re-check just before deleting: the snapshot may have changed since it was planned.
            Optional<SnapshotInfo> now = snapshots.describe(d.scope(), d.identifier());
            if (now.isEmpty()) {
                ledger().recordStep(pipelineId, d.identifier(), step, StepState.DONE, "already gone; " + d.why());
                deleted.add(d.identifier() + " (already gone)");
                return;
            }
            String protection = new SnapshotRetentionPlanner(p, clock.instant(), Set.of(), 0)
                    .protection(now.get(), sourceId);
            if (protection != null || !"available".equals(now.get().status())) {
                String why = protection != null ? protection : "not-available:" + now.get().status();
                LOG.warn("prune {}: {} changed since planning ({}); not deleted", p.name(), d.identifier(), why);
                ledger().recordStep(pipelineId, d.identifier(), step, StepState.SKIPPED, "changed since planning: " + why);
                return;
            }
            limiter.acquire();
            SnapshotGateway.DeleteResult result = snapshots.delete(d.scope(), d.identifier());
            String detail = (result == SnapshotGateway.DeleteResult.ALREADY_GONE ? "already gone; " : "") + d.why();
            ledger().recordStep(pipelineId, d.identifier(), step, StepState.DONE, detail);
            deleted.add(d.identifier() + ": " + d.why());
        } catch (RuntimeException e) {
            LOG.debug("prune {}: deleting {} failed", p.name(), d.identifier(), e);
            ledger().recordStep(pipelineId, d.identifier(), step, StepState.FAILED, String.valueOf(e.getMessage()));
            failures.add(d.identifier() + ": " + e.getMessage());
        }
    }

    private void deleteExport(ExportRetentionProperties p, ExportDecision d, List<String> deleted,
                              List<String> failures) {
        ExportEntry e = d.export();
        String step = "pruned-export:" + p.name();
        String pipelineId = e.snapshotArn() != null ? e.snapshotArn() : e.taskId();
        String identifier = identifierOf(e.snapshotArn(), e.taskId());
        String where = "s3://" + e.bucket() + "/" + e.folder();
        try {
            ExportDeleter.Result r = new ExportDeleter(gateways.objects(p.access(), p.expectedBucketOwner()))
                    .deleteFolder(e.bucket(), e.folder());
            if (r.complete()) {
                ledger().recordStep(pipelineId, identifier, step, StepState.DONE,
                        "export " + e.taskId() + ": deleted " + where + " (" + r.deleted() + " objects); " + d.why());
                deleted.add(e.taskId() + ": " + d.why());
            } else {
                String msg = "export " + e.taskId() + ": " + r.failed() + " object(s) under " + where
                        + " not deleted, e.g. " + r.firstErrors();
                ledger().recordStep(pipelineId, identifier, step, StepState.FAILED, msg);
                failures.add(msg);
            }
        } catch (RuntimeException ex) {
            LOG.debug("prune {}: deleting export {} failed", p.name(), e.taskId(), ex);
            ledger().recordStep(pipelineId, identifier, step, StepState.FAILED, String.valueOf(ex.getMessage()));
            failures.add("export " + e.taskId() + ": " + ex.getMessage());
        }
    }

    private void startCrawler(ExportRetentionProperties p, List<String> failures) {
        try {
            gateways.crawlers(p.crawlerAccess()).start(p.crawler());
        } catch (RuntimeException e) {
            failures.add("crawler " + p.crawler() + " not started: " + e.getMessage());
        }
    }

    static String identifierOf(String arn, String fallback) {
        return Arn.parse(arn).filter(a -> a.rdsScope().isPresent()).map(Arn::resourceId).orElse(fallback);
    }

    // ---------------------------------------------------------------- notification

    private void notify(PolicyPlan plan, RunPlan run, List<String> deleted, List<String> failures,
                        List<String> capViolations, String headline) {
        String topic = topicOf(plan);
        if (topic == null || topic.isBlank()) {
            LOG.info("prune {}: {} (no notification topic configured)", plan.policy(), headline);
            return;
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
        String subject = ("Snapline prune " + plan.policy() + ": " + headline);
        try {
            gateways.notifications().publish(topic, subject.length() > 100 ? subject.substring(0, 100) : subject,
                    PlanJson.write(body));
        } catch (RuntimeException e) {
            LOG.warn("prune {}: notification to {} failed: {}", plan.policy(), topic, e.getMessage());
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
}
