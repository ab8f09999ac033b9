package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.handler.ReconcileExtension;
import io.snapline.handler.step.Delivery;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.message.Command;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code reconcile} command: RDS and EventBridge events are best effort, so this compares recent
 * snapshots and export tasks with the ledger and re-drives what is missing, through the same
 * claimed steps as the handlers (so it is safe to run at any time, any number of times):
 * <ul>
 *   <li>an available snapshot a policy takes, with no completed {@code export#} claim → start the export;</li>
 *   <li>a complete export task of ours with no completed {@code acl#} → ACL rewrite, then the rest
 *       (an ACL batch job whose failure was already reported is retried with a new job);</li>
 *   <li>ACLs done but the policy's crawler not ({@code crawl#}) → the crawler;</li>
 *   <li>a failed or canceled task of ours whose failure was not notified → record and notify.</li>
 * </ul>
 * Then every {@link ReconcileExtension} (the snapshot schedules' catch-up of a missed slot), whose
 * summaries are appended; a {@code policy} that names no export policy but an extension's runs only
 * the extensions.
 * Arguments: {@code days} (default 7) or {@code sinceHours} bound "recent"; {@code policy} and
 * {@code source} (exact or glob) narrow the run; {@code dryRun} only reports; {@code retryFailed}
 * (default false) is an operator's explicit retry: steps that failed permanently (a role fixed, a
 * batch job whose failure was reported) run again, a failed batch job with a new job. Without it a
 * failed step stays failed and is listed in the summary.
 *
 * <p>RDS does not record whether a manual snapshot is a copy, so during reconciliation a manual
 * snapshot is taken by policies that select {@code manual} or {@code copy}.
 */
@Singleton
public class ReconcileAction implements CommandAction {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileAction.class);
    static final int DEFAULT_DAYS = 7;

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;
    private final Clock clock;
    private final List<ReconcileExtension> extensions;

    @Inject
    public ReconcileAction(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline,
                           List<ReconcileExtension> extensions, Clock clock) {
        this(policies, gateways, ledger, pipeline, clock, extensions);
    }

    public ReconcileAction(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline) {
        this(policies, gateways, ledger, pipeline, Clock.systemUTC(), List.of());
    }

    public ReconcileAction(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline,
                           Clock clock) {
        this(policies, gateways, ledger, pipeline, clock, List.of());
    }

    public ReconcileAction(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline,
                           Clock clock, List<ReconcileExtension> extensions) {
        this.extensions = List.copyOf(extensions);
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public Outcome run(Command command) {
        Optional<String> named = command.arg("policy").map(String::trim).filter(v -> !v.isEmpty());
        List<String> more = new ArrayList<>();
        boolean exportPolicy = named.isEmpty() || policies.byName(named.get()).isPresent();
        for (ReconcileExtension e : extensions) {
            if (named.isEmpty() || e.knowsPolicy(named.get())) {
                more.add(e.reconcile(command));
            }
        }
        if (!exportPolicy && !more.isEmpty()) {
            return Outcome.done(String.join("; ", more));
        }
        Outcome exports = reconcileExports(command);
        return more.isEmpty() ? exports : Outcome.done(exports.reason() + "; " + String.join("; ", more));
    }

    private Outcome reconcileExports(Command command) {
        Duration window = window(command);
        String windowLabel = command.arg("sinceHours").isPresent() ? window.toHours() + " hours" : window.toDays() + " days";
        Optional<String> source = command.arg("source").map(String::trim).filter(v -> !v.isEmpty());
        List<ExportPolicy> selected = command.arg("policy").map(String::trim).filter(v -> !v.isEmpty())
                .map(name -> List.of(policies.byName(name).orElseThrow(() -> new PermanentProcessingException(
                        "reconcile: no export policy '" + name + "'; known: "
                                + String.join(", ", policies.all().stream().map(ExportPolicy::name).toList())))))
                .orElse(policies.all());
        boolean retryFailed = flag(command, "retryFailed");
        Report report = new Report(command.dryRun(), retryFailed, source);
        Instant since = clock.instant().minus(window);
        Map<AwsAccess, List<ExportPolicy>> byAccess = new LinkedHashMap<>();
        selected.forEach(p -> byAccess.computeIfAbsent(p.sourceAccess(), a -> new ArrayList<>()).add(p));
        for (Map.Entry<AwsAccess, List<ExportPolicy>> group : byAccess.entrySet()) {
            reconcileSnapshots(group.getKey(), group.getValue(), since, report);
            reconcileTasks(group.getKey(), group.getValue(), since, report);
        }
        String summary = report.summary(windowLabel);
        if (report.errors.isEmpty()) {
            LOG.info(summary);
        } else {
            LOG.warn(summary);
        }
        return Outcome.done(summary);
    }

    private static boolean flag(Command command, String name) {
        String raw = command.arg(name).map(String::trim).orElse("false");
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw new PermanentProcessingException("reconcile: " + name + " must be true or false, got '" + raw + "'");
    }

    /** {@code sinceHours} when given, else {@code days} (default 7). */
    private static Duration window(Command command) {
        String name = command.arg("sinceHours").isPresent() ? "sinceHours" : "days";
        String raw = command.arg(name).map(String::trim).orElse(String.valueOf(DEFAULT_DAYS));
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new PermanentProcessingException("reconcile: " + name + " must be a whole number, got '" + raw + "'");
        }
        if (value < 1 || value > 24 * 400) {
            throw new PermanentProcessingException("reconcile: " + name + " must be between 1 and " + (name.equals("days") ? 400 : 24 * 400)
                    + ", got " + value);
        }
        return name.equals("days") ? Duration.ofDays(value) : Duration.ofHours(value);
    }

    private void reconcileSnapshots(AwsAccess access, List<ExportPolicy> group, Instant since, Report report) {
        boolean anyGlob = group.stream().anyMatch(ExportPolicy::hasGlobSource);
        Set<Optional<String>> filters = new LinkedHashSet<>();
        if (anyGlob) {
            filters.add(Optional.empty());
        } else {
            group.forEach(p -> p.sources().forEach(s -> filters.add(Optional.of(s.trim().toLowerCase(java.util.Locale.ROOT)))));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (SnapshotRef.Scope scope : List.of(SnapshotRef.Scope.DB_SNAPSHOT, SnapshotRef.Scope.CLUSTER_SNAPSHOT)) {
            for (Optional<String> filter : filters) {
                List<SnapshotInfo> recent = new ArrayList<>();
                gateways.snapshots(access).forEachSnapshot(scope, filter, info -> {
                    if (info.createTime() != null && !info.createTime().isBefore(since)
                            && SnapshotCreatedHandler.ownSnapshot(info) && seen.add(info.arn())) {
                        recent.add(info);
                    }
                });
                recent.forEach(info -> reconcileSnapshot(info, group, report));
            }
        }
    }

    private void reconcileSnapshot(SnapshotInfo info, List<ExportPolicy> group, Report report) {
        if (!report.takesSource(info.sourceId())) {
            return;
        }
        Set<ExportPolicy.Kind> kinds = kindsOf(info);
        Optional<String> account = Arn.parse(info.arn()).map(Arn::account);
        for (ExportPolicy p : group) {
            if (!p.matchesSource(info.sourceId()) || kinds.stream().noneMatch(p.kindSet()::contains)
                    || (p.sourceAccountId().isPresent() && account.isPresent() && !p.sourceAccountId().equals(account))) {
                continue;
            }
            report.snapshotsChecked++;
            boolean started = ledger.operation(ExportSubject.exportKey(info.arn(), p.name()))
                    .map(OperationRecord::completed).orElse(false);
            if (started) {
                continue;
            }
            if (!"available".equalsIgnoreCase(info.status())) {
                report.note("snapshot " + info.identifier() + " (" + p.name() + ") is " + info.status() + ": not yet");
                continue;
            }
            report.act("start export of " + info.identifier() + " under " + p.name(),
                    () -> pipeline.start(p, info));
        }
    }

    private void reconcileTasks(AwsAccess access, List<ExportPolicy> group, Instant since, Report report) {
        List<Map.Entry<ExportPolicy, ExportTask>> ours = new ArrayList<>();
        gateways.exports(access).forEachExportTask(task -> {
            if (!task.terminal() || task.startTime().filter(t -> t.isBefore(since)).isPresent()) {
                return;
            }
            ExportPipeline.ownerOf(task, group).ifPresent(p -> ours.add(Map.entry(p, task)));
        });
        for (Map.Entry<ExportPolicy, ExportTask> e : ours) {
            ExportPolicy p = e.getKey();
            ExportTask task = e.getValue();
            report.tasksChecked++;
            Optional<String> missing = missingStep(p, task);
            if (missing.isEmpty()) {
                continue;
            }
            ExportSubject subject = pipeline.subject(p, task);
            if (!report.takesSource(subject.sourceId())) {
                continue;
            }
            report.act(missing.get() + " for export " + task.taskId() + " (" + p.name() + ")",
                    () -> pipeline.afterExport(subject, task));
        }
    }

    /** The first step a terminal task of ours still lacks, if any. */
    private Optional<String> missingStep(ExportPolicy p, ExportTask task) {
        if (!task.complete()) {
            boolean notifies = p.notificationTopicArn().isPresent() || p.webhook().isPresent();
            return notifies && !done(Notifier.notifyKey(task.taskId(), "failed"))
                    ? Optional.of("record and notify the " + task.status() + " export") : Optional.empty();
        }
        if (!done(AclRewriter.aclKey(task.taskId()))) {
            return Optional.of("ACL rewrite");
        }
        if (p.crawlerName().isPresent() && !done(CrawlerStarter.crawlKey(task.taskId()))) {
            return Optional.of("crawler " + p.crawlerName().get());
        }
        return Optional.empty();
    }

    private boolean done(String key) {
        return ledger.operation(key).map(OperationRecord::completed).orElse(false);
    }

    /** The policy kinds a described snapshot can count as. */
    static Set<ExportPolicy.Kind> kindsOf(SnapshotInfo info) {
        String type = info.snapshotType() == null ? "" : info.snapshotType().toLowerCase(java.util.Locale.ROOT);
        if (type.equals("awsbackup") || info.identifier().startsWith("awsbackup:")) {
            return EnumSet.of(ExportPolicy.Kind.AWS_BACKUP);
        }
        if (type.equals("automated")) {
            return EnumSet.of(ExportPolicy.Kind.AUTOMATED);
        }
        if (type.equals("manual")) {
            return EnumSet.of(ExportPolicy.Kind.MANUAL, ExportPolicy.Kind.COPY);
        }
        return EnumSet.noneOf(ExportPolicy.Kind.class);
    }

    /** What a run found and did. */
    private static final class Report {
        final boolean dryRun;
        final boolean retryFailed;
        final Optional<String> source;
        int snapshotsChecked;
        int tasksChecked;
        final List<String> actions = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<String> failedBefore = new ArrayList<>();

        Report(boolean dryRun, boolean retryFailed, Optional<String> source) {
            this.dryRun = dryRun;
            this.retryFailed = retryFailed;
            this.source = source;
        }

        /** True when no {@code source} argument was given or the source id matches it (exact or glob). */
        boolean takesSource(String sourceId) {
            return source.isEmpty() || (sourceId != null && io.snapline.config.Globs.matches(source.get(), sourceId));
        }

        void note(String note) {
            notes.add(note);
        }

        void act(String what, java.util.function.Supplier<Outcome> action) {
            if (dryRun) {
                actions.add("would " + what);
                return;
            }
            try {
                // The same steps as the handlers; retryFailed makes this an operator's retry of failed ones.
                Outcome o = Delivery.handle(retryFailed, action);
                if (o.status() == Outcome.Status.ALREADY_FAILED) {
                    failedBefore.add(what + ": " + o.reason());
                    return;
                }
                actions.add(what + ": " + o.label() + (o.reason().isEmpty() ? "" : " (" + o.reason() + ")"));
            } catch (RuntimeException e) {
                errors.add(what + ": " + e.getMessage());
            }
        }

        String summary(String window) {
            StringBuilder sb = new StringBuilder(dryRun ? "reconcile (dry run)" : "reconcile")
                    .append(retryFailed ? " retrying failed steps" : "")
                    .append(source.map(s -> " of " + s).orElse(""))
                    .append(" over ").append(window)
                    .append(": ")
                    .append(snapshotsChecked).append(" snapshot/policy pairs and ")
                    .append(tasksChecked).append(" export tasks checked; ")
                    .append(actions.isEmpty() ? "nothing missing" : actions.size() + " re-driven: " + String.join("; ", actions));
            if (!notes.isEmpty()) {
                sb.append("; notes: ").append(String.join("; ", notes));
            }
            if (!failedBefore.isEmpty()) {
                sb.append("; failed before, not retried (reconcile with retryFailed=true once the cause is fixed): ")
                        .append(String.join("; ", failedBefore));
            }
            if (!errors.isEmpty()) {
                sb.append("; errors: ").append(String.join("; ", errors));
            }
            return sb.toString();
        }
    }
}
