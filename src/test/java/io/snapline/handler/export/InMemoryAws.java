package io.snapline.handler.export;

import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.NotificationGateway;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.message.SnapshotRef;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Small in-memory implementations of every gateway interface, keeping state like AWS does (export
 * tasks, objects and their ACL grants, batch jobs, crawler states, published notifications), for
 * handler-logic tests. The wire-protocol fakes exercise the SDK gateways; this one exercises the
 * pipeline's decisions.
 */
final class InMemoryAws implements Gateways {

    final Clock clock;
    final Map<String, SnapshotGateway.SnapshotInfo> snapshots = new ConcurrentHashMap<>();
    final Map<String, ExportGateway.ExportTask> tasks = new ConcurrentHashMap<>();
    final List<ExportGateway.ExportRequest> startRequests = new CopyOnWriteArrayList<>();
    /** Thrown by the next startExport calls, in order (e.g. NotReadyException for InvalidExportSourceState). */
    final List<RuntimeException> startErrors = new CopyOnWriteArrayList<>();
    final Map<String, String> ownership = new ConcurrentHashMap<>();
    /** The owner account of a bucket, where a test sets one; a bucket without one belongs to whoever asks. */
    final Map<String, String> bucketOwners = new ConcurrentHashMap<>();
    final List<String> ownerChecks = new CopyOnWriteArrayList<>();
    final Map<String, TreeMap<String, Boolean>> buckets = new ConcurrentHashMap<>();
    final List<String> aclCalls = new CopyOnWriteArrayList<>();
    final List<String> listCalls = new CopyOnWriteArrayList<>();
    int pageSize = 1000;
    final Map<String, BatchOperationsGateway.BatchJob> jobs = new ConcurrentHashMap<>();
    final Map<String, String> jobsByToken = new ConcurrentHashMap<>();
    final List<BatchOperationsGateway.PutAclJobRequest> jobRequests = new CopyOnWriteArrayList<>();
    final Map<String, Crawler> crawlers = new ConcurrentHashMap<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<AwsAccess> accessesUsed = new CopyOnWriteArrayList<>();
    /** The identifiers (or ARNs, for shared snapshots) every describe asked for. */
    final List<String> describeCalls = new CopyOnWriteArrayList<>();
    final List<java.util.Optional<String>> expectedBucketOwners = new CopyOnWriteArrayList<>();

    record Published(String topic, String subject, String body) {
    }

    static final class Crawler {
        String state = "READY";
        Optional<Instant> lastCrawlStart = Optional.empty();
        Optional<String> lastStatus = Optional.empty();
        final List<Instant> starts = new ArrayList<>();
    }

    InMemoryAws(Clock clock) {
        this.clock = clock;
    }

    // ---- test set-up and AWS-side progress ----

    SnapshotGateway.SnapshotInfo addSnapshot(String identifier, String sourceId, String type, String status, String engine) {
        String arn = "arn:aws:rds:us-east-1:111111111111:snapshot:" + identifier;
        var info = new SnapshotGateway.SnapshotInfo(identifier, arn, SnapshotRef.Scope.DB_SNAPSHOT, sourceId, type, status,
                clock.instant(), engine, Map.of());
        snapshots.put(arn, info);
        return info;
    }

    void setSnapshotStatus(String arn, String status) {
        var i = snapshots.get(arn);
        snapshots.put(arn, new SnapshotGateway.SnapshotInfo(i.identifier(), i.arn(), i.scope(), i.sourceId(),
                i.snapshotType(), status, i.createTime(), i.engine(), i.tags()));
    }

    /** RDS finishes the task: COMPLETE writes data files and the export_info/export_tables_info JSON. */
    void finishExport(String taskId, String status, String cause, int dataFiles) {
        var t = tasks.get(taskId);
        tasks.put(taskId, new ExportGateway.ExportTask(t.taskId(), t.sourceArn(), status, t.bucket(), t.prefix(),
                Optional.ofNullable(cause), t.startTime(), Optional.of(clock.instant()), 12));
        if (status.equals("COMPLETE")) {
            var objects = buckets.computeIfAbsent(t.bucket(), b -> new TreeMap<>());
            String folder = tasks.get(taskId).s3Folder();
            for (int i = 0; i < dataFiles; i++) {
                objects.put(folder + "orders/public.items/" + (i / 10 + 1) + "/part-" + String.format("%05d", i) + "-x.gz.parquet", false);
            }
            objects.put(folder + "export_info_" + taskId + ".json", false);
            objects.put(folder + "export_tables_info_" + taskId + "_from_1_to_1.json", false);
        }
    }

    void setTaskStatus(String taskId, String status) {
        var t = tasks.get(taskId);
        tasks.put(taskId, new ExportGateway.ExportTask(t.taskId(), t.sourceArn(), status, t.bucket(), t.prefix(),
                t.failureCause(), t.startTime(), t.endTime(), t.totalExtractedDataInGb()));
    }

    void finishJob(String jobId, String status, long succeeded, long failed) {
        jobs.put(jobId, new BatchOperationsGateway.BatchJob(jobId, status, succeeded + failed, succeeded, failed,
                failed > 0 ? List.of("AccessDenied") : List.of()));
    }

    Crawler crawler(String name) {
        return crawlers.computeIfAbsent(name, n -> new Crawler());
    }

    void finishCrawl(String name) {
        Crawler c = crawler(name);
        c.state = "READY";
        c.lastStatus = Optional.of("SUCCEEDED");
    }

    /** Keys under a prefix whose ACL has not been granted. */
    List<String> ungranted(String bucket, String prefix) {
        return buckets.getOrDefault(bucket, new TreeMap<>()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && !e.getValue()).map(Map.Entry::getKey).toList();
    }

    private static boolean shared(SnapshotGateway.SnapshotInfo s) {
        return "shared".equals(s.snapshotType()) || "public".equals(s.snapshotType());
    }

    // ---- Gateways ----

    @Override
    public ExportGateway exports(AwsAccess access) {
        accessesUsed.add(access);
        return new ExportGateway() {
            @Override
            public StartResult startExport(ExportRequest r) {
                startRequests.add(r);
                if (!startErrors.isEmpty()) {
                    throw startErrors.remove(0);
                }
                var existing = tasks.get(r.taskId());
                if (existing != null) {
                    return StartResult.alreadyExists(existing);
                }
                var snap = snapshots.get(r.sourceArn());
                if (snap == null) {
                    throw new PermanentProcessingException("DBSnapshotNotFound: " + r.sourceArn());
                }
                if (!snap.status().equals("available")) {
                    throw new NotReadyException("InvalidExportSourceState: snapshot is " + snap.status(), Duration.ofMinutes(2));
                }
                var task = new ExportTask(r.taskId(), r.sourceArn(), "STARTING", r.bucket(), r.prefix(), Optional.empty(),
                        Optional.of(clock.instant()), Optional.empty(), 0);
                tasks.put(r.taskId(), task);
                return StartResult.started(task);
            }

            @Override
            public List<ExportTask> exportTasksForSource(String sourceArn) {
                return tasks.values().stream().filter(t -> t.sourceArn().equals(sourceArn)).toList();
            }

            @Override
            public Optional<ExportTask> exportTask(String taskId) {
                return Optional.ofNullable(tasks.get(taskId));
            }

            @Override
            public void forEachExportTask(Consumer<ExportTask> consumer) {
                List.copyOf(tasks.values()).forEach(consumer);
            }
        };
    }

    @Override

    public io.snapline.gateway.SnapshotCreationGateway snapshotCreation(AwsAccess access) {
        throw new IllegalStateException("the export tests create no snapshots");

    }


    @Override
    public String region() {
        return "us-east-1";
    }

    /** This double serves the service's region only: a test that reaches another region is wrong. */
    @Override
    public SnapshotGateway snapshotsIn(AwsAccess access, String region) {
        throw new AssertionError("this test double serves one region only, not " + region);
    }

    @Override
    public io.snapline.gateway.SnapshotCopyGateway snapshotCopies(AwsAccess access, String region) {
        throw new AssertionError("this test double makes no copies (asked for " + region + ")");
    }

    @Override
    public SnapshotGateway snapshots(AwsAccess access) {
        accessesUsed.add(access);
        return new SnapshotGateway() {
            @Override
            public void forEachSnapshot(SnapshotRef.Scope scope, Optional<String> sourceId, Consumer<SnapshotInfo> consumer) {
                List.copyOf(snapshots.values()).stream()
                        .filter(s -> s.scope() == scope)
                        .filter(s -> sourceId.isEmpty() || sourceId.get().equals(s.sourceId()))
                        .forEach(consumer);
            }

            /** By identifier, among the snapshots of this account (an ARN is no identifier here). */
            @Override
            public Optional<SnapshotInfo> describe(SnapshotRef.Scope scope, String identifier) {
                describeCalls.add(identifier);
                return snapshots.values().stream()
                        .filter(s -> s.scope() == scope && s.identifier().equals(identifier) && !shared(s))
                        .findFirst();
            }

            @Override
            public Optional<SnapshotInfo> find(SnapshotRef.Scope scope, String identifier, Optional<String> arn) {
                Optional<SnapshotInfo> own = describe(scope, identifier).filter(i -> arn.isEmpty() || arn.get().equals(i.arn()));
                if (own.isPresent() || arn.isEmpty()) {
                    return own;
                }
                describeCalls.add(arn.get());
                return Optional.ofNullable(snapshots.get(arn.get())).filter(s -> s.scope() == scope && shared(s));
            }

            @Override
            public DeleteResult delete(SnapshotRef.Scope scope, String identifier) {
                throw new AssertionError("the export pipeline never deletes snapshots");
            }
        };
    }

    @Override
    public ObjectStoreGateway objects(AwsAccess access, java.util.Optional<String> expectedBucketOwner) {
        accessesUsed.add(access);
        expectedBucketOwners.add(expectedBucketOwner);
        return new ObjectStoreGateway() {
            @Override
            public Optional<String> objectOwnership(String bucket) {
                return Optional.ofNullable(ownership.get(bucket));
            }

            @Override
            public OwnerCheck checkOwner(String bucket, String expectedBucketOwner) {
                ownerChecks.add(bucket + "@" + expectedBucketOwner);
                String owner = bucketOwners.get(bucket);
                return owner == null || owner.equals(expectedBucketOwner) ? OwnerCheck.OWNED : OwnerCheck.NOT_OWNED;
            }

            @Override
            public void forEachPage(String bucket, String prefix, Consumer<List<ObjectInfo>> page) {
                listCalls.add(bucket + "/" + prefix);
                List<ObjectInfo> all = buckets.getOrDefault(bucket, new TreeMap<>()).keySet().stream()
                        .filter(k -> k.startsWith(prefix)).map(k -> new ObjectInfo(k, 100, clock.instant())).toList();
                for (int i = 0; i < all.size(); i += pageSize) {
                    page.accept(all.subList(i, Math.min(all.size(), i + pageSize)));
                }
            }

            @Override
            public List<String> childFolders(String bucket, String prefix) {
                return List.of();
            }

            @Override
            public AclResult grantBucketOwnerFullControl(String bucket, String key) {
                aclCalls.add(key);
                if ("BucketOwnerEnforced".equals(ownership.get(bucket))) {
                    return AclResult.NOT_SUPPORTED;
                }
                var objects = buckets.get(bucket);
                synchronized (objects) {
                    objects.put(key, true);
                }
                return AclResult.GRANTED;
            }

            @Override
            public DeleteObjectsResult deleteObjects(String bucket, List<String> keys) {
                throw new AssertionError("the export pipeline never deletes objects");
            }
        };
    }

    @Override
    public BatchOperationsGateway batchOperations(AwsAccess access) {
        accessesUsed.add(access);
        return new BatchOperationsGateway() {
            @Override
            public String createPutAclJob(PutAclJobRequest request) {
                jobRequests.add(request);
                return jobsByToken.computeIfAbsent(request.clientRequestToken(), t -> {
                    String id = "job-" + (jobs.size() + 1);
                    jobs.put(id, new BatchJob(id, "Active", 0, 0, 0, List.of()));
                    return id;
                });
            }

            @Override
            public BatchJob describeJob(String accountId, String jobId) {
                BatchJob job = jobs.get(jobId);
                if (job == null) {
                    throw new PermanentProcessingException("NotFoundException: job " + jobId);
                }
                return job;
            }
        };
    }

    @Override
    public CrawlerGateway crawlers(AwsAccess access) {
        accessesUsed.add(access);
        return new CrawlerGateway() {
            @Override
            public StartResult start(String name) {
                Crawler c = crawlers.get(name);
                if (c == null) {
                    throw new PermanentProcessingException("EntityNotFoundException: crawler " + name);
                }
                if (!c.state.equals("READY")) {
                    return StartResult.ALREADY_RUNNING;
                }
                c.state = "RUNNING";
                c.lastCrawlStart = Optional.of(clock.instant());
                c.starts.add(clock.instant());
                return StartResult.STARTED;
            }

            @Override
            public CrawlerInfo get(String name) {
                Crawler c = crawlers.get(name);
                if (c == null) {
                    throw new PermanentProcessingException("EntityNotFoundException: crawler " + name);
                }
                return new CrawlerInfo(name, c.state, c.lastStatus, c.lastCrawlStart);
            }
        };
    }

    /** Thrown by every publish while set (a deleted topic, a missing permission). */
    volatile RuntimeException failPublishes;

    @Override
    public NotificationGateway notifications() {
        return (topic, subject, body) -> {
            if (failPublishes != null) {
                throw failPublishes;
            }
            published.add(new Published(topic, subject, body));
        };
    }

}
