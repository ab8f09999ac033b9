package io.snapline.aws;

import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.NotificationGateway;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.SnapshotCopyGateway;
import io.snapline.gateway.SnapshotCreationGateway;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.local.OfflineRdsEvents;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dry-run {@link Gateways}: every call that would change something in AWS (StartExportTask,
 * DeleteDBSnapshot, DeleteDBClusterSnapshot, CreateDBSnapshot, CreateDBClusterSnapshot, CopyDBSnapshot and
 * CopyDBClusterSnapshot (with the destination region), PutObjectAcl, DeleteObjects, CreateJob, StartCrawler,
 * Publish) logs one INFO line on logger {@value #LOGGER} with the exact SDK request the real gateway
 * would send, built by the same static request builder:
 * <pre>DRY-RUN would call rds:StartExportTask StartExportTaskRequest(ExportTaskIdentifier=..., SourceArn=..., ...)</pre>
 * and answers a synthetic success. What it "started" (export tasks, batch jobs, crawls) is remembered
 * in memory, so a repeated start answers like AWS would (the same task or job).
 *
 * <p>Reads (describe, list, get ownership) depend on whether AWS is reachable:
 * <ul>
 *   <li><b>online</b> (not local mode, or {@code snapline.aws.endpoint} set): reads go to the real
 *       gateway; things only this dry run "started" are answered from memory as just started
 *       (export task {@code STARTING}, job {@code New}), since AWS does not know them.</li>
 *   <li><b>offline</b> (local mode without an endpoint): nothing is called. Each read logs
 *       {@code DRY-RUN offline, assuming rds:DescribeExportTasks <request> -> <answer>} and answers
 *       from memory so that the local dry run walks the whole chain: a remembered export task is
 *       {@code COMPLETE}; a snapshot of the account is assumed to exist and be {@code available}, created
 *       at the time its name carries ({@code rds:<source>-yyyy-MM-dd-HH-mm}), else at an unknown time
 *       (the handler then takes the event's time); a shared snapshot is assumed not to exist; Object
 *       Ownership is {@code BucketOwnerPreferred} and the bucket belongs to the expected owner; listing an export folder returns the export's two metadata
 *       files ({@code export_info_<id>.json}, {@code export_tables_info_<id>_from_1_to_1.json});
 *       a batch job is {@code Complete}; a crawler is {@code READY} (its last crawl
 *       {@code SUCCEEDED} if this run started it).</li>
 * </ul>
 * See {@code docs/dry-run.md}.
 */
public final class DryRunGateways implements Gateways {

    /** The logger of the dry-run lines. */
    public static final String LOGGER = "io.snapline.dryrun";
    static final String OFFLINE_ACCOUNT = "000000000000";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Pattern AUTOMATED_TIME = Pattern.compile("^rds:.+-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})$");

    private final Gateways real;
    private final boolean online;
    private final String region;
    private final Map<String, ExportGateway.ExportTask> exports = new ConcurrentHashMap<>();
    private final Map<String, BatchOperationsGateway.PutAclJobRequest> jobs = new ConcurrentHashMap<>();
    private final Map<String, Instant> crawls = new ConcurrentHashMap<>();
    /** Snapshots this dry run "created", by scope and identifier: a repeated create answers "already exists". */
    private final Map<String, SnapshotInfo> createdSnapshots = new ConcurrentHashMap<>();
    /** Copies this dry run "made", by region, scope and identifier. */
    private final Map<String, SnapshotCopyGateway.Snapshot> copiedSnapshots = new ConcurrentHashMap<>();
    private final Optional<OfflineRdsEvents> events;

    /**
     * @param real   the SDK gateways, used for reads when online
     * @param online whether AWS (or an emulator) is reachable for reads
     * @param region the region used in synthetic ARNs when offline
     */
    public DryRunGateways(Gateways real, boolean online, String region) {
        this(real, online, region, Optional.empty());
    }

    /**
     * @param events offline only: what stands in for RDS's event subscription, so that a snapshot or copy
     *               this dry run "made" is followed by the event RDS would publish (see {@link OfflineRdsEvents})
     */
    public DryRunGateways(Gateways real, boolean online, String region, Optional<OfflineRdsEvents> events) {
        this.real = real;
        this.online = online;
        this.region = region;
        this.events = online ? Optional.empty() : events;
    }

    @Override
    public boolean dryRun() {
        return true;
    }

    /** True when reads go to AWS; false in the offline local dry run. */
    public boolean online() {
        return online;
    }

    @Override
    public ExportGateway exports(AwsAccess access) {
        return new Exports(access);
    }

    @Override
    public SnapshotGateway snapshots(AwsAccess access) {
        return new Snapshots(access, region);
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public SnapshotGateway snapshotsIn(AwsAccess access, String snapshotRegion) {
        return new Snapshots(access, snapshotRegion);
    }

    @Override
    public SnapshotCopyGateway snapshotCopies(AwsAccess access, String copyRegion) {
        return new Copies(access, copyRegion);
    }

    @Override
    public SnapshotCreationGateway snapshotCreation(AwsAccess access) {
        return new Creation(access);
    }

    @Override
    public ObjectStoreGateway objects(AwsAccess access, Optional<String> expectedBucketOwner) {
        return new Objects(access, expectedBucketOwner);
    }

    @Override
    public BatchOperationsGateway batchOperations(AwsAccess access) {
        return new Batch(access);
    }

    @Override
    public CrawlerGateway crawlers(AwsAccess access) {
        return new Crawlers(access);
    }

    @Override
    public NotificationGateway notifications() {
        return (topicArn, subject, jsonBody) -> wouldCall("sns:Publish",
                SdkNotificationGateway.publishRequest(topicArn, subject, jsonBody));
    }

    /** {@code rds:orders-2024-05-01-03-10} → 2024-05-01T03:10:00Z: an automated snapshot's name carries its time. */
    static Optional<Instant> timeInName(String identifier) {
        Matcher m = AUTOMATED_TIME.matcher(identifier == null ? "" : identifier);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)))
                    .toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The key of a snapshot this dry run "created", in {@link #createdSnapshots}. */
    private static String createdKey(SnapshotRef.Scope scope, String identifier) {
        return scope + "|" + identifier;
    }

    private static void wouldCall(String action, Object request) {
        LOG.info("DRY-RUN would call {} {}", action, request);
    }

    private static void assuming(String action, Object request, Object answer) {
        LOG.info("DRY-RUN offline, assuming {} {} -> {}", action, request, answer);
    }

    private static ExportGateway.ExportTask asComplete(ExportGateway.ExportTask t) {
        return new ExportGateway.ExportTask(t.taskId(), t.sourceArn(), "COMPLETE", t.bucket(), t.prefix(),
                Optional.empty(), t.startTime(), Optional.of(Instant.now()), 0);
    }

    private ExportGateway.ExportTask remembered(ExportGateway.ExportTask t) {
        return online ? t : asComplete(t);
    }

    /** The two metadata keys of every remembered export in this bucket, under the prefix. */
    private List<String> offlineKeys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (ExportGateway.ExportTask t : exports.values()) {
            if (!t.bucket().equals(bucket)) {
                continue;
            }
            String folder = t.s3Folder();
            for (String key : List.of(folder + "export_info_" + t.taskId() + ".json",
                    folder + "export_tables_info_" + t.taskId() + "_from_1_to_1.json")) {
                if (prefix == null || key.startsWith(prefix)) {
                    keys.add(key);
                }
            }
        }
        keys.sort(null);
        return keys;
    }

    private final class Exports implements ExportGateway {
        private final AwsAccess access;

        Exports(AwsAccess access) {
            this.access = access;
        }

        @Override
        public StartResult startExport(ExportRequest request) {
            wouldCall("rds:StartExportTask", SdkExportGateway.startExportTaskRequest(request));
            ExportTask known = exports.get(request.taskId());
            if (known != null) {
                return StartResult.alreadyExists(remembered(known));
            }
            if (online) {
                Optional<ExportTask> existing = real.exports(access).exportTask(request.taskId());
                if (existing.isPresent()) {
                    return StartResult.alreadyExists(existing.get());
                }
            }
            ExportTask started = new ExportTask(request.taskId(), request.sourceArn(), "STARTING", request.bucket(),
                    request.prefix(), Optional.empty(), Optional.of(Instant.now()), Optional.empty(), 0);
            exports.put(request.taskId(), started);
            return StartResult.started(started);
        }

        @Override
        public List<ExportTask> exportTasksForSource(String sourceArn) {
            List<ExportTask> result = new ArrayList<>();
            if (online) {
                result.addAll(real.exports(access).exportTasksForSource(sourceArn));
            }
            Set<String> seen = new LinkedHashSet<>();
            result.forEach(t -> seen.add(t.taskId()));
            exports.values().stream().filter(t -> t.sourceArn().equals(sourceArn) && !seen.contains(t.taskId()))
                    .map(DryRunGateways.this::remembered).forEach(result::add);
            if (!online) {
                assuming("rds:DescribeExportTasks", SdkExportGateway.describeExportTasksForSourceRequest(sourceArn),
                        result.size() + " remembered task(s), COMPLETE");
            }
            return result;
        }

        @Override
        public Optional<ExportTask> exportTask(String taskId) {
            ExportTask known = exports.get(taskId);
            if (!online) {
                Optional<ExportTask> answer = Optional.ofNullable(known).map(DryRunGateways.this::remembered);
                assuming("rds:DescribeExportTasks", SdkExportGateway.describeExportTaskRequest(taskId),
                        answer.map(t -> t.taskId() + " " + t.status()).orElse("no such task"));
                return answer;
            }
            return known != null ? Optional.of(known) : real.exports(access).exportTask(taskId);
        }

        @Override
        public void forEachExportTask(Consumer<ExportTask> consumer) {
            if (online) {
                real.exports(access).forEachExportTask(consumer);
            } else {
                assuming("rds:DescribeExportTasks", SdkExportGateway.describeAllExportTasksRequest(),
                        exports.size() + " remembered task(s), COMPLETE");
            }
            exports.values().stream().map(DryRunGateways.this::remembered).forEach(consumer);
        }
    }

    private final class Snapshots implements SnapshotGateway {
        private final AwsAccess access;
        private final String snapshotRegion;

        Snapshots(AwsAccess access, String snapshotRegion) {
            this.access = access;
            this.snapshotRegion = snapshotRegion;
        }

        private SnapshotGateway realOne() {
            return snapshotRegion.equals(region) ? real.snapshots(access) : real.snapshotsIn(access, snapshotRegion);
        }

        @Override
        public void forEachSnapshot(SnapshotRef.Scope scope, Optional<String> sourceId, Consumer<SnapshotInfo> consumer) {
            if (online) {
                realOne().forEachSnapshot(scope, sourceId, consumer);
            } else {
                assuming(scope == SnapshotRef.Scope.DB_SNAPSHOT ? "rds:DescribeDBSnapshots" : "rds:DescribeDBClusterSnapshots",
                        scope == SnapshotRef.Scope.DB_SNAPSHOT ? SdkSnapshotGateway.describeDbSnapshotsRequest(sourceId)
                                : SdkSnapshotGateway.describeDbClusterSnapshotsRequest(sourceId), "no snapshots");
            }
        }

        @Override
        public Optional<SnapshotInfo> describe(SnapshotRef.Scope scope, String identifier) {
            SnapshotInfo made = snapshotRegion.equals(region) ? createdSnapshots.get(createdKey(scope, identifier)) : null;
            if (made != null) {
                return Optional.of(made);
            }
            if (online) {
                return realOne().describe(scope, identifier);
            }
            return Optional.of(assumed(scope, identifier, Optional.empty()));
        }

        @Override
        public Optional<SnapshotInfo> find(SnapshotRef.Scope scope, String identifier, Optional<String> arn) {
            SnapshotInfo made = snapshotRegion.equals(region) ? createdSnapshots.get(createdKey(scope,
                    Arn.parse(identifier).map(Arn::resourceId).orElse(identifier))) : null;
            if (made != null) {
                return Optional.of(made);
            }
            if (online) {
                return realOne().find(scope, identifier, arn);
            }
            // offline, the snapshot the event names is assumed to exist, in the account its ARN names
            return Optional.of(assumed(scope, identifier, arn));
        }

        private SnapshotInfo assumed(SnapshotRef.Scope scope, String identifier, Optional<String> knownArn) {
            boolean db = scope == SnapshotRef.Scope.DB_SNAPSHOT;
            String name = Arn.parse(identifier).map(Arn::resourceId).orElse(identifier);
            String arn = knownArn.orElseGet(() -> identifier.startsWith("arn:") ? identifier
                    : "arn:aws:rds:" + snapshotRegion + ":" + OFFLINE_ACCOUNT + ":" + (db ? "snapshot:" : "cluster-snapshot:")
                    + identifier);
            String type = Optional.ofNullable(SdkSnapshotGateway.impliedType(name)).orElse("manual");
            Optional<Instant> created = timeInName(name);
            assuming(db ? "rds:DescribeDBSnapshots" : "rds:DescribeDBClusterSnapshots",
                    db ? SdkSnapshotGateway.describeDbSnapshotRequest(name)
                            : SdkSnapshotGateway.describeDbClusterSnapshotRequest(name),
                    name + " exists, " + type + ", available, created "
                            + created.map(Instant::toString).orElse("at an unknown time"));
            return new SnapshotInfo(name, arn, scope, "", type, "available", created.orElse(null), "unknown", Map.of());
        }

        @Override
        public DeleteResult delete(SnapshotRef.Scope scope, String identifier) {
            wouldCall("rds:" + SdkSnapshotGateway.deleteOperation(scope) + (snapshotRegion.equals(region) ? ""
                    : " in " + snapshotRegion), SdkSnapshotGateway.deleteRequest(scope, identifier));
            return DeleteResult.DELETED;
        }
    }

    /**
     * CopyDB[Cluster]Snapshot logged with the exact request (the destination region named), never made; a
     * repeat of the same target answers "already exists" like RDS, and describing it answers the copy as
     * this dry run "made" it ({@code available}, tagged as requested). Other reads go to AWS when online;
     * offline, a snapshot is assumed to exist, {@code available} and unencrypted (logged).
     */
    private final class Copies implements SnapshotCopyGateway {
        private final AwsAccess access;
        private final String copyRegion;

        Copies(AwsAccess access, String copyRegion) {
            this.access = access;
            this.copyRegion = copyRegion;
        }

        @Override
        public String region() {
            return copyRegion;
        }

        @Override
        public CopyResult copy(CopyRequest request) {
            wouldCall("rds:" + SdkSnapshotCopyGateway.copyOperation(request.scope()) + " in " + copyRegion,
                    SdkSnapshotCopyGateway.copyRequest(request));
            boolean db = request.scope() == SnapshotRef.Scope.DB_SNAPSHOT;
            String arn = "arn:aws:rds:" + copyRegion + ":" + OFFLINE_ACCOUNT + ":" + (db ? "snapshot:" : "cluster-snapshot:")
                    + request.targetIdentifier();
            Snapshot made = new Snapshot(request.targetIdentifier(), arn, request.scope(), "", "manual", "available",
                    Instant.now(), request.kmsKeyId().isPresent(), request.kmsKeyId(), request.optionGroup(),
                    Optional.of(request.sourceArn()), request.tags());
            if (copiedSnapshots.putIfAbsent(key(request.scope(), request.targetIdentifier()), made) != null) {
                return CopyResult.of(CopyStatus.ALREADY_EXISTS, "the dry run copied to " + request.targetIdentifier()
                        + " already");
            }
            Optional<Arn> source = Arn.parse(request.sourceArn());
            events.ifPresent(e -> e.copyFinished(!db, copyRegion, request.targetIdentifier(), arn,
                    source.map(Arn::resourceId).orElse(request.sourceArn()), source.map(Arn::region).orElse(region)));
            return CopyResult.started(arn);
        }

        @Override
        public Optional<Snapshot> describe(SnapshotRef.Scope scope, String identifier) {
            Snapshot made = copiedSnapshots.get(key(scope, identifier));
            if (made != null) {
                return Optional.of(made);
            }
            SnapshotInfo created = copyRegion.equals(region) ? createdSnapshots.get(createdKey(scope, identifier)) : null;
            if (created != null) {
                return Optional.of(new Snapshot(created.identifier(), created.arn(), scope, created.sourceId(),
                        created.snapshotType(), created.status(), created.createTime(), false, Optional.empty(), Optional.empty(),
                        Optional.empty(), created.tags()));
            }
            if (online) {
                return real.snapshotCopies(access, copyRegion).describe(scope, identifier);
            }
            boolean db = scope == SnapshotRef.Scope.DB_SNAPSHOT;
            String arn = "arn:aws:rds:" + copyRegion + ":" + OFFLINE_ACCOUNT + ":" + (db ? "snapshot:" : "cluster-snapshot:")
                    + identifier;
            String type = Optional.ofNullable(SdkSnapshotGateway.impliedType(identifier)).orElse("manual");
            assuming(db ? "rds:DescribeDBSnapshots in " + copyRegion : "rds:DescribeDBClusterSnapshots in " + copyRegion,
                    identifier, identifier + " exists, " + type + ", available, unencrypted");
            return Optional.of(new Snapshot(identifier, arn, scope, "", type, "available", timeInName(identifier).orElse(null),
                    false, Optional.empty(), Optional.empty(), Optional.empty(), Map.of()));
        }

        private String key(SnapshotRef.Scope scope, String identifier) {
            return copyRegion + "|" + scope + "|" + identifier;
        }
    }

    /**
     * CreateDB[Cluster]Snapshot logged, never made; a repeat of the same identifier answers "already
     * exists" like RDS. Sources are read from AWS when online; offline, a source named exactly is
     * assumed to exist and be available (logged), and a listing (for globs) is assumed empty.
     */
    private final class Creation implements SnapshotCreationGateway {
        private final AwsAccess access;

        Creation(AwsAccess access) {
            this.access = access;
        }

        @Override
        public CreateResult create(SnapshotRef.Scope scope, String identifier, String sourceId, Map<String, String> tags) {
            wouldCall("rds:" + SdkSnapshotCreationGateway.createOperation(scope),
                    SdkSnapshotCreationGateway.createRequest(scope, identifier, sourceId, tags));
            boolean db = scope == SnapshotRef.Scope.DB_SNAPSHOT;
            String arn = "arn:aws:rds:" + region + ":" + OFFLINE_ACCOUNT + ":" + (db ? "snapshot:" : "cluster-snapshot:")
                    + identifier;
            SnapshotInfo made = new SnapshotInfo(identifier, arn, scope, sourceId, "manual", "available", Instant.now(),
                    "unknown", tags);
            if (createdSnapshots.putIfAbsent(createdKey(scope, identifier), made) != null) {
                return CreateResult.of(CreateStatus.ALREADY_EXISTS, "the dry run created " + identifier + " already");
            }
            events.ifPresent(e -> e.snapshotCreated(!db, region, identifier, arn));
            return CreateResult.created(arn);
        }

        @Override
        public Optional<SourceInfo> source(SnapshotRef.Scope scope, String sourceId) {
            if (online) {
                return real.snapshotCreation(access).source(scope, sourceId);
            }
            boolean db = scope == SnapshotRef.Scope.DB_SNAPSHOT;
            String arn = "arn:aws:rds:" + region + ":" + OFFLINE_ACCOUNT + ":" + (db ? "db:" : "cluster:") + sourceId;
            assuming(db ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters", sourceId, sourceId + " exists, available");
            return Optional.of(new SourceInfo(sourceId, arn, scope, "available", false, Optional.empty(), Optional.empty()));
        }

        @Override
        public List<SourceInfo> sources(SnapshotRef.Scope scope) {
            if (online) {
                return real.snapshotCreation(access).sources(scope);
            }
            assuming(scope == SnapshotRef.Scope.DB_SNAPSHOT ? "rds:DescribeDBInstances" : "rds:DescribeDBClusters",
                    "(all)", "no sources");
            return List.of();
        }
    }

    private final class Objects implements ObjectStoreGateway {
        private final AwsAccess access;
        private final Optional<String> expectedOwner;
        private final String owner;

        Objects(AwsAccess access, Optional<String> expectedOwner) {
            this.access = access;
            this.expectedOwner = expectedOwner;
            this.owner = expectedOwner.orElse(null);
        }

        @Override
        public Optional<String> objectOwnership(String bucket) {
            if (online) {
                return real.objects(access, expectedOwner).objectOwnership(bucket);
            }
            assuming("s3:GetBucketOwnershipControls", SdkObjectStoreGateway.getBucketOwnershipControlsRequest(bucket, owner),
                    "BucketOwnerPreferred");
            return Optional.of("BucketOwnerPreferred");
        }

        @Override
        public OwnerCheck checkOwner(String bucket, String expectedBucketOwner) {
            if (online) {
                return real.objects(access, this.expectedOwner).checkOwner(bucket, expectedBucketOwner);
            }
            assuming("s3:GetBucketOwnershipControls",
                    SdkObjectStoreGateway.getBucketOwnershipControlsRequest(bucket, expectedBucketOwner),
                    "owned by " + expectedBucketOwner);
            return OwnerCheck.OWNED;
        }

        @Override
        public void forEachPage(String bucket, String prefix, Consumer<List<ObjectInfo>> page) {
            if (online) {
                real.objects(access, expectedOwner).forEachPage(bucket, prefix, page);
                return;
            }
            List<String> keys = offlineKeys(bucket, prefix);
            assuming("s3:ListObjectsV2", SdkObjectStoreGateway.listObjectsV2Request(bucket, prefix, null, owner), keys);
            if (!keys.isEmpty()) {
                Instant now = Instant.now();
                page.accept(keys.stream().map(k -> new ObjectInfo(k, 1024, now)).toList());
            }
        }

        @Override
        public List<String> childFolders(String bucket, String prefix) {
            if (online) {
                return real.objects(access, expectedOwner).childFolders(bucket, prefix);
            }
            String p = prefix == null ? "" : prefix;
            Set<String> folders = new LinkedHashSet<>();
            for (String key : offlineKeys(bucket, p)) {
                int slash = key.indexOf('/', p.length());
                if (slash >= 0) {
                    folders.add(key.substring(0, slash + 1));
                }
            }
            assuming("s3:ListObjectsV2", SdkObjectStoreGateway.listObjectsV2Request(bucket, prefix, "/", owner), folders);
            return List.copyOf(folders);
        }

        @Override
        public AclResult grantBucketOwnerFullControl(String bucket, String key) {
            wouldCall("s3:PutObjectAcl", SdkObjectStoreGateway.putObjectAclRequest(bucket, key, owner));
            return AclResult.GRANTED;
        }

        @Override
        public DeleteObjectsResult deleteObjects(String bucket, List<String> keys) {
            if (keys.isEmpty()) {
                return new DeleteObjectsResult(List.of(), List.of());
            }
            wouldCall("s3:DeleteObjects", SdkObjectStoreGateway.deleteObjectsRequest(bucket, keys, owner));
            return new DeleteObjectsResult(keys, List.of());
        }
    }

    private final class Batch implements BatchOperationsGateway {
        private final AwsAccess access;

        Batch(AwsAccess access) {
            this.access = access;
        }

        @Override
        public String createPutAclJob(PutAclJobRequest request) {
            wouldCall("s3control:CreateJob", SdkBatchOperationsGateway.createJobRequest(request));
            String jobId = "dry-run-" + UUID.nameUUIDFromBytes((request.accountId() + "/" + request.clientRequestToken())
                    .getBytes(StandardCharsets.UTF_8)).toString().substring(0, 28);
            jobs.putIfAbsent(jobId, request);
            return jobId;
        }

        @Override
        public BatchJob describeJob(String accountId, String jobId) {
            PutAclJobRequest known = jobs.get(jobId);
            if (online) {
                return known != null ? new BatchJob(jobId, "New", 0, 0, 0, List.of())
                        : real.batchOperations(access).describeJob(accountId, jobId);
            }
            long tasks = known == null ? 0 : offlineKeys(known.bucket(), known.prefix()).size();
            BatchJob job = new BatchJob(jobId, "Complete", tasks, tasks, 0, List.of());
            assuming("s3control:DescribeJob", SdkBatchOperationsGateway.describeJobRequest(accountId, jobId),
                    "Complete, " + tasks + " task(s) succeeded");
            return job;
        }
    }

    private final class Crawlers implements CrawlerGateway {
        private final AwsAccess access;

        Crawlers(AwsAccess access) {
            this.access = access;
        }

        @Override
        public StartResult start(String crawlerName) {
            wouldCall("glue:StartCrawler", SdkCrawlerGateway.startCrawlerRequest(crawlerName));
            crawls.put(crawlerName, Instant.now());
            return StartResult.STARTED;
        }

        @Override
        public CrawlerInfo get(String crawlerName) {
            if (online) {
                return real.crawlers(access).get(crawlerName);
            }
            Optional<Instant> last = Optional.ofNullable(crawls.get(crawlerName));
            CrawlerInfo info = new CrawlerInfo(crawlerName, "READY", last.map(t -> "SUCCEEDED"), last);
            assuming("glue:GetCrawler", SdkCrawlerGateway.getCrawlerRequest(crawlerName),
                    "READY" + last.map(t -> ", last crawl SUCCEEDED").orElse(""));
            return info;
        }
    }
}
