package io.snapline.handler.export;

import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportPolicy.AclMode;
import io.snapline.config.ConsumedQueue;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.BatchOperationsGateway.BatchJob;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.ObjectStoreGateway.ObjectInfo;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives the bucket owner full control of every object an export wrote (data files and the
 * {@code export_info}/{@code export_tables_info} JSON in the export folder). RDS writes the objects
 * with the export role of the <em>source</em> account, so without this the bucket owner (the
 * analytics account) cannot read them unless the bucket enforces bucket-owner ownership.
 *
 * <ul>
 *   <li>{@code auto}: {@code BucketOwnerEnforced} means the bucket owner owns everything already
 *       (ALREADY_DONE); otherwise per-object up to {@code acl-batch-threshold} objects, batch above
 *       (the listing stops counting at the threshold).</li>
 *   <li>{@code per-object}: paginated listing, {@code PutObjectAcl bucket-owner-full-control} at
 *       bounded concurrency; {@code AccessControlListNotSupported} counts as done.</li>
 *   <li>{@code batch}: one S3 Batch Operations job, {@code ClientRequestToken} derived from the
 *       task id (so a repeat returns the same job), report next to the export; the step waits
 *       (RECHECK_LATER) until the job is terminal; {@code Complete} with failed tasks is a
 *       permanent failure.</li>
 * </ul>
 *
 * <p>Ledger keys: {@code acl#<taskId>} (the step), {@code acljob#<taskId>#<attempt>} → job id,
 * {@code batchjob#<jobId>} → {@code <policy>|<taskId>|<snapshotArn>|<sourceId>} so the job's
 * status event finds its export, and {@code acljobfailed#<jobId>} once a job's failure was
 * reported. A failed job is reported once (permanent failure); only an explicit re-drive
 * (reconciliation, after the cause is fixed) starts a new attempt with a new token, so duplicate
 * events never start a stream of jobs.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html">S3 Object Ownership</a>
 */
@Singleton
public class AclRewriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AclRewriter.class);

    /** Concurrent PutObjectAcl calls per rewrite. */
    static final int CONCURRENCY = 16;
    static final Duration BATCH_RECHECK = Duration.ofMinutes(5);
    static final Duration BUSY_RECHECK = Duration.ofMinutes(1);

    private final Gateways gateways;
    private final Ledger ledger;
    private final Duration lease;
    private final Notifier notifier;
    private final ExecutorService pool;

    @Inject
    public AclRewriter(Gateways gateways, Ledger ledger, ConsumedQueue queue, Notifier notifier) {
        this(gateways, ledger, queue.visibilityTimeout(), notifier);
    }

    public AclRewriter(Gateways gateways, Ledger ledger, Duration lease, Notifier notifier) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.lease = lease;
        this.notifier = notifier;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = new Thread(r, "snapline-acl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The ledger key of the ACL step of a task. */
    public static String aclKey(String taskId) {
        return "acl#" + taskId;
    }

    /** The ledger key that maps a batch job id to its export. */
    public static String batchJobKey(String jobId) {
        return "batchjob#" + jobId;
    }

    /** The S3 Batch Operations idempotency token for an export task's first job (1-64 characters). */
    public static String clientRequestToken(String taskId) {
        return clientRequestToken(taskId, 1);
    }

    /** The token of attempt {@code n}: {@code acl-<taskId>}, then {@code acl<n>-<taskId>} (at most 64 characters). */
    public static String clientRequestToken(String taskId, int attempt) {
        String token = (attempt == 1 ? "acl-" : "acl" + attempt + "-") + taskId;
        return token.length() <= 64 ? token : token.substring(0, 64);
    }

    /** Where the batch job report goes: beside the export folder, not in it (crawlers read the folder). */
    public static String reportPrefix(ExportTask task) {
        String folder = task.s3Folder();
        return folder.substring(0, folder.length() - 1) + "-acl-report";
    }

    /**
     * Runs (or resumes) the ACL step of a completed export. DONE or ALREADY_DONE: the next step may
     * run. SKIPPED: acl-mode none. RECHECK_LATER: a batch job is still running or another delivery
     * holds the step.
     */
    public Outcome rewrite(ExportSubject s, ExportTask task) {
        return rewrite(s, task, false);
    }

    /**
     * As {@link #rewrite(ExportSubject, ExportTask)}; with {@code retryFailedJob} (an explicit
     * re-drive) a batch job whose failure was already reported is replaced by a new attempt.
     */
    public Outcome rewrite(ExportSubject s, ExportTask task, boolean retryFailedJob) {
        String key = aclKey(s.taskId());
        ClaimResult claim = ledger.claim(key, lease);
        if (claim.status() == ClaimResult.Status.ALREADY_DONE) {
            return Outcome.alreadyDone("ACLs already rewritten: " + claim.result().orElse(""));
        }
        if (claim.status() == ClaimResult.Status.IN_PROGRESS) {
            return Outcome.recheckLater(BUSY_RECHECK, "ACL rewrite of " + s.taskId() + " in progress elsewhere");
        }
        try {
            Outcome outcome = run(s, task, retryFailedJob);
            if (outcome.status() == Outcome.Status.RECHECK_LATER) {
                ledger.release(key);
            }
            return outcome;
        } catch (PermanentProcessingException e) {
            throw notifier.stepFailed(s, key, s.step("acl"), e);
        } catch (RuntimeException e) {
            ledger.release(key);
            throw e;
        }
    }

    private Outcome run(ExportSubject s, ExportTask task, boolean retryFailedJob) {
        ExportPolicy policy = s.policy();
        AclMode mode = policy.aclModeValue();
        String key = aclKey(s.taskId());
        if (mode == AclMode.NONE) {
            finish(s, key, "none", StepState.SKIPPED, "acl-mode none: objects keep the export role's ownership");
            return Outcome.skipped("acl-mode none");
        }
        int attempt = 0;
        Optional<String> jobId = Optional.empty();
        for (Optional<String> next = jobOf(s.taskId(), 1); next.isPresent(); next = jobOf(s.taskId(), attempt + 1)) {
            attempt++;
            jobId = next;
        }
        if (jobId.isPresent() && mode.mayUseBatch()) {
            boolean failureReported = ledger.operation("acljobfailed#" + jobId.get())
                    .map(OperationRecord::completed).orElse(false);
            if (!failureReported || !retryFailedJob) {
                return checkJob(s, task, jobId.get());
            }
            // A re-drive after a reported failure: decide afresh (the cause may have been fixed by
            // changing the bucket or the mode); a new job takes the next attempt's token.
        }
        ObjectStoreGateway objects = gateways.objects(policy.sourceAccess(), policy.expectedBucketOwner());
        if (mode == AclMode.AUTO) {
            Optional<String> ownership = objects.objectOwnership(task.bucket());
            if (ownership.filter("BucketOwnerEnforced"::equals).isPresent()) {
                finish(s, key, "enforced", StepState.DONE,
                        "bucket " + task.bucket() + " enforces bucket-owner ownership: nothing to rewrite");
                return Outcome.alreadyDone("bucket enforces bucket-owner ownership");
            }
            Optional<List<String>> keys = listUpTo(objects, task, policy.aclBatchThresholdValue());
            if (keys.isEmpty()) {
                return startJob(s, task, attempt + 1);
            }
            return grantAll(s, task, objects, keys.get());
        }
        if (mode == AclMode.BATCH) {
            return startJob(s, task, attempt + 1);
        }
        return grantEveryPage(s, task, objects);
    }

    /** The keys under the export folder, or empty when there are more than {@code threshold}. */
    private static Optional<List<String>> listUpTo(ObjectStoreGateway objects, ExportTask task, long threshold) {
        List<String> keys = new ArrayList<>();
        try {
            objects.forEachPage(task.bucket(), task.s3Folder(), page -> {
                for (ObjectInfo o : page) {
                    keys.add(o.key());
                    if (keys.size() > threshold) {
                        throw new StopListing();
                    }
                }
            });
        } catch (StopListing stop) {
            return Optional.empty();
        }
        return Optional.of(keys);
    }

    private Outcome grantAll(ExportSubject s, ExportTask task, ObjectStoreGateway objects, List<String> keys) {
        int[] counts = grant(s, task, objects, keys);
        return granted(s, task, counts);
    }

    /** Explicit per-object mode: page by page, so memory stays bounded whatever the export's size. */
    private Outcome grantEveryPage(ExportSubject s, ExportTask task, ObjectStoreGateway objects) {
        int[] counts = new int[2];
        objects.forEachPage(task.bucket(), task.s3Folder(), page -> {
            int[] c = grant(s, task, objects, page.stream().map(ObjectInfo::key).toList());
            counts[0] += c[0];
            counts[1] += c[1];
        });
        return granted(s, task, counts);
    }

    private Outcome granted(ExportSubject s, ExportTask task, int[] counts) {
        int total = counts[0] + counts[1];
        String detail = "per-object: " + total + " objects under s3://" + task.bucket() + "/" + task.s3Folder()
                + " (" + counts[0] + " granted" + (counts[1] > 0 ? ", " + counts[1] + " already bucket-owned" : "") + ")";
        finish(s, aclKey(s.taskId()), "per-object:" + total, StepState.DONE, detail);
        return Outcome.done(detail);
    }

    /** PutObjectAcl on each key on the bean's pool; answers {granted, not-supported}; throws the first failure. */
    private int[] grant(ExportSubject s, ExportTask task, ObjectStoreGateway objects, List<String> keys) {
        List<Future<ObjectStoreGateway.AclResult>> futures = new ArrayList<>(keys.size());
        for (String k : keys) {
            futures.add(pool.submit(() -> objects.grantBucketOwnerFullControl(task.bucket(), k)));
        }
        int[] counts = new int[2];
        RuntimeException failure = null;
        for (Future<ObjectStoreGateway.AclResult> f : futures) {
            try {
                counts[f.get() == ObjectStoreGateway.AclResult.GRANTED ? 0 : 1]++;
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                        : new RetryableProcessingException("PutObjectAcl failed: " + e.getCause(), e.getCause());
                if (failure == null || cause instanceof PermanentProcessingException) {
                    failure = cause;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new RetryableProcessingException("interrupted during the ACL rewrite of " + s.taskId(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return counts;
    }

    private Optional<String> jobOf(String taskId, int attempt) {
        return ledger.operation("acljob#" + taskId + "#" + attempt)
                .filter(OperationRecord::completed).flatMap(OperationRecord::result);
    }

    private Outcome startJob(ExportSubject s, ExportTask task, int attempt) {
        ExportPolicy policy = s.policy();
        String account = policy.batchJobAccountId().orElseThrow(() -> new PermanentProcessingException(
                "snapline.exports." + policy.name() + ".batch-role-arn is needed for an S3 Batch Operations job"));
        BatchOperationsGateway batch = gateways.batchOperations(policy.sourceAccess());
        String jobId = batch.createPutAclJob(new BatchOperationsGateway.PutAclJobRequest(account, task.bucket(),
                task.s3Folder(), policy.batchRoleArn(), clientRequestToken(s.taskId(), attempt), reportPrefix(task),
                "Snapline: bucket-owner-full-control for export " + s.taskId()));
        remember("batchjob#" + jobId, String.join("|", policy.name(), s.taskId(), s.snapshotArn(), s.sourceId()));
        remember("acljob#" + s.taskId() + "#" + attempt, jobId);
        LOG.info("export {}: S3 Batch Operations job {} (attempt {}) rewrites the ACLs", s.taskId(), jobId, attempt);
        return checkJob(s, task, jobId);
    }

    private void remember(String key, String value) {
        if (ledger.claim(key, lease).status() == ClaimResult.Status.ACQUIRED) {
            ledger.complete(key, value);
        }
    }

    private Outcome checkJob(ExportSubject s, ExportTask task, String jobId) {
        ExportPolicy policy = s.policy();
        String account = policy.batchJobAccountId().orElseThrow(() -> new PermanentProcessingException(
                "snapline.exports." + policy.name() + ".batch-role-arn is needed for an S3 Batch Operations job"));
        BatchJob job = gateways.batchOperations(policy.sourceAccess()).describeJob(account, jobId);
        if (!job.terminal()) {
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), s.step("acl"), StepState.WAITING,
                    "batch job " + jobId + " is " + job.status());
            return Outcome.recheckLater(BATCH_RECHECK, "batch job " + jobId + " is " + job.status());
        }
        if (job.status().equals("Complete") && job.failedTasks() == 0) {
            String detail = "batch job " + jobId + " complete: " + job.succeededTasks() + " objects";
            finish(s, aclKey(s.taskId()), "batch:" + jobId, StepState.DONE, detail);
            return Outcome.done(detail);
        }
        remember("acljobfailed#" + jobId, job.status() + "/" + job.failedTasks());
        throw new PermanentProcessingException("batch job " + jobId + " ended " + job.status() + " with "
                + job.failedTasks() + " of " + job.totalTasks() + " tasks failed"
                + (job.failureReasons().isEmpty() ? "" : ": " + String.join("; ", job.failureReasons()))
                + "; see the report under s3://" + task.bucket() + "/" + reportPrefix(task) + "/");
    }

    private void finish(ExportSubject s, String key, String result, StepState state, String detail) {
        ledger.complete(key, result);
        ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), s.step("acl"), state, detail);
    }

    @PreDestroy
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Stops a listing once the threshold is passed. */
    private static final class StopListing extends RuntimeException {
        StopListing() {
            super(null, null, false, false);
        }
    }
}
