package io.snapline.handler.export;

import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportPolicyValidator;
import io.snapline.config.ConsumedQueue;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.ExportCompletedListener;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export pipeline's steps, shared by the event handlers and reconciliation so that both take
 * exactly the same code path: kick an export off ({@link #start}), and carry a finished export
 * through recording, ACL rewrite, notification, listeners and crawl ({@link #afterExport}). Every
 * step is claimed in the ledger under its own key, so any step may be re-run at any time: a
 * replayed event has no second effect, and a crash between steps resumes where it stopped.
 */
@Singleton
public class ExportPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ExportPipeline.class);
    static final Duration NOT_AVAILABLE_RECHECK = Duration.ofMinutes(2);
    static final Duration RUNNING_RECHECK = Duration.ofMinutes(2);
    private static final Pattern AUTOMATED = Pattern.compile("^(?:rds:)?(.+)-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}$");

    private final Gateways gateways;
    private final Ledger ledger;
    private final Duration lease;
    private final AclRewriter acl;
    private final CrawlerStarter crawler;
    private final Notifier notifier;
    private final List<ExportCompletedListener> listeners;

    @Inject
    public ExportPipeline(Gateways gateways, Ledger ledger, ConsumedQueue queue, AclRewriter acl,
                          CrawlerStarter crawler, Notifier notifier, List<ExportCompletedListener> listeners) {
        this(gateways, ledger, queue.visibilityTimeout(), acl, crawler, notifier, listeners);
    }

    public ExportPipeline(Gateways gateways, Ledger ledger, Duration lease, AclRewriter acl,
                          CrawlerStarter crawler, Notifier notifier, List<ExportCompletedListener> listeners) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.lease = lease;
        this.acl = acl;
        this.crawler = crawler;
        this.notifier = notifier;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Starts the export of an available snapshot under a policy, claimed as
     * {@code export#<snapshotArn>#<policy>}. {@code ExportTaskAlreadyExists} for the same source is
     * ALREADY_DONE, for another source a permanent id collision; a snapshot not yet available or
     * the concurrent-export limit answers RECHECK_LATER with the claim released.
     */
    public Outcome start(ExportPolicy policy, SnapshotInfo snap) {
        ExportSubject s = new ExportSubject(policy, ExportTaskIds.of(policy.name(), snap.scope(), snap.identifier()),
                snap.arn(), snap.identifier(), snap.sourceId());
        String key = s.exportKey();
        String step = s.step("export");
        ClaimResult claim = ledger.claim(key, lease);
        if (claim.status() == ClaimResult.Status.ALREADY_DONE) {
            return Outcome.alreadyDone("export of " + snap.identifier() + " under " + policy.name()
                    + " already started: " + claim.result().map(ExportPipeline::taskOf).orElse(s.taskId()));
        }
        if (claim.status() == ClaimResult.Status.IN_PROGRESS) {
            return Outcome.alreadyDone("export of " + snap.identifier() + " under " + policy.name()
                    + " is being started by another delivery");
        }
        try {
            if (!"available".equalsIgnoreCase(snap.status())) {
                throw new NotReadyException("snapshot " + snap.identifier() + " is " + snap.status(), NOT_AVAILABLE_RECHECK);
            }
            for (String entry : knownEngine(snap.engine()) ? policy.exportOnly() : List.<String>of()) {
                Optional<String> problem = ExportPolicyValidator.engineProblem(entry, snap.engine());
                if (problem.isPresent()) {
                    throw new PermanentProcessingException("snapline.exports." + policy.name() + ".export-only: "
                            + problem.get());
                }
            }
            String prefix = policy.expandPrefix(snap.sourceId(), snap.createTime());
            ExportGateway.ExportRequest request = new ExportGateway.ExportRequest(s.taskId(), snap.arn(),
                    policy.bucket(), prefix, policy.exportRoleArn(), policy.kmsKey(), policy.exportOnly());
            ExportGateway.StartResult result = gateways.exports(policy.sourceAccess()).startExport(request);
            if (!result.started()) {
                ExportTask existing = result.task();
                if (!snap.arn().equals(existing.sourceArn())) {
                    throw new PermanentProcessingException("export task id " + s.taskId()
                            + " already exists for another source (" + existing.sourceArn() + ", not " + snap.arn()
                            + "): identifier collision");
                }
                ledger.complete(key, s.taskId() + "|" + snap.sourceId());
                ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.STARTED,
                        "export task " + s.taskId() + " already exists (" + existing.status() + ")");
                return Outcome.alreadyDone("export task " + s.taskId() + " already exists for this snapshot");
            }
            ledger.complete(key, s.taskId() + "|" + snap.sourceId());
            String where = "s3://" + policy.bucket() + "/" + (prefix.isEmpty() ? "" : prefix + "/") + s.taskId() + "/";
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.STARTED,
                    "export task " + s.taskId() + " -> " + where);
            LOG.info("started export {} of {} (policy {}) -> {}", s.taskId(), snap.arn(), policy.name(), where);
            return Outcome.done("started export task " + s.taskId());
        } catch (NotReadyException e) {
            ledger.release(key);
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.WAITING, e.getMessage());
            return Outcome.recheckLater(e.recheckAfter(), e.getMessage());
        } catch (PermanentProcessingException e) {
            throw notifier.stepFailed(s, key, step, e);
        } catch (RuntimeException e) {
            ledger.release(key);
            throw e;
        }
    }

    /**
     * Carries a task of ours on: not terminal yet → RECHECK_LATER; failed or canceled → recorded
     * with its cause and notified; complete → recorded, ACLs rewritten, completion notified,
     * {@link ExportCompletedListener}s told, crawler started.
     */
    public Outcome afterExport(ExportSubject s, ExportTask task) {
        return afterExport(s, task, false);
    }

    /**
     * As {@link #afterExport(ExportSubject, ExportTask)}; {@code redrive} (reconciliation) also
     * replaces an ACL batch job whose failure was already reported with a new attempt.
     */
    public Outcome afterExport(ExportSubject s, ExportTask task, boolean redrive) {
        String step = s.step("export");
        if (!task.terminal()) {
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.STARTED,
                    "export task " + s.taskId() + " is " + task.status());
            return Outcome.recheckLater(RUNNING_RECHECK, "export task " + s.taskId() + " is " + task.status());
        }
        if (!task.complete()) {
            String cause = task.failureCause().orElse("no cause given");
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.FAILED,
                    "export task " + s.taskId() + " " + task.status() + ": " + cause);
            notifier.exportFailed(s, task);
            return Outcome.done("export task " + s.taskId() + " " + task.status() + ": " + cause);
        }
        ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.DONE,
                "export task " + s.taskId() + " complete: " + task.totalExtractedDataInGb() + " GB in "
                        + Notifier.location(task));
        boolean aclDoneBefore = ledger.operation(AclRewriter.aclKey(s.taskId()))
                .map(OperationRecord::completed).orElse(false);
        Outcome aclOutcome = acl.rewrite(s, task, redrive);
        if (aclOutcome.status() == Outcome.Status.RECHECK_LATER) {
            return aclOutcome;
        }
        notifier.exportCompleted(s, task);
        tellListeners(s, task);
        Outcome crawl = crawler.crawl(s, task);
        if (crawl.status() == Outcome.Status.RECHECK_LATER) {
            return crawl;
        }
        String reason = "export " + s.taskId() + ": ACLs " + aclOutcome.reason() + "; crawl " + crawl.reason();
        boolean nothingNew = aclDoneBefore && crawl.status() != Outcome.Status.DONE;
        return nothingNew ? Outcome.alreadyDone(reason) : Outcome.done(reason);
    }

    /** Calls every {@link ExportCompletedListener} once per task ({@code listeners#<taskId>}); their errors are logged. */
    private void tellListeners(ExportSubject s, ExportTask task) {
        if (listeners.isEmpty()) {
            return;
        }
        String key = "listeners#" + s.taskId();
        if (ledger.claim(key, lease).status() != ClaimResult.Status.ACQUIRED) {
            return;
        }
        for (ExportCompletedListener listener : listeners) {
            try {
                listener.exportCompleted(s.policy().name(), s.sourceId(), task);
            } catch (RuntimeException e) {
                LOG.warn("export-completed listener {} failed for {} (the pipeline goes on)",
                        listener.getClass().getSimpleName(), s.taskId(), e);
            }
        }
        ledger.complete(key, "told " + listeners.size());
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

    private String describeSource(ExportPolicy policy, String arn, String snapshotId) {
        Optional<SnapshotRef.Scope> scope = scopeOf(arn);
        if (scope.isPresent() && scope.get() != SnapshotRef.Scope.CLUSTER) {
            try {
                Optional<SnapshotInfo> info = gateways.snapshots(policy.sourceAccess()).describe(scope.get(), snapshotId);
                if (info.isPresent()) {
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

    /** The policy among {@code policies} whose deterministic id for the task's source is the task's id. */
    public static Optional<ExportPolicy> ownerOf(ExportTask task, List<ExportPolicy> policies) {
        return policies.stream()
                .filter(p -> ExportTaskIds.forArn(p.name(), task.sourceArn()).equals(task.taskId()))
                .findFirst();
    }

    private static String taskOf(String result) {
        int bar = result.indexOf('|');
        return bar < 0 ? result : result.substring(0, bar);
    }
}
