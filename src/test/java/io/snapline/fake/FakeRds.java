package io.snapline.fake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Fake RDS (query protocol, Version 2014-10-31): DB snapshots, DB cluster snapshots, DB clusters (for
 * direct cluster exports) and export tasks.
 *
 * <p>Operations and the rules they enforce:
 * <ul>
 *   <li>{@code DescribeDBSnapshots} / {@code DescribeDBClusterSnapshots}: {@code SnapshotType}
 *       (no type = automated + manual; DB snapshots of type {@code awsbackup} only with
 *       {@code SnapshotType=awsbackup}), {@code IncludeShared}/{@code IncludePublic},
 *       {@code DBSnapshotIdentifier} (an identifier of the caller's own snapshots in the fake's region; or an ARN, which finds
 *       another account's shared snapshot but, as an emulator answers, not one of the caller's own account
 *       unless {@link #arnIdentifiersForOwnSnapshots}; an automated one is found only with
 *       {@code SnapshotType=automated}, as AWS documents; unknown → 404 {@code DBSnapshotNotFound} /
 *       {@code DBClusterSnapshotNotFoundFault}), {@code Filters} ({@code db-instance-id},
 *       {@code db-cluster-id}, {@code db-snapshot-id}, {@code db-cluster-snapshot-id},
 *       {@code snapshot-type}, {@code engine}), {@code MaxRecords} 20–100 (else
 *       {@code InvalidParameterValue}) and {@code Marker} paging.</li>
 *   <li>{@code DeleteDBSnapshot} / {@code DeleteDBClusterSnapshot}: 404 {@code DBSnapshotNotFound} /
 *       {@code DBClusterSnapshotNotFoundFault}; a snapshot that is not {@code available}, or an
 *       automated one → 400 {@code InvalidDBSnapshotState} / {@code InvalidDBClusterSnapshotStateFault}.</li>
 *   <li>{@code StartExportTask}: the identifier rules (letter first; letters, digits, hyphens; no
 *       trailing or double hyphen; ≤ 60) → {@code InvalidParameterValue}; {@code S3Prefix} with
 *       {@code :} → {@code InvalidParameterValue}; duplicate identifier → {@code ExportTaskAlreadyExists};
 *       missing source → {@code DBSnapshotNotFound} / {@code DBClusterSnapshotNotFoundFault} /
 *       {@code DBClusterNotFoundFault} (404); source not {@code available} →
 *       {@code InvalidExportSourceState}; bucket missing in the fake S3 → {@code InvalidS3BucketFault};
 *       a 6th concurrent non-terminal task → 400 {@link #EXPORT_LIMIT_CODE}. The task starts
 *       {@code STARTING}.</li>
 *   <li>{@code DescribeExportTasks}: {@code ExportTaskIdentifier} (unknown → 404
 *       {@code ExportTaskNotFound}), {@code SourceArn}, {@code SourceType}, {@code Filters}
 *       ({@code export-task-identifier}, {@code s3-bucket}, {@code source-arn}, {@code status} in lower
 *       case: an upper-case status matches nothing), {@code MaxRecords} and {@code Marker}.</li>
 * </ul>
 *
 * <ul>
 *   <li>{@code CreateDBSnapshot} / {@code CreateDBClusterSnapshot} (of the sources {@link #addInstance} /
 *       {@link #addClusterSource} add, per region): the identifier rules (255 / 63 characters) →
 *       {@code InvalidParameterValue}; missing source → 404 {@code DBInstanceNotFound} / {@code DBClusterNotFoundFault};
 *       taken identifier → {@code DBSnapshotAlreadyExists} / {@code DBClusterSnapshotAlreadyExistsFault}; a source
 *       not {@code available} → {@code InvalidDBInstanceState} / {@code InvalidDBClusterStateFault}; more than
 *       {@link #manualSnapshotQuota} manual snapshots in the region → {@code SnapshotQuotaExceeded}. {@code Tags} are
 *       kept; the snapshot starts {@code creating} ({@link #finishPendingSnapshots}).</li>
 *   <li>{@code DescribeDBInstances} / {@code DescribeDBClusters}: by identifier (unknown → 404), {@code Filters}
 *       ({@code db-instance-id}, {@code db-cluster-id}), {@code MaxRecords} / {@code Marker}.</li>
 * </ul>
 * Every call is answered as the RDS of its SigV4 signing region: each region has its own snapshots and
 * sources (a client built for {@code ap-northeast-1} sees only that region's).
 *
 * <p>Test controls: {@link #addDbSnapshot}, {@link #addClusterSnapshot}, {@link #addCluster},
 * {@link #snapshot}; {@link #markExportInProgress}, {@link #completeExport(String, int...)} (writes a
 * realistic export into the fake S3), {@link #failExport}, {@link #cancelExport}, {@link #exportTask}.
 */
public final class FakeRds {

    /**
     * The error code for "more than 5 concurrent export tasks". AWS's real code is UNVERIFIED
     * (AWS-FACTS §3); the gateway must treat this one and its likely spellings as "retry later".
     */
    public static final String EXPORT_LIMIT_CODE = "ExportTaskLimitReached";
    /** AWS allows 5 concurrent export tasks per account. */
    public static final int MAX_CONCURRENT_EXPORTS = 5;

    private int concurrentExportLimit = MAX_CONCURRENT_EXPORTS;

    /**
     * Changes the concurrent export limit from AWS's 5 (for load runs such as the reliability suite,
     * where the limit's 5-minute re-checks would only add waiting). Test control; default 5.
     */
    public synchronized void concurrentExportLimit(int limit) {
        this.concurrentExportLimit = limit;
    }

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-))*");
    private static final Set<String> NON_TERMINAL = Set.of("STARTING", "IN_PROGRESS", "CANCELING");

    /** A DB or cluster snapshot; the setters tune it after {@link #addDbSnapshot}/{@link #addClusterSnapshot}. */
    public static final class Snapshot {
        private final String identifier;
        private final boolean cluster;
        private final String sourceId;
        private final String region;
        private String arn;
        private String type;
        private String status = "available";
        private Instant createTime = Instant.now();
        private String engine;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private boolean encrypted = true;
        private String kmsKeyId;
        private String optionGroup;
        private String copiedFrom;
        private String copiedFromRegion;

        Snapshot(String identifier, boolean cluster, String sourceId) {
            this(FakeAws.REGION, identifier, cluster, sourceId);
        }

        Snapshot(String region, String identifier, boolean cluster, String sourceId) {
            this.identifier = identifier;
            this.cluster = cluster;
            this.sourceId = sourceId;
            this.region = region;
            this.arn = "arn:aws:rds:" + region + ":" + FakeAws.ACCOUNT + ":"
                    + (cluster ? "cluster-snapshot:" : "snapshot:") + identifier;
            this.type = identifier.startsWith("rds:") ? "automated"
                    : identifier.startsWith("awsbackup:") ? "awsbackup" : "manual";
            this.engine = cluster ? "aurora-postgresql" : "postgres";
        }

        /** automated, manual, awsbackup, shared or public. */
        public Snapshot type(String type) {
            this.type = type;
            return this;
        }

        /** available, creating, copying, … */
        public Snapshot status(String status) {
            this.status = status;
            return this;
        }

        public Snapshot createdAt(Instant createTime) {
            this.createTime = createTime;
            return this;
        }

        public Snapshot engine(String engine) {
            this.engine = engine;
            return this;
        }

        /** For shared/public snapshots of another account. */
        public Snapshot arn(String arn) {
            this.arn = arn;
            return this;
        }

        public Snapshot tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** Encrypted (default true, with a key of the snapshot's region) or not. */
        public Snapshot encrypted(boolean encrypted) {
            this.encrypted = encrypted;
            return this;
        }

        /** The option group of a DB snapshot (default none: a default one). */
        public Snapshot optionGroup(String name) {
            this.optionGroup = name;
            return this;
        }

        public boolean encrypted() {
            return encrypted;
        }

        public String kmsKeyId() {
            return kmsKeyId;
        }

        public String region() {
            return region;
        }

        public Map<String, String> tags() {
            return Map.copyOf(tags);
        }

        /** For a copy: the source snapshot's ARN. */
        public String copiedFrom() {
            return copiedFrom;
        }

        public Instant createTime() {
            return createTime;
        }

        public String identifier() {
            return identifier;
        }

        public String arn() {
            return arn;
        }

        public String type() {
            return type;
        }

        public String status() {
            return status;
        }

        public boolean cluster() {
            return cluster;
        }

        public String sourceId() {
            return sourceId;
        }
    }

    /** An export task as the fake holds it. */
    public record ExportTask(String taskId, String sourceArn, String status, String bucket, String prefix,
                             String iamRoleArn, String kmsKeyId, List<String> exportOnly, Optional<String> failureCause,
                             Instant startTime, Optional<Instant> endTime) {

        /** {@code <prefix>/<taskId>/}, where the export writes. */
        public String folder() {
            return (prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + taskId + "/";
        }
    }

    private static final class Task {
        String id;
        String sourceArn;
        String sourceType;
        String bucket;
        String prefix;
        String role;
        String kms;
        List<String> exportOnly;
        String status = "STARTING";
        int percent;
        int totalGb;
        String failureCause;
        Instant snapshotTime;
        Instant start = Instant.now();
        Instant end;
    }

    private final FakeS3 s3;
    private final TreeMap<String, Snapshot> dbSnapshots = new TreeMap<>();
    private final TreeMap<String, Snapshot> clusterSnapshots = new TreeMap<>();
    private final Set<String> clusters = new TreeSet<>();
    private final TreeMap<String, Task> tasks = new TreeMap<>();
    private boolean arnIdentifiersForOwnSnapshots;
    private final TreeMap<String, Source> instances = new TreeMap<>();
    private final TreeMap<String, Source> clusterSources = new TreeMap<>();
    private int manualSnapshotQuota = 100;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    /** The region of the call being handled (from its SigV4 scope). */
    private String callRegion = FakeAws.REGION;

    FakeRds(FakeS3 s3) {
        this.s3 = s3;
    }

    // ---------------------------------------------------------------- test controls

    /**
     * Adds an {@code available} DB snapshot of {@link FakeAws#ACCOUNT}. Its type follows the name
     * ({@code rds:…} automated, {@code awsbackup:…} awsbackup, else manual); tune it with the setters.
     */
    public synchronized Snapshot addDbSnapshot(String identifier, String instanceId) {
        Snapshot s = new Snapshot(identifier, false, instanceId);
        dbSnapshots.put(identifier, s);
        return s;
    }

    /**
     * Adds an {@code available} DB snapshot of {@link FakeAws#ACCOUNT} in another region than the
     * fake's own: it may have the name of one in {@link FakeAws#REGION}. Describe-by-identifier and
     * listings (which the fake answers as {@link FakeAws#REGION}) do not show it; StartExportTask finds
     * it by its ARN. Export task identifiers stay one namespace, as an emulator keeps them.
     */
    public synchronized Snapshot addDbSnapshotInRegion(String region, String identifier, String instanceId) {
        Snapshot s = new Snapshot(region, identifier, false, instanceId);
        dbSnapshots.put(s.arn, s);
        return s;
    }

    /**
     * Whether {@code DBSnapshotIdentifier} / {@code DBClusterSnapshotIdentifier} may be the ARN of a
     * snapshot of the caller's own account. Default false, as a third-party emulator answers (AWS
     * does not document it either way); the ARN of another account's shared snapshot is always taken.
     */
    public synchronized void arnIdentifiersForOwnSnapshots(boolean accepted) {
        this.arnIdentifiersForOwnSnapshots = accepted;
    }

    /** Adds an {@code available} DB cluster snapshot (see {@link #addDbSnapshot}). */
    public synchronized Snapshot addClusterSnapshot(String identifier, String clusterId) {
        Snapshot s = new Snapshot(identifier, true, clusterId);
        clusterSnapshots.put(identifier, s);
        return s;
    }

    /** Adds an {@code available} DB cluster snapshot in another region (see {@link #addDbSnapshotInRegion}). */
    public synchronized Snapshot addClusterSnapshotInRegion(String region, String identifier, String clusterId) {
        Snapshot s = new Snapshot(region, identifier, true, clusterId);
        clusterSnapshots.put(s.arn, s);
        return s;
    }

    /** Adds a DB cluster, a valid source for a direct cluster export; returns its ARN. */
    public synchronized String addCluster(String clusterId) {
        clusters.add(clusterId);
        clusterSources.putIfAbsent(FakeAws.REGION + "|" + clusterId, new Source(FakeAws.REGION, clusterId, true));
        return "arn:aws:rds:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":cluster:" + clusterId;
    }

    /** A DB or cluster snapshot by identifier or ARN. */
    public synchronized Optional<Snapshot> snapshot(String identifierOrArn) {
        return find(dbSnapshots, identifierOrArn).or(() -> find(clusterSnapshots, identifierOrArn));
    }

    public synchronized int snapshotCount() {
        return dbSnapshots.size() + clusterSnapshots.size();
    }

    public synchronized Optional<ExportTask> exportTask(String taskId) {
        return Optional.ofNullable(tasks.get(taskId)).map(FakeRds::view);
    }

    public synchronized List<ExportTask> exportTasks() {
        return tasks.values().stream().map(FakeRds::view).toList();
    }

    /** STARTING → IN_PROGRESS. */
    public synchronized void markExportInProgress(String taskId) {
        Task t = task(taskId);
        t.status = "IN_PROGRESS";
        t.percent = 40;
    }

    /** {@link #completeExport(String, String, int...)} with objects owned by {@link FakeAws#ACCOUNT}. */
    public void completeExport(String taskId, int... objectsPerTable) {
        completeExport(taskId, FakeAws.ACCOUNT, objectsPerTable);
    }

    /**
     * Completes an export as RDS does: writes into the fake S3, under {@code <prefix>/<taskId>/}, for
     * table {@code i} ({@code appdb/public.table_<i>/1/part-<n>-<uuid>.gz.parquet}) as many parquet
     * parts as {@code objectsPerTable[i]}, plus {@code export_info_<taskId>.json} and
     * {@code export_tables_info_<taskId>_from_1_to_<N>.json} in the export root; the objects are
     * written by {@code writerAccount} (their owner, unless the bucket's Object Ownership says
     * otherwise) with ACL {@code private}. Then the task is {@code COMPLETE}.
     *
     * @return the keys written, sorted
     */
    public synchronized List<String> completeExport(String taskId, String writerAccount, int... objectsPerTable) {
        Task t = task(taskId);
        String root = view(t).folder();
        List<String> keys = new ArrayList<>();
        StringBuilder tables = new StringBuilder("{\"perTableStatus\":[");
        for (int i = 0; i < objectsPerTable.length; i++) {
            String table = "public.table_" + (i + 1);
            for (int n = 0; n < objectsPerTable[i]; n++) {
                String uuid = UUID.nameUUIDFromBytes((taskId + "/" + i + "/" + n).getBytes(StandardCharsets.UTF_8)).toString();
                String key = root + "appdb/" + table + "/1/part-" + String.format("%05d", n) + "-" + uuid + ".gz.parquet";
                s3.write(t.bucket, key, null, 2048, writerAccount, "private");
                keys.add(key);
            }
            tables.append(i == 0 ? "" : ",").append("{\"target\":\"appdb.").append(table)
                    .append("\",\"status\":\"COMPLETE\",\"sizeGB\":0.001,\"tableStatistics\":{\"extractionStartTime\":\"")
                    .append(t.start).append("\"},\"schemaMetadata\":{\"originalTypeMappings\":[]}}");
        }
        tables.append("]}");
        t.status = "COMPLETE";
        t.percent = 100;
        t.totalGb = 1;
        t.end = Instant.now();
        String info = "{\"exportTaskIdentifier\":\"" + t.id + "\",\"sourceArn\":\"" + t.sourceArn
                + "\",\"exportOnly\":[],\"s3Bucket\":\"" + t.bucket + "\",\"s3Prefix\":\"" + (t.prefix == null ? "" : t.prefix)
                + "\",\"exportedFilesPath\":\"" + root.substring(0, root.length() - 1) + "\",\"iamRoleArn\":\"" + t.role
                + "\",\"kmsKeyId\":\"" + t.kms + "\",\"status\":\"COMPLETE\",\"percentProgress\":100,\"taskStartTime\":\""
                + t.start + "\",\"taskEndTime\":\"" + t.end + "\",\"totalExportedDataInGB\":1}";
        String infoKey = root + "export_info_" + t.id + ".json";
        String tablesKey = root + "export_tables_info_" + t.id + "_from_1_to_" + objectsPerTable.length + ".json";
        s3.write(t.bucket, infoKey, info.getBytes(StandardCharsets.UTF_8), 0, writerAccount, "private");
        s3.write(t.bucket, tablesKey, tables.toString().getBytes(StandardCharsets.UTF_8), 0, writerAccount, "private");
        keys.add(infoKey);
        keys.add(tablesKey);
        keys.sort(null);
        return keys;
    }

    /** Ends the task FAILED with this {@code FailureCause}; writes nothing. */
    public synchronized void failExport(String taskId, String cause) {
        Task t = task(taskId);
        t.status = "FAILED";
        t.failureCause = cause;
        t.end = Instant.now();
    }

    /** Ends the task CANCELED. */
    public synchronized void cancelExport(String taskId) {
        Task t = task(taskId);
        t.status = "CANCELED";
        t.end = Instant.now();
    }

    // ---------------------------------------------------------------- sources and snapshot creation

    /** A DB instance or cluster, a source of CreateDB[Cluster]Snapshot; the setters tune it. */
    public static final class Source {
        private final String region;
        private final String identifier;
        private final boolean cluster;
        private String status = "available";
        private boolean encrypted = true;
        private String kmsKeyId;
        private String optionGroup;
        private String memberOf;

        Source(String region, String identifier, boolean cluster) {
            this.region = region;
            this.identifier = identifier;
            this.cluster = cluster;
            this.kmsKeyId = "arn:aws:kms:" + region + ":" + FakeAws.ACCOUNT + ":key/" + UUID.nameUUIDFromBytes(
                    (region + identifier).getBytes(StandardCharsets.UTF_8));
        }

        /** available, backing-up, modifying, stopping, stopped, … (CreateDB[Cluster]Snapshot needs available). */
        public Source status(String status) {
            this.status = status;
            return this;
        }

        public Source encrypted(boolean encrypted) {
            this.encrypted = encrypted;
            return this;
        }

        /** A non-default option group (instances). */
        public Source optionGroup(String name) {
            this.optionGroup = name;
            return this;
        }

        /** Makes an instance a member of an Aurora cluster. */
        public Source memberOf(String clusterId) {
            this.memberOf = clusterId;
            return this;
        }

        public String arn() {
            return "arn:aws:rds:" + region + ":" + FakeAws.ACCOUNT + ":" + (cluster ? "cluster:" : "db:") + identifier;
        }
    }

    /** Adds an {@code available}, encrypted DB instance in {@link FakeAws#REGION}. */
    public synchronized Source addInstance(String instanceId) {
        return addInstance(FakeAws.REGION, instanceId);
    }

    /** Adds an {@code available}, encrypted DB instance in a region. */
    public synchronized Source addInstance(String region, String instanceId) {
        Source src = new Source(region, instanceId, false);
        instances.put(region + "|" + instanceId, src);
        return src;
    }

    /** Adds an {@code available} DB cluster in a region (also a direct-export source in {@link FakeAws#REGION}). */
    public synchronized Source addClusterSource(String region, String clusterId) {
        if (region.equals(FakeAws.REGION)) {
            clusters.add(clusterId);
        }
        Source src = new Source(region, clusterId, true);
        clusterSources.put(region + "|" + clusterId, src);
        return src;
    }

    /** Removes a DB instance (as if deleted). */
    public synchronized void removeInstance(String region, String instanceId) {
        instances.remove(region + "|" + instanceId);
    }

    /** The manual snapshot quota per region and kind (default 100, as AWS's). */
    public synchronized void manualSnapshotQuota(int quota) {
        this.manualSnapshotQuota = quota;
    }

    /** The clock that stamps created snapshots. */
    public synchronized void clock(java.time.Clock clock) {
        this.clock = clock;
    }

    /** Every snapshot still {@code creating} or {@code copying}, in every region, becomes {@code available}. */
    public synchronized int finishPendingSnapshots() {
        int n = 0;
        for (Snapshot x : allSnapshots()) {
            if (x.status.equals("creating") || x.status.equals("copying")) {
                x.status = "available";
                n++;
            }
        }
        return n;
    }

    /** A snapshot of a region by identifier. */
    public synchronized Optional<Snapshot> snapshotIn(String region, String identifier) {
        return Optional.ofNullable(inRegion(dbSnapshots, region, identifier))
                .or(() -> Optional.ofNullable(inRegion(clusterSnapshots, region, identifier)));
    }

    /** Every DB and cluster snapshot of a region, by identifier order. */
    public synchronized List<Snapshot> snapshotsIn(String region) {
        return allSnapshots().stream().filter(x -> x.region.equals(region))
                .sorted(java.util.Comparator.comparing(Snapshot::identifier)).toList();
    }

    private List<Snapshot> allSnapshots() {
        List<Snapshot> all = new ArrayList<>(dbSnapshots.values());
        all.addAll(clusterSnapshots.values());
        return all;
    }

    private static String keyOf(Snapshot s) {
        return s.region.equals(FakeAws.REGION) ? s.identifier : s.arn;
    }

    private static Snapshot inRegion(TreeMap<String, Snapshot> all, String region, String identifier) {
        if (region.equals(FakeAws.REGION)) {
            Snapshot s = all.get(identifier);
            if (s != null && s.region.equals(region)) {
                return s;
            }
        }
        return all.values().stream().filter(x -> x.region.equals(region) && x.identifier.equals(identifier))
                .findFirst().orElse(null);
    }

    private String createSnapshot(Map<String, String> p, boolean cluster) {
        String idParam = cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier";
        String sourceParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        for (String required : List.of(idParam, sourceParam)) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                throw new FakeAwsError("MissingParameter", 400, "The request must contain the parameter " + required);
            }
        }
        String id = p.get(idParam).toLowerCase(java.util.Locale.ROOT);
        int max = cluster ? 63 : 255;
        if (id.length() > max || !TASK_ID.matcher(id).matches() || id.endsWith("-")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "The parameter " + idParam + " is not a valid identifier. "
                    + "Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must "
                    + "not end with a hyphen or contain two consecutive hyphens (at most " + max + " characters).");
        }
        String sourceId = p.get(sourceParam).toLowerCase(java.util.Locale.ROOT);
        Source src = (cluster ? clusterSources : instances).get(callRegion + "|" + sourceId);
        if (src == null) {
            throw cluster ? new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + sourceId + " not found.")
                    : new FakeAwsError("DBInstanceNotFound", 404, "DBInstance " + sourceId + " not found.");
        }
        TreeMap<String, Snapshot> all = cluster ? clusterSnapshots : dbSnapshots;
        if (inRegion(all, callRegion, id) != null) {
            throw cluster ? new FakeAwsError("DBClusterSnapshotAlreadyExistsFault", 400,
                    "Cannot create the cluster snapshot because one with the identifier " + id + " already exists.")
                    : new FakeAwsError("DBSnapshotAlreadyExists", 400,
                    "Cannot create the snapshot because a snapshot with the identifier " + id + " already exists.");
        }
        if (!src.status.equals("available") && !(src.status.equals("storage-optimization") && !cluster)) {
            throw cluster ? new FakeAwsError("InvalidDBClusterStateFault", 400,
                    "Cannot create a snapshot because the database cluster " + sourceId + " is not in available state.")
                    : new FakeAwsError("InvalidDBInstanceState", 400,
                    "Cannot create a snapshot because the database instance " + sourceId + " is not in available state.");
        }
        long manual = all.values().stream().filter(x -> x.region.equals(callRegion) && x.type.equals("manual")
                && x.arn.split(":")[4].equals(FakeAws.ACCOUNT)).count();
        if (manual >= manualSnapshotQuota) {
            throw new FakeAwsError("SnapshotQuotaExceeded", 400,
                    "Cannot create the snapshot because the maximum allowed number of DB snapshots has been reached.");
        }
        Snapshot snap = new Snapshot(callRegion, id, cluster, sourceId);
        snap.status = "creating";
        snap.createTime = clock.instant();
        snap.engine = cluster ? "aurora-postgresql" : "postgres";
        tags(p).forEach(snap.tags::put);
        all.put(keyOf(snap), snap);
        Xml x = Xml.fragment();
        snapshotXml(x, snap);
        return x.toString();
    }

    /** {@code Tags.Tag.N.Key} / {@code Tags.Tag.N.Value}. */
    static Map<String, String> tags(Map<String, String> p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 1; p.containsKey("Tags.Tag." + n + ".Key"); n++) {
            out.put(p.get("Tags.Tag." + n + ".Key"), p.getOrDefault("Tags.Tag." + n + ".Value", ""));
        }
        return out;
    }

    private String describeSources(Map<String, String> p, boolean cluster) {
        String idParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        String id = p.get(idParam) == null ? null : p.get(idParam).toLowerCase(java.util.Locale.ROOT);
        int max = maxRecords(p);
        Map<String, List<String>> filters = filters(p);
        String region = callRegion;
        Predicate<Source> match = src -> src.region.equals(region);
        if (id != null) {
            match = match.and(src -> src.identifier.equals(id) || src.arn().equals(p.get(idParam)));
        }
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            Predicate<Source> fp = switch (f.getKey()) {
                case "db-instance-id" -> src -> values.contains(src.identifier) || values.contains(src.arn());
                case "db-cluster-id" -> src -> cluster ? values.contains(src.identifier) : values.contains(src.memberOf);
                default -> throw new FakeAwsError("InvalidParameterValue", 400, "Unrecognized filter name: " + f.getKey());
            };
            match = match.and(fp);
        }
        String after = marker(p);
        List<Source> page = new ArrayList<>();
        String next = null;
        for (Source src : (cluster ? clusterSources : instances).values()) {
            String key = src.region + "|" + src.identifier;
            if (after != null && key.compareTo(after) <= 0 || !match.test(src)) {
                continue;
            }
            if (page.size() == max) {
                next = page.get(page.size() - 1).region + "|" + page.get(page.size() - 1).identifier;
                break;
            }
            page.add(src);
        }
        if (id != null && page.isEmpty()) {
            throw cluster ? new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + id + " not found.")
                    : new FakeAwsError("DBInstanceNotFound", 404, "DBInstance " + id + " not found.");
        }
        Xml x = Xml.fragment();
        if (next != null) {
            x.el("Marker", encodeMarker(next));
        }
        x.open(cluster ? "DBClusters" : "DBInstances");
        for (Source src : page) {
            if (cluster) {
                x.open("DBCluster").el("DBClusterIdentifier", src.identifier).el("Status", src.status)
                        .el("Engine", "aurora-postgresql").el("StorageEncrypted", src.encrypted)
                        .el("KmsKeyId", src.encrypted ? src.kmsKeyId : null).el("DBClusterArn", src.arn()).close();
            } else {
                x.open("DBInstance").el("DBInstanceIdentifier", src.identifier).el("DBInstanceStatus", src.status)
                        .el("Engine", "postgres").el("DBClusterIdentifier", src.memberOf)
                        .el("StorageEncrypted", src.encrypted).el("KmsKeyId", src.encrypted ? src.kmsKeyId : null)
                        .el("DBInstanceArn", src.arn());
                x.open("OptionGroupMemberships").open("OptionGroupMembership")
                        .el("OptionGroupName", src.optionGroup == null ? "default:postgres-16" : src.optionGroup)
                        .el("Status", "in-sync").close().close();
                x.close();
            }
        }
        return x.close().toString();
    }

    // ---------------------------------------------------------------- cross-region copies

    /** AWS's limit of copies in progress per destination region (older documents say 5). */
    public static final int COPY_LIMIT = 20;
    private int copyLimit = COPY_LIMIT;
    private final Set<String> inaccessibleKeys = new TreeSet<>();
    private final Set<String> optionGroups = new TreeSet<>();
    private final List<CopyCall> copyCalls = new ArrayList<>();

    /**
     * One CopyDB[Cluster]Snapshot as it came over the wire: the region it was signed for (the destination),
     * and its parameters ({@code PreSignedUrl} among them; {@code SourceRegion} never, if the SDK is right).
     */
    public record CopyCall(String region, boolean cluster, Map<String, String> params) {
    }

    /** The limit of copies in progress per destination region (default {@link #COPY_LIMIT}). */
    public synchronized void copyLimit(int limit) {
        this.copyLimit = limit;
    }

    /** A KMS key (ARN) that CopyDB[Cluster]Snapshot answers {@code KMSKeyNotAccessibleFault} for. */
    public synchronized void inaccessibleKmsKey(String keyArn) {
        inaccessibleKeys.add(keyArn);
    }

    /** An option group that exists in a region (for CopyDBSnapshot's {@code OptionGroupName}). */
    public synchronized void addOptionGroup(String region, String name) {
        optionGroups.add(region + "|" + name);
    }

    /** Every copy call answered or refused, in order. */
    public synchronized List<CopyCall> copyCalls() {
        return List.copyOf(copyCalls);
    }

    /** A copy (target) in {@code region} that is {@code copying} becomes {@code available}. */
    public synchronized void finishCopy(String region, String identifier) {
        Snapshot s = Optional.ofNullable(inRegion(dbSnapshots, region, identifier))
                .or(() -> Optional.ofNullable(inRegion(clusterSnapshots, region, identifier)))
                .orElseThrow(() -> new IllegalArgumentException("no copy " + identifier + " in " + region));
        s.status = "available";
    }

    /** Every snapshot of a region goes (as if deleted by hand). */
    public synchronized void clearSnapshotsIn(String region) {
        dbSnapshots.values().removeIf(x -> x.region.equals(region));
        clusterSnapshots.values().removeIf(x -> x.region.equals(region));
    }

    /** A copy in progress is canceled, as RDS does (RDS-EVENT-0061): the target goes away. */
    public synchronized void cancelCopy(String region, String identifier) {
        Snapshot s = Optional.ofNullable(inRegion(dbSnapshots, region, identifier))
                .or(() -> Optional.ofNullable(inRegion(clusterSnapshots, region, identifier)))
                .orElseThrow(() -> new IllegalArgumentException("no copy " + identifier + " in " + region));
        (s.cluster ? clusterSnapshots : dbSnapshots).remove(keyOf(s));
        s.status = "deleted";
    }

    /**
     * The SNS envelope (an SQS body) of the RDS event of a finished cross-region copy (RDS-EVENT-0060),
     * as the destination region's event subscription delivers it; {@code messageId} tells duplicates apart.
     */
    public synchronized String copyFinishedEvent(String region, String identifier, String messageId) {
        Snapshot s = Optional.ofNullable(inRegion(dbSnapshots, region, identifier))
                .or(() -> Optional.ofNullable(inRegion(clusterSnapshots, region, identifier)))
                .orElseThrow(() -> new IllegalArgumentException("no copy " + identifier + " in " + region));
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(clock.instant());
        return snsEvent(messageId, s.cluster ? "db-cluster-snapshot" : "db-snapshot", region, s.identifier, s.arn,
                "RDS-EVENT-0060", "Finished copy of snapshot " + s.copiedFrom + " from region " + s.copiedFromRegion
                        + " in 3 minutes", time);
    }

    /** The SNS envelope of "manual snapshot created" (0042, or 0075 for a cluster snapshot) of a snapshot. */
    public synchronized String snapshotCreatedEvent(String region, String identifier, String messageId) {
        Snapshot s = Optional.ofNullable(inRegion(dbSnapshots, region, identifier))
                .or(() -> Optional.ofNullable(inRegion(clusterSnapshots, region, identifier)))
                .orElseThrow(() -> new IllegalArgumentException("no snapshot " + identifier + " in " + region));
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(clock.instant());
        return snsEvent(messageId, s.cluster ? "db-cluster-snapshot" : "db-snapshot", region, s.identifier, s.arn,
                s.cluster ? "RDS-EVENT-0075" : "RDS-EVENT-0042", s.cluster ? "Manual cluster snapshot created"
                        : "Manual snapshot created", time);
    }

    private static String snsEvent(String messageId, String source, String region, String id, String arn,
                                   String eventId, String message, String time) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("Event Source", source);
        inner.put("Event Time", time);
        inner.put("Identifier Link", "https://console.aws.amazon.com/rds/home?region=" + region + "#" + source + ":id=" + id);
        inner.put("Source ID", id);
        inner.put("Source ARN", arn);
        inner.put("Event ID", "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html#" + eventId);
        inner.put("Event Message", message);
        try {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("Type", "Notification");
            outer.put("MessageId", messageId);
            outer.put("TopicArn", "arn:aws:sns:" + region + ":" + FakeAws.ACCOUNT + ":snapline-rds-events");
            outer.put("Subject", "RDS Notification Message");
            outer.put("Message", json.writeValueAsString(inner));
            outer.put("Timestamp", Instant.now().toString());
            outer.put("MessageAttributes", Map.of("EventID", Map.of("Type", "String", "Value", eventId),
                    "Resource", Map.of("Type", "String", "Value", arn)));
            return json.writeValueAsString(outer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String defaultKey(String region, String sourceId) {
        return "arn:aws:kms:" + region + ":" + FakeAws.ACCOUNT + ":key/" + UUID.nameUUIDFromBytes(
                (region + sourceId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * CopyDBSnapshot / CopyDBClusterSnapshot into the call's region: {@code SourceRegion} on the wire →
     * {@code InvalidParameterValue} (the SDK must turn it into {@code PreSignedUrl}); a source of another
     * region named otherwise than by ARN is not found; then the rules of AWS-FACTS §4 in this order: the
     * target's identifier, the source exists ({@code DBSnapshotNotFound} / {@code DBClusterSnapshotNotFoundFault})
     * and is {@code available} ({@code InvalidDBSnapshotState} / {@code InvalidDBClusterSnapshotStateFault}), the
     * target is free ({@code …AlreadyExists…}), an encrypted cross-region source needs {@code KmsKeyId} of this
     * region ({@code InvalidParameterValue}; a key of another region or an inaccessible one →
     * {@code KMSKeyNotAccessibleFault}), a non-default option group needs {@code OptionGroupName}, which must exist
     * ({@code OptionGroupNotFoundFault}), the copies in progress into this region ({@code SnapshotQuotaExceeded}
     * "Cannot copy more than N snapshots across regions"), the manual-snapshot quota ({@code SnapshotQuotaExceeded}
     * "…manual snapshots"). The target is {@code copying} until {@link #finishCopy}; its tags are the source's when
     * {@code CopyTags=true}, then the request's.
     */
    private String copySnapshot(Map<String, String> p, boolean cluster) {
        copyCalls.add(new CopyCall(callRegion, cluster, Map.copyOf(p)));
        String sourceParam = cluster ? "SourceDBClusterSnapshotIdentifier" : "SourceDBSnapshotIdentifier";
        String targetParam = cluster ? "TargetDBClusterSnapshotIdentifier" : "TargetDBSnapshotIdentifier";
        if (p.containsKey("SourceRegion")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "SourceRegion is not a parameter of this action");
        }
        for (String required : List.of(sourceParam, targetParam)) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                throw new FakeAwsError("MissingParameter", 400, "The request must contain the parameter " + required);
            }
        }
        String id = p.get(targetParam).toLowerCase(java.util.Locale.ROOT);
        int max = cluster ? 63 : 255;
        if (id.length() > max || !TASK_ID.matcher(id).matches() || id.endsWith("-")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "The parameter " + targetParam + " is not a valid "
                    + "identifier (at most " + max + " characters; letters, digits, single hyphens; a letter first).");
        }
        TreeMap<String, Snapshot> all = cluster ? clusterSnapshots : dbSnapshots;
        String sourceRef = p.get(sourceParam);
        Snapshot src = sourceRef.startsWith("arn:") ? find(all, sourceRef).orElse(null) : inRegion(all, callRegion, sourceRef);
        if (src == null) {
            throw cluster ? new FakeAwsError("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot " + sourceRef
                    + " not found.") : new FakeAwsError("DBSnapshotNotFound", 404, "DBSnapshot " + sourceRef + " not found.");
        }
        boolean crossRegion = !src.region.equals(callRegion);
        if (!src.status.equals("available")) {
            throw cluster ? new FakeAwsError("InvalidDBClusterSnapshotStateFault", 400, "Snapshot " + src.identifier
                    + " is not in available state.") : new FakeAwsError("InvalidDBSnapshotState", 400,
                    "Snapshot " + src.identifier + " is not in available state.");
        }
        if (inRegion(all, callRegion, id) != null) {
            throw cluster ? new FakeAwsError("DBClusterSnapshotAlreadyExistsFault", 400, "Cannot copy the cluster "
                    + "snapshot because one with the identifier " + id + " already exists.")
                    : new FakeAwsError("DBSnapshotAlreadyExists", 400, "Cannot copy the snapshot because a snapshot with "
                    + "the identifier " + id + " already exists.");
        }
        String kms = p.get("KmsKeyId");
        if (src.encrypted && crossRegion && (kms == null || kms.isEmpty())) {
            throw new FakeAwsError("InvalidParameterValue", 400,
                    "Must specify new KMS key for cross region encrypted snapshot copy.");
        }
        if (kms != null && (inaccessibleKeys.contains(kms) || kms.startsWith("arn:") && !kms.split(":")[3].equals(callRegion))) {
            throw new FakeAwsError("KMSKeyNotAccessibleFault", 400, "The target KMS key [" + kms + "] does not exist, "
                    + "is not enabled or you do not have permissions to access it.");
        }
        String group = p.get("OptionGroupName");
        if (!cluster && crossRegion && src.optionGroup != null && (group == null || group.isEmpty())) {
            throw new FakeAwsError("InvalidParameterCombination", 400, "The snapshot uses the option group "
                    + src.optionGroup + "; give OptionGroupName for a cross-region copy.");
        }
        if (group != null && !group.isEmpty() && !optionGroups.contains(callRegion + "|" + group)) {
            throw new FakeAwsError("OptionGroupNotFoundFault", 404, "Specified OptionGroupName " + group + " not found.");
        }
        long inProgress = allSnapshots().stream().filter(x -> x.region.equals(callRegion) && x.status.equals("copying"))
                .count();
        if (crossRegion && inProgress >= copyLimit) {
            throw new FakeAwsError("SnapshotQuotaExceeded", 400, "Cannot copy more than " + copyLimit
                    + " snapshots across regions");
        }
        long manual = all.values().stream().filter(x -> x.region.equals(callRegion) && x.type.equals("manual")
                && x.arn.split(":")[4].equals(FakeAws.ACCOUNT)).count();
        if (manual >= manualSnapshotQuota) {
            throw new FakeAwsError("SnapshotQuotaExceeded", 400, "Cannot create more than " + manualSnapshotQuota
                    + " manual snapshots");
        }
        Snapshot copy = new Snapshot(callRegion, id, cluster, src.sourceId);
        copy.status = crossRegion ? "copying" : "creating";
        copy.createTime = clock.instant();
        copy.engine = src.engine;
        copy.encrypted = src.encrypted;
        copy.kmsKeyId = src.encrypted ? (kms != null ? kms : src.kmsKeyId) : null;
        copy.optionGroup = group == null || group.isEmpty() ? src.optionGroup : group;
        copy.copiedFrom = src.arn;
        copy.copiedFromRegion = src.region;
        if (Boolean.parseBoolean(p.get("CopyTags"))) {
            copy.tags.putAll(src.tags);
        }
        tags(p).forEach(copy.tags::put);
        all.put(keyOf(copy), copy);
        Xml x = Xml.fragment();
        snapshotXml(x, copy);
        return x.toString();
    }

    // ---------------------------------------------------------------- wire

    synchronized String handle(String action, Map<String, String> p) {
        return handle(action, p, FakeAws.REGION);
    }

    /** One call, answered as the RDS of {@code region} (the SigV4 signing region of the request). */
    synchronized String handle(String action, Map<String, String> p, String region) {
        callRegion = region == null ? FakeAws.REGION : region;
        return switch (action) {
            case "CreateDBSnapshot" -> createSnapshot(p, false);
            case "CreateDBClusterSnapshot" -> createSnapshot(p, true);
            case "DescribeDBInstances" -> describeSources(p, false);
            case "DescribeDBClusters" -> describeSources(p, true);
            case "DescribeDBSnapshots" -> describeSnapshots(p, false);
            case "DescribeDBClusterSnapshots" -> describeSnapshots(p, true);
            case "DeleteDBSnapshot" -> delete(p.get("DBSnapshotIdentifier"), false);
            case "DeleteDBClusterSnapshot" -> delete(p.get("DBClusterSnapshotIdentifier"), true);
            case "CopyDBSnapshot" -> copySnapshot(p, false);
            case "CopyDBClusterSnapshot" -> copySnapshot(p, true);
            case "StartExportTask" -> startExportTask(p);
            case "DescribeExportTasks" -> describeExportTasks(p);
            default -> throw new FakeAwsError("InvalidAction", 400,
                    "The action " + action + " is not valid for this web service (fake RDS).");
        };
    }

    private String describeSnapshots(Map<String, String> p, boolean cluster) {
        TreeMap<String, Snapshot> all = cluster ? clusterSnapshots : dbSnapshots;
        String idParam = cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier";
        String sourceParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        String type = p.get("SnapshotType");
        boolean includeShared = Boolean.parseBoolean(p.get("IncludeShared"));
        boolean includePublic = Boolean.parseBoolean(p.get("IncludePublic"));
        int max = maxRecords(p);
        Map<String, List<String>> filters = filters(p);
        String id = p.get(idParam);

        Predicate<Snapshot> match = s -> {
            if (type != null) {
                return s.type.equals(type);
            }
            return switch (s.type) {
                case "automated", "manual" -> true;
                case "awsbackup" -> cluster;
                case "shared" -> includeShared;
                case "public" -> includePublic;
                default -> false;
            };
        };
        if (p.get(sourceParam) != null) {
            match = match.and(s -> s.sourceId.equals(p.get(sourceParam)));
        }
        boolean byArn = id != null && id.startsWith("arn:");
        if (!byArn) {
            String region = callRegion;
            match = match.and(s -> s.region.equals(region));
        }
        if (id != null) {
            boolean ownArnsToo = arnIdentifiersForOwnSnapshots;
            match = match.and(byArn
                    ? s -> s.arn.equals(id) && (ownArnsToo || !s.arn.split(":")[4].equals(FakeAws.ACCOUNT))
                    : s -> s.identifier.equals(id) && s.arn.split(":")[4].equals(FakeAws.ACCOUNT));
            if (type == null) {
                match = match.and(s -> !s.type.equals("automated"));
            }
        }
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            Predicate<Snapshot> fp = switch (f.getKey()) {
                case "db-instance-id", "db-cluster-id" -> s -> values.contains(s.sourceId);
                case "db-snapshot-id", "db-cluster-snapshot-id" -> s -> values.contains(s.identifier);
                case "snapshot-type" -> s -> values.contains(s.type);
                case "engine" -> s -> values.contains(s.engine);
                default -> throw new FakeAwsError("InvalidParameterValue", 400,
                        "Unrecognized filter name: " + f.getKey());
            };
            match = match.and(fp);
        }
        List<Snapshot> page = new ArrayList<>();
        String after = marker(p);
        String next = null;
        List<Snapshot> ordered = new ArrayList<>(all.values());
        ordered.sort(java.util.Comparator.comparing(Snapshot::arn));
        for (Snapshot s : ordered) {
            if (after != null && s.arn.compareTo(after) <= 0 || !match.test(s)) {
                continue;
            }
            if (page.size() == max) {
                next = page.get(page.size() - 1).arn;
                break;
            }
            page.add(s);
        }
        if (id != null && page.isEmpty()) {
            throw cluster ? new FakeAwsError("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot " + id + " not found.")
                    : new FakeAwsError("DBSnapshotNotFound", 404, "DBSnapshot " + id + " not found.");
        }
        Xml x = Xml.fragment();
        if (next != null) {
            x.el("Marker", encodeMarker(next));
        }
        x.open(cluster ? "DBClusterSnapshots" : "DBSnapshots");
        for (Snapshot s : page) {
            snapshotXml(x, s);
        }
        return x.close().toString();
    }

    private static void snapshotXml(Xml x, Snapshot s) {
        if (s.cluster) {
            x.open("DBClusterSnapshot").el("DBClusterSnapshotIdentifier", s.identifier)
                    .el("DBClusterIdentifier", s.sourceId);
        } else {
            x.open("DBSnapshot").el("DBSnapshotIdentifier", s.identifier).el("DBInstanceIdentifier", s.sourceId);
        }
        x.el("SnapshotCreateTime", "creating".equals(s.status) ? null : s.createTime).el("Engine", s.engine)
                .el("AllocatedStorage", 20).el("Status", s.status).el("SnapshotType", s.type)
                .el("PercentProgress", "available".equals(s.status) ? 100 : 50)
                .el(s.cluster ? "StorageEncrypted" : "Encrypted", s.encrypted)
                .el("KmsKeyId", s.encrypted ? s.kmsKeyId() == null ? defaultKey(s.region, s.sourceId) : s.kmsKeyId : null)
                .el(s.cluster ? "DBClusterSnapshotArn" : "DBSnapshotArn", s.arn);
        if (!s.cluster) {
            x.el("OptionGroupName", s.optionGroup == null ? "default:postgres-16" : s.optionGroup)
                    .el("SourceDBSnapshotIdentifier", s.copiedFrom).el("SourceRegion", s.copiedFromRegion);
        } else {
            x.el("SourceDBClusterSnapshotArn", s.copiedFrom);
        }
        x.open("TagList");
        s.tags.forEach((k, v) -> x.open("Tag").el("Key", k).el("Value", v).close());
        x.close().close();
    }

    private String delete(String id, boolean cluster) {
        TreeMap<String, Snapshot> all = cluster ? clusterSnapshots : dbSnapshots;
        Snapshot s = id == null ? null : id.startsWith("arn:") ? find(all, id).orElse(null) : inRegion(all, callRegion, id);
        if (s == null || s.type.equals("shared") || s.type.equals("public")) {
            throw cluster ? new FakeAwsError("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot " + id + " not found.")
                    : new FakeAwsError("DBSnapshotNotFound", 404, "DBSnapshot " + id + " not found.");
        }
        String stateCode = cluster ? "InvalidDBClusterSnapshotStateFault" : "InvalidDBSnapshotState";
        if (s.type.equals("automated")) {
            throw new FakeAwsError(stateCode, 400, "Only manual snapshots may be deleted.");
        }
        if (!s.status.equals("available")) {
            throw new FakeAwsError(stateCode, 400, "Cannot delete the snapshot because it is not in available state.");
        }
        all.remove(keyOf(s));
        s.status = "deleted";
        Xml x = Xml.fragment();
        snapshotXml(x, s);
        return x.toString();
    }

    private String startExportTask(Map<String, String> p) {
        String id = p.getOrDefault("ExportTaskIdentifier", "");
        String sourceArn = p.getOrDefault("SourceArn", "");
        for (String required : List.of("ExportTaskIdentifier", "SourceArn", "S3BucketName", "IamRoleArn", "KmsKeyId")) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                throw new FakeAwsError("MissingParameter", 400,
                        "The request must contain the parameter " + required);
            }
        }
        if (id.length() > 60 || !TASK_ID.matcher(id).matches() || id.endsWith("-")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "The parameter ExportTaskIdentifier is not a valid "
                    + "identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and "
                    + "hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
        }
        String prefix = p.get("S3Prefix");
        if (prefix != null && prefix.contains(":")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "The S3 prefix must not contain ':'.");
        }
        if (tasks.containsKey(id)) {
            throw new FakeAwsError("ExportTaskAlreadyExists", 400,
                    "Cannot start export task because a task with the identifier " + id + " already exists.");
        }
        String[] arn = sourceArn.split(":", 7);
        if (arn.length < 7 || !arn[0].equals("arn") || !arn[2].equals("rds")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "Invalid SourceArn " + sourceArn);
        }
        String kind = arn[5];
        String name = arn[6];
        String sourceType = "SNAPSHOT";
        Instant snapshotTime;
        switch (kind) {
            case "snapshot" -> {
                Snapshot s = find(dbSnapshots, sourceArn).orElseThrow(() ->
                        new FakeAwsError("DBSnapshotNotFound", 404, "DBSnapshot " + name + " not found."));
                requireAvailable(s);
                snapshotTime = s.createTime;
            }
            case "cluster-snapshot" -> {
                Snapshot s = find(clusterSnapshots, sourceArn).orElseThrow(() -> new FakeAwsError(
                        "DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot " + name + " not found."));
                requireAvailable(s);
                snapshotTime = s.createTime;
            }
            case "cluster" -> {
                if (!clusters.contains(name)) {
                    throw new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + name + " not found.");
                }
                sourceType = "CLUSTER";
                snapshotTime = Instant.now();
            }
            default -> throw new FakeAwsError("InvalidParameterValue", 400, "Invalid SourceArn " + sourceArn);
        }
        if (!s3.bucketExists(p.get("S3BucketName"))) {
            throw new FakeAwsError("InvalidS3BucketFault", 400,
                    "The S3 bucket " + p.get("S3BucketName") + " doesn't exist or isn't accessible.");
        }
        long running = tasks.values().stream().filter(t -> NON_TERMINAL.contains(t.status)).count();
        if (running >= concurrentExportLimit) {
            throw new FakeAwsError(EXPORT_LIMIT_CODE, 400,
                    "You have reached the maximum number of concurrent export tasks (" + concurrentExportLimit + ").");
        }
        Task t = new Task();
        t.id = id;
        t.sourceArn = sourceArn;
        t.sourceType = sourceType;
        t.bucket = p.get("S3BucketName");
        t.prefix = prefix;
        t.role = p.get("IamRoleArn");
        t.kms = p.get("KmsKeyId");
        t.exportOnly = members(p, "ExportOnly.member");
        t.snapshotTime = snapshotTime;
        tasks.put(id, t);
        Xml x = Xml.fragment();
        taskFields(x, t);
        return x.toString();
    }

    private static void requireAvailable(Snapshot s) {
        if (!s.status.equals("available")) {
            throw new FakeAwsError("InvalidExportSourceState", 400,
                    "The snapshot " + s.identifier + " is not in the available state (" + s.status + ").");
        }
    }

    private String describeExportTasks(Map<String, String> p) {
        String id = p.get("ExportTaskIdentifier");
        if (id != null && !tasks.containsKey(id)) {
            throw new FakeAwsError("ExportTaskNotFound", 404, "Cannot find export task with ID " + id);
        }
        int max = maxRecords(p);
        Map<String, List<String>> filters = filters(p);
        Predicate<Task> match = t -> true;
        if (id != null) {
            match = match.and(t -> t.id.equals(id));
        }
        if (p.get("SourceArn") != null) {
            match = match.and(t -> t.sourceArn.equals(p.get("SourceArn")));
        }
        if (p.get("SourceType") != null) {
            match = match.and(t -> t.sourceType.equals(p.get("SourceType")));
        }
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            Predicate<Task> fp = switch (f.getKey()) {
                case "export-task-identifier" -> t -> values.contains(t.id);
                case "s3-bucket" -> t -> values.contains(t.bucket);
                case "source-arn" -> t -> values.contains(t.sourceArn);
                case "status" -> t -> values.contains(t.status.toLowerCase(java.util.Locale.ROOT));
                default -> throw new FakeAwsError("InvalidParameterValue", 400,
                        "Unrecognized filter name: " + f.getKey());
            };
            match = match.and(fp);
        }
        String after = marker(p);
        List<Task> page = new ArrayList<>();
        String next = null;
        for (Task t : (after == null ? tasks : tasks.tailMap(after, false)).values()) {
            if (!match.test(t)) {
                continue;
            }
            if (page.size() == max) {
                next = page.get(page.size() - 1).id;
                break;
            }
            page.add(t);
        }
        Xml x = Xml.fragment();
        if (next != null) {
            x.el("Marker", encodeMarker(next));
        }
        x.open("ExportTasks");
        for (Task t : page) {
            x.open("ExportTask");
            taskFields(x, t);
            x.close();
        }
        return x.close().toString();
    }

    private static void taskFields(Xml x, Task t) {
        x.el("ExportTaskIdentifier", t.id).el("SourceArn", t.sourceArn);
        x.open("ExportOnly");
        t.exportOnly.forEach(e -> x.el("member", e));
        x.close();
        x.el("SnapshotTime", t.snapshotTime).el("TaskStartTime", t.start).el("TaskEndTime", t.end)
                .el("S3Bucket", t.bucket).el("S3Prefix", t.prefix).el("IamRoleArn", t.role).el("KmsKeyId", t.kms)
                .el("Status", t.status).el("PercentProgress", t.percent).el("TotalExtractedDataInGB", t.totalGb)
                .el("FailureCause", t.failureCause).el("SourceType", t.sourceType);
    }

    // ---------------------------------------------------------------- helpers

    private static ExportTask view(Task t) {
        return new ExportTask(t.id, t.sourceArn, t.status, t.bucket, t.prefix, t.role, t.kms, List.copyOf(t.exportOnly),
                Optional.ofNullable(t.failureCause), t.start, Optional.ofNullable(t.end));
    }

    private Task task(String taskId) {
        Task t = tasks.get(taskId);
        if (t == null) {
            throw new IllegalArgumentException("no fake export task " + taskId);
        }
        return t;
    }

    private static Optional<Snapshot> find(TreeMap<String, Snapshot> all, String idOrArn) {
        Snapshot s = all.get(idOrArn);
        if (s != null) {
            return Optional.of(s);
        }
        return all.values().stream().filter(x -> x.arn.equals(idOrArn)).findFirst();
    }

    private static int maxRecords(Map<String, String> p) {
        String raw = p.get("MaxRecords");
        if (raw == null) {
            return 100;
        }
        int max = Integer.parseInt(raw);
        if (max < 20 || max > 100) {
            throw new FakeAwsError("InvalidParameterValue", 400,
                    "Invalid value " + max + " for MaxRecords. Must be between 20 and 100");
        }
        return max;
    }

    private static String marker(Map<String, String> p) {
        String m = p.get("Marker");
        if (m == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(m), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FakeAwsError("InvalidParameterValue", 400, "Invalid Marker " + m);
        }
    }

    private static String encodeMarker(String last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Filters.Filter.N.Name} / {@code Filters.Filter.N.Values.Value.M}. */
    static Map<String, List<String>> filters(Map<String, String> p) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (int n = 1; p.containsKey("Filters.Filter." + n + ".Name"); n++) {
            result.put(p.get("Filters.Filter." + n + ".Name"), members(p, "Filters.Filter." + n + ".Values.Value"));
        }
        return result;
    }

    static List<String> members(Map<String, String> p, String prefix) {
        List<String> values = new ArrayList<>();
        for (int m = 1; p.containsKey(prefix + "." + m); m++) {
            values.add(p.get(prefix + "." + m));
        }
        return values;
    }
}
