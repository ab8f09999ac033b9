package io.snapline.handler.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportPolicyValidator;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.ObjectStoreGateway.OwnerCheck;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.ExportCompletedListener;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export pipeline's steps, shared by the event handlers and reconciliation so that both take
 * exactly the same code path: kick an export off ({@link #start}), and carry a finished export
 * through recording, ACL rewrite, notification, listeners and crawl ({@link #afterExport}). Every
 * step runs on the {@link StepRunner} under its own ledger key, so any step may be re-run at any
 * time: a replayed event has no second effect, a crash between steps resumes where it stopped, a
 * step another delivery holds is looked at again once its lease can have lapsed, and a step that
 * failed permanently stays failed (notified once) until an operator retries it.
 *
 * <p>Counts {@code snapline_export_tasks_total{policy,status}} once per task that reaches a terminal
 * status ({@code complete}, {@code failed}, {@code canceled}); the runner's
 * {@code snapline_steps_total{stage="export"}} counts the starts.
 */
@Singleton
public class ExportPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ExportPipeline.class);
    static final Duration NOT_AVAILABLE_RECHECK = Duration.ofMinutes(2);
    static final Duration RUNNING_RECHECK = Duration.ofMinutes(2);
    private static final Pattern AUTOMATED = Pattern.compile("^(?:rds:)?(.+)-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}$");

    private final Gateways gateways;
    private final Ledger ledger;
    private final StepRunner runner;
    private final AclRewriter acl;
    private final CrawlerStarter crawler;
    private final Notifier notifier;
    private final List<ExportCompletedListener> listeners;
    private final MeterRegistry meters;
    private final Map<String, Counter> taskCounters = new ConcurrentHashMap<>();

    public ExportPipeline(Gateways gateways, Ledger ledger, StepRunner runner, AclRewriter acl,
                          CrawlerStarter crawler, Notifier notifier, List<ExportCompletedListener> listeners,
                          MeterRegistry meters) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.runner = runner;
        this.acl = acl;
        this.crawler = crawler;
        this.notifier = notifier;
        this.listeners = List.copyOf(listeners);
        this.meters = meters;
    }

    /**
     * Starts the export of an available snapshot under a policy: the step {@code export:<policy>},
     * claimed as {@code export#<snapshotArn>#<policy>}. Before {@code StartExportTask}: the snapshot
     * must be available (else a re-check), {@code export-only} must fit its engine, the prefix must
     * expand into characters RDS takes, and the bucket must belong to {@code bucket-owner-account}
     * when one is configured (each a permanent, notified failure otherwise, before any data is
     * written). {@code ExportTaskAlreadyExists} for the same source is ALREADY_DONE, for another
     * source a permanent id collision; a snapshot not yet available or the concurrent-export limit
     * answers RECHECK_LATER.
     */
    public Outcome start(ExportPolicy policy, SnapshotInfo snap) {
        ExportSubject s = new ExportSubject(policy, ExportTaskIds.forArn(policy.name(), snap.arn()),
                snap.arn(), snap.identifier(), snap.sourceId());
        return runner.run(s.step("export", s.exportKey(), notifier.failureNotice(s)), () -> kickoff(s, snap));
    }

    private StepResult kickoff(ExportSubject s, SnapshotInfo snap) {
        ExportPolicy policy = s.policy();
        if (!"available".equalsIgnoreCase(snap.status())) {
            return StepResult.waiting(NOT_AVAILABLE_RECHECK, "snapshot " + snap.identifier() + " is " + snap.status());
        }
        for (String entry : knownEngine(snap.engine()) ? policy.exportOnly() : List.<String>of()) {
            Optional<String> problem = ExportPolicyValidator.engineProblem(entry, snap.engine());
            if (problem.isPresent()) {
                throw new PermanentProcessingException("snapline.exports." + policy.name() + ".export-only: "
                        + problem.get());
            }
        }
        String prefix;
        try {
            prefix = policy.expandPrefix(snap.sourceId(), snap.createTime());
        } catch (IllegalArgumentException e) {
            throw new PermanentProcessingException(e.getMessage(), e);
        }
        policy.expectedBucketOwner().ifPresent(owner -> requireOwner(policy, owner));
        ExportGateway.ExportRequest request = new ExportGateway.ExportRequest(s.taskId(), snap.arn(),
                policy.bucket(), prefix, policy.exportRoleArn(), policy.kmsKey(), policy.exportOnly());
        ExportGateway.StartResult result = gateways.exports(policy.sourceAccess()).startExport(request);
        String stored = s.taskId() + "|" + snap.sourceId();
        if (!result.started()) {
            ExportTask existing = result.task();
            if (!snap.arn().equals(existing.sourceArn())) {
                throw new PermanentProcessingException("export task id " + s.taskId()
                        + " already exists for another source (" + existing.sourceArn() + ", not " + snap.arn()
                        + "): identifier collision");
            }
            return StepResult.alreadyStarted(stored, "export task " + s.taskId() + " already exists for this snapshot ("
                    + existing.status() + ")");
        }
        String where = "s3://" + policy.bucket() + "/" + (prefix.isEmpty() ? "" : prefix + "/") + s.taskId() + "/";
        return StepResult.started(stored, "export task " + s.taskId() + " of " + snap.arn() + " -> " + where);
    }

    /**
     * The export step of a policy for a snapshot that could not be found: fails permanently with
     * {@code reason}, recorded as {@code export:<policy>} FAILED and notified once; a duplicate answers
     * ALREADY_FAILED.
     */
    public Outcome snapshotMissing(ExportPolicy policy, String pipelineId, String identifier, String reason) {
        ExportSubject s = new ExportSubject(policy, "(not started)", pipelineId, identifier, sourceFromName(identifier));
        return runner.run(s.step("export", s.exportKey(), notifier.failureNotice(s)), () -> {
            throw new PermanentProcessingException(reason);
        });
    }

    /**
     * The bucket must belong to the configured owner before RDS writes a byte to it: RDS's
     * StartExportTask takes no expected owner, so a bucket call with {@code ExpectedBucketOwner}
     * asks first.
     */
    private void requireOwner(ExportPolicy policy, String owner) {
        String key = "snapline.exports." + policy.name() + ".bucket-owner-account";
        OwnerCheck check = gateways.objects(policy.sourceAccess()).checkOwner(policy.bucket(), owner);
        if (check == OwnerCheck.NOT_OWNED) {
            throw new PermanentProcessingException("bucket " + policy.bucket() + " is not owned by account " + owner
                    + " (" + key + "), or Snapline may not read its ownership controls: S3 refused "
                    + "GetBucketOwnershipControls with ExpectedBucketOwner=" + owner + "; nothing was exported");
        }
        if (check == OwnerCheck.NO_SUCH_BUCKET) {
            throw new PermanentProcessingException("bucket " + policy.bucket() + " (snapline.exports." + policy.name()
                    + ".bucket) does not exist; nothing was exported");
        }
    }

    /**
     * Carries a task of ours on: not terminal yet → RECHECK_LATER; failed or canceled → recorded
     * with its cause, counted and notified; complete → recorded and counted, ACLs rewritten,
     * completion notified, {@link ExportCompletedListener}s told, crawler started. A step that waits
     * or failed before stops the chain there (RECHECK_LATER, ALREADY_FAILED); a notification that
     * fails for good does not keep the data from its crawl (the runner records and logs it).
     */
    public Outcome afterExport(ExportSubject s, ExportTask task) {
        if (!task.terminal()) {
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), s.step("export"), StepState.STARTED,
                    "export task " + s.taskId() + " is " + task.status());
            return Outcome.recheckLater(RUNNING_RECHECK, "export task " + s.taskId() + " is " + task.status());
        }
        List<Outcome> parts = new ArrayList<>();
        parts.add(recordEnd(s, task));
        if (!task.complete()) {
            parts.add(notification(() -> notifier.exportFailed(s, task)));
            String cause = task.failureCause().orElse("no cause given");
            return folded(parts, "export task " + s.taskId() + " " + task.status() + ": " + cause);
        }
        Outcome aclOutcome = acl.rewrite(s, task);
        if (stops(aclOutcome)) {
            return aclOutcome;
        }
        parts.add(aclOutcome);
        parts.add(notification(() -> notifier.exportCompleted(s, task)));
        tellListeners(s, task).ifPresent(parts::add);
        Outcome crawl = crawler.crawl(s, task);
        if (stops(crawl)) {
            return crawl;
        }
        parts.add(crawl);
        return folded(parts, "export " + s.taskId() + ": ACLs " + aclOutcome.reason() + "; crawl " + crawl.reason());
    }

    /**
     * RECHECK_LATER when any part must look again (a notification or listener step whose claim a
     * killed process left behind: the message must come back once that lease lapsed, or the step is
     * never run); else DONE when any part did something now, else ALREADY_DONE (a duplicate, nothing new).
     */
    private static Outcome folded(List<Outcome> parts, String reason) {
        Optional<Outcome> waiting = parts.stream().filter(o -> o.status() == Outcome.Status.RECHECK_LATER)
                .min(java.util.Comparator.comparing(o -> o.recheckAfter().orElse(Duration.ZERO)));
        if (waiting.isPresent()) {
            return Outcome.recheckLater(waiting.get().recheckAfter().orElse(RUNNING_RECHECK),
                    reason + "; still waiting: " + waiting.get().reason());
        }
        boolean nothingNew = parts.stream().allMatch(o -> o.status() == Outcome.Status.ALREADY_DONE
                || o.status() == Outcome.Status.ALREADY_FAILED);
        return nothingNew ? Outcome.alreadyDone(reason) : Outcome.done(reason);
    }

    private static boolean stops(Outcome outcome) {
        return outcome.status() == Outcome.Status.RECHECK_LATER || outcome.status() == Outcome.Status.ALREADY_FAILED;
    }

    /** A notification step whose permanent failure (recorded, logged and counted by the runner) lets the chain go on. */
    private static Outcome notification(Supplier<Outcome> send) {
        try {
            return send.get();
        } catch (PermanentProcessingException e) {
            return Outcome.done("notification failed: " + e.getMessage());
        }
    }

    /**
     * The task's terminal status, once per task ({@code exported#<taskId>}): the pipeline's
     * {@code export:<policy>} step DONE or FAILED with the cause, and
     * {@code snapline_export_tasks_total{policy,status}}.
     */
    private Outcome recordEnd(ExportSubject s, ExportTask task) {
        return runner.run(s.hiddenStep("export-end", "exported#" + s.taskId()), () -> {
            String status = task.status().toLowerCase(Locale.ROOT);
            String detail = task.complete()
                    ? "export task " + s.taskId() + " complete: " + task.totalExtractedDataInGb() + " GB in "
                            + Notifier.location(task)
                    : "export task " + s.taskId() + " " + task.status() + ": " + task.failureCause().orElse("no cause given");
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), s.step("export"),
                    task.complete() ? StepState.DONE : StepState.FAILED, detail);
            taskCounters.computeIfAbsent(s.policy().name() + '|' + status, k -> Counter.builder("snapline.export.tasks")
                    .description("export tasks that reached a terminal status, by policy and status")
                    .tag("policy", s.policy().name()).tag("status", status).register(meters)).increment();
            if ("FAILED".equals(task.status())) {
                LOG.error("export task {} of {} (policy {}) FAILED: {}", s.taskId(), s.snapshotArn(), s.policy().name(),
                        task.failureCause().orElse("no cause given"));
            } else if (!task.complete()) {
                LOG.warn("export task {} of {} (policy {}) {}", s.taskId(), s.snapshotArn(), s.policy().name(),
                        task.status());
            }
            return StepResult.done(status, detail);
        });
    }

    /**
     * Calls every {@link ExportCompletedListener} once per task ({@code listeners#<taskId>}); a
     * listener's error is logged and the pipeline goes on.
     */
    private Optional<Outcome> tellListeners(ExportSubject s, ExportTask task) {
        if (listeners.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(runner.run(s.hiddenStep("listeners", "listeners#" + s.taskId()), () -> {
            List<String> failed = new ArrayList<>();
            for (ExportCompletedListener listener : listeners) {
                try {
                    listener.exportCompleted(s.policy().name(), s.sourceId(), task);
                } catch (RuntimeException e) {
                    failed.add(listener.getClass().getSimpleName() + ": " + e);
                    LOG.warn("export-completed listener {} failed for {} (the pipeline goes on)",
                            listener.getClass().getSimpleName(), s.taskId(), e);
                }
            }
            String detail = "told " + listeners.size() + " listener(s)"
                    + (failed.isEmpty() ? "" : "; " + failed.size() + " failed: " + String.join("; ", failed));
            return StepResult.done("told " + listeners.size(), detail);
        }));
    }

    /**
     * The subject of a task of ours: the source id comes from the kickoff's ledger record, else from
     * RDS, else from an automated snapshot's name, else the snapshot identifier itself.
     */
    public ExportSubject subject(ExportPolicy policy, ExportTask task) {
        String snapshotId = ExportTaskIds.identifierFromArn(task.sourceArn());
        Optional<String> fromLedger = ledger.operation(ExportSubject.exportKey(task.sourceArn(), policy.name()))
                .flatMap(OperationRecord::result)
                .filter(r -> r.contains("|"))
                .map(r -> r.substring(r.indexOf('|') + 1));
        String sourceId = fromLedger.orElseGet(() -> describeSource(policy, task.sourceArn(), snapshotId));
        return new ExportSubject(policy, task.taskId(), task.sourceArn(), snapshotId, sourceId);
    }

    /**
     * The export task id of a policy's export of a snapshot: the one its kickoff recorded (a task
     * started before task ids hashed region and account keeps its old id), else the current one.
     */
    public String taskIdOf(ExportPolicy policy, String snapshotArn) {
        return ledger.operation(ExportSubject.exportKey(snapshotArn, policy.name()))
                .filter(OperationRecord::completed).flatMap(OperationRecord::result)
                .map(r -> r.contains("|") ? r.substring(0, r.indexOf('|')) : r)
                .filter(id -> ExportTaskIds.candidates(policy.name(), snapshotArn).contains(id))
                .orElseGet(() -> ExportTaskIds.forArn(policy.name(), snapshotArn));
    }

    private String describeSource(ExportPolicy policy, String arn, String snapshotId) {
        Optional<SnapshotRef.Scope> scope = scopeOf(arn);
        if (scope.isPresent() && scope.get() != SnapshotRef.Scope.CLUSTER) {
            try {
                Optional<SnapshotInfo> info = gateways.snapshots(policy.sourceAccess()).describe(scope.get(), snapshotId);
                if (info.isPresent() && info.get().sourceId() != null && !info.get().sourceId().isBlank()) {
                    return info.get().sourceId();
                }
            } catch (RuntimeException e) {
                LOG.debug("could not describe {} for its source id: {}", arn, e.toString());
            }
        }
        return sourceFromName(snapshotId);
    }

    /** The source of a snapshot judged from its name: {@code rds:<source>-yyyy-MM-dd-HH-mm}, else the name itself. */
    static String sourceFromName(String snapshotId) {
        Matcher m = AUTOMATED.matcher(snapshotId);
        return m.matches() ? m.group(1) : snapshotId;
    }

    /** False when the engine is not known (blank, or an offline dry run's "unknown"): RDS then judges export-only. */
    private static boolean knownEngine(String engine) {
        return engine != null && !engine.isBlank() && !engine.equalsIgnoreCase("unknown");
    }

    /** The scope an RDS ARN names. */
    public static Optional<SnapshotRef.Scope> scopeOf(String arn) {
        return Arn.parse(arn).flatMap(Arn::rdsScope);
    }

    /**
     * The policy among {@code policies} whose deterministic id for the task's source is the task's id:
     * the current id, or the legacy one of a task started before region and account were hashed.
     */
    public static Optional<ExportPolicy> ownerOf(ExportTask task, List<ExportPolicy> policies) {
        return policies.stream()
                .filter(p -> ExportTaskIds.candidates(p.name(), task.sourceArn()).contains(task.taskId()))
                .findFirst();
    }
}
