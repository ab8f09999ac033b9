package io.snapline.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The DB clusters and DB instances of the fake RDS, for clones (query protocol, as {@link FakeRds}):
 * {@code DescribeDBClusters}, {@code DescribeDBInstances} (by identifier → 404 {@code DBClusterNotFoundFault} /
 * {@code DBInstanceNotFound}; or all, {@code MaxRecords}/{@code Marker}), {@code RestoreDBClusterToPointInTime}
 * ({@code RestoreType=copy-on-write} and {@code UseLatestRestorableTime=true} required here; missing source
 * → {@code DBClusterNotFoundFault}; duplicate → {@code DBClusterAlreadyExistsFault}),
 * {@code CreateDBInstance} (in a cluster that is {@code available}, else {@code InvalidDBClusterStateFault};
 * duplicate → {@code DBInstanceAlreadyExists}), {@code RestoreDBInstanceFromDBSnapshot} (the snapshot must
 * be an available DB snapshot of {@link FakeRds}), {@code ModifyDBInstance} (class, security groups,
 * {@code RotateMasterUserPassword}), {@code ModifyDBCluster} (security groups,
 * {@code ManageMasterUserPassword}, {@code RotateMasterUserPassword}), {@code DeleteDBInstance} /
 * {@code DeleteDBCluster} ({@code SkipFinalSnapshot=true} required; a cluster with instances not deleting →
 * {@code InvalidDBClusterStateFault}), {@code AddTagsToResource}, {@code ListTagsForResource}. Identifiers
 * follow RDS's rule (1-63, letter first, no double or trailing hyphen) → {@code InvalidParameterValue}.
 *
 * <p>States progress as the describes see them, so a waiting pipeline sees them move without a test
 * thread: a new cluster or instance is {@code creating} for {@link #describesUntilAvailable} describes,
 * a class change is pending for one describe ({@code modifying}), a new or rotated RDS-managed secret is
 * {@code creating}/{@code rotating} for one, a deleted instance is {@code deleting} for one and then gone.
 * Every clone reports the endpoint {@link #cloneEndpoint} (a real database the test started); a
 * managed secret the fake makes is stored in the fake Secrets Manager with {@link #masterCredentials}.
 */
public final class FakeRdsClones {

    private static final Pattern ID = Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}");

    /** A cluster or an instance. */
    public static final class Db {
        final String id;
        final boolean cluster;
        String engine;
        String status = "available";
        String instanceClass;
        String pendingClass;
        String clusterId;
        String databaseName;
        String secretArn;
        String secretStatus;
        int describesLeft;
        int secretDescribesLeft;
        boolean pendingShown;
        final Instant created = Instant.now();
        final List<String> securityGroups = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        String sourceSnapshot;
        String host;
        int port;

        Db(String id, boolean cluster) {
            this.id = id;
            this.cluster = cluster;
        }

        public String arn() {
            return "arn:aws:rds:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":" + (cluster ? "cluster:" : "db:") + id;
        }

        public String status() {
            return status;
        }

        public String instanceClass() {
            return instanceClass;
        }

        public List<String> securityGroups() {
            return List.copyOf(securityGroups);
        }

        public Map<String, String> tags() {
            return Map.copyOf(tags);
        }

        public Optional<String> secretArn() {
            return Optional.ofNullable(secretArn);
        }

        public Db tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Db status(String status) {
            this.status = status;
            return this;
        }

        public String sourceSnapshot() {
            return sourceSnapshot;
        }
    }

    private final FakeRds rds;
    private final FakeSecretsManager secrets;
    private final TreeMap<String, Db> clusters = new TreeMap<>();
    private final TreeMap<String, Db> instances = new TreeMap<>();
    private final List<String> deleted = new ArrayList<>();
    private String host = "127.0.0.1";
    private int port = 5432;
    private String user = "postgres";
    private String password = "postgres";
    private int describesUntilAvailable = 1;

    FakeRdsClones(FakeRds rds, FakeSecretsManager secrets) {
        this.rds = rds;
        this.secrets = secrets;
    }

    // ---------------------------------------------------------------- test controls

    /** An available Aurora source cluster with one instance of {@code instanceClass} and an RDS-managed secret. */
    public synchronized Db addAuroraCluster(String id, String engine, String database, String instanceClass) {
        Db c = new Db(id, true);
        c.engine = engine;
        c.databaseName = database;
        c.secretArn = newSecret(id);
        c.secretStatus = "active";
        c.host = id + ".cluster-abc.us-east-1.rds.amazonaws.com";
        c.port = 5432;
        clusters.put(id, c);
        Db i = new Db(id + "-instance-1", false);
        i.engine = engine;
        i.instanceClass = instanceClass;
        i.clusterId = id;
        instances.put(i.id, i);
        return c;
    }

    /** An available DB instance (not in a cluster). */
    public synchronized Db addInstance(String id, String engine, String database, String instanceClass) {
        Db i = new Db(id, false);
        i.engine = engine;
        i.databaseName = database;
        i.instanceClass = instanceClass;
        i.host = id + ".abc.us-east-1.rds.amazonaws.com";
        i.port = 5432;
        instances.put(id, i);
        return i;
    }

    /** The address every clone reports (a database the test started). */
    public synchronized void cloneEndpoint(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The credentials stored in every RDS-managed secret the fake makes (and the source clusters'). */
    public synchronized void masterCredentials(String user, String password) {
        this.user = user;
        this.password = password;
        for (Db c : clusters.values()) {
            if (c.secretArn != null) {
                secrets.put(c.secretArn, user, password);
            }
        }
    }

    /** How many describes a new cluster or instance stays {@code creating} (default 1). */
    public synchronized void describesUntilAvailable(int n) {
        this.describesUntilAvailable = n;
    }

    public synchronized Optional<Db> cluster(String id) {
        return Optional.ofNullable(clusters.get(id));
    }

    public synchronized Optional<Db> instance(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    public synchronized List<String> clusterIds() {
        return List.copyOf(clusters.keySet());
    }

    public synchronized List<String> instanceIds() {
        return List.copyOf(instances.keySet());
    }

    /** {@code cluster:<id>} and {@code instance:<id>} of every deletion, in order. */
    public synchronized List<String> deletions() {
        return List.copyOf(deleted);
    }

    private String newSecret(String owner) {
        String arn = "arn:aws:secretsmanager:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":secret:rds!"
                + (owner.hashCode() & 0x7fffffff) + "-" + UUID.randomUUID().toString().substring(0, 6);
        secrets.put(arn, user, password);
        return arn;
    }

    // ---------------------------------------------------------------- wire

    boolean handles(String action) {
        return switch (action) {
            case "DescribeDBClusters", "DescribeDBInstances", "RestoreDBClusterToPointInTime", "CreateDBInstance",
                 "RestoreDBInstanceFromDBSnapshot", "ModifyDBInstance", "ModifyDBCluster", "DeleteDBInstance",
                 "DeleteDBCluster", "AddTagsToResource", "ListTagsForResource" -> true;
            default -> false;
        };
    }

    /**
     * Whether this fake answers the call rather than {@link FakeRds}: every clone operation, and the
     * instance and cluster describes when they name a clone, or list while clones exist (FakeRds
     * answers them for the sources of scheduled snapshots).
     */
    synchronized boolean answers(String action, Map<String, String> p) {
        return switch (action) {
            case "DescribeDBClusters" -> p.get("DBClusterIdentifier") != null
                    ? clusters.containsKey(p.get("DBClusterIdentifier")) : !(clusters.isEmpty() && instances.isEmpty());
            case "DescribeDBInstances" -> p.get("DBInstanceIdentifier") != null
                    ? instances.containsKey(p.get("DBInstanceIdentifier")) : !(clusters.isEmpty() && instances.isEmpty());
            default -> handles(action);
        };
    }

    synchronized String handle(String action, Map<String, String> p) {
        return switch (action) {
            case "DescribeDBClusters" -> describe(p, true);
            case "DescribeDBInstances" -> describe(p, false);
            case "RestoreDBClusterToPointInTime" -> restoreCluster(p);
            case "CreateDBInstance" -> createInstance(p);
            case "RestoreDBInstanceFromDBSnapshot" -> restoreInstance(p);
            case "ModifyDBInstance" -> modifyInstance(p);
            case "ModifyDBCluster" -> modifyCluster(p);
            case "DeleteDBInstance" -> deleteInstance(p);
            case "DeleteDBCluster" -> deleteCluster(p);
            case "AddTagsToResource" -> addTags(p);
            case "ListTagsForResource" -> listTags(p);
            default -> throw new FakeAwsError("InvalidAction", 400, action);
        };
    }

    private static String id(Map<String, String> p, String name) {
        String id = p.get(name);
        if (id == null || !ID.matcher(id).matches() || id.endsWith("-")) {
            throw new FakeAwsError("InvalidParameterValue", 400, "The parameter " + name + " is not a valid identifier."
                    + " Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens;"
                    + " and must not end with a hyphen or contain two consecutive hyphens.");
        }
        return id;
    }

    private static List<String> list(Map<String, String> p, String prefix) {
        List<String> out = new ArrayList<>();
        for (int n = 1; p.containsKey(prefix + "." + n); n++) {
            out.add(p.get(prefix + "." + n));
        }
        return out;
    }

    private static Map<String, String> tags(Map<String, String> p, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 1; p.containsKey(prefix + ".Tag." + n + ".Key"); n++) {
            out.put(p.get(prefix + ".Tag." + n + ".Key"), p.getOrDefault(prefix + ".Tag." + n + ".Value", ""));
        }
        return out;
    }

    private void progress(Db d) {
        if (d.describesLeft > 0) {
            d.describesLeft--;
            if (d.describesLeft == 0 && ("creating".equals(d.status) || "modifying".equals(d.status))) {
                d.status = "available";
            }
        } else if ("deleting".equals(d.status)) {
            (d.cluster ? clusters : instances).remove(d.id);
        }
        if (d.pendingClass != null) {
            if (d.pendingShown) {
                d.instanceClass = d.pendingClass;
                d.pendingClass = null;
                d.pendingShown = false;
                d.status = "available";
            } else {
                d.pendingShown = true;
            }
        }
        if (d.secretDescribesLeft > 0) {
            d.secretDescribesLeft--;
        } else if (d.secretStatus != null && !"active".equals(d.secretStatus)) {
            d.secretStatus = "active";
        }
    }

    private String describe(Map<String, String> p, boolean cluster) {
        TreeMap<String, Db> all = cluster ? clusters : instances;
        String idParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        List<Db> found = new ArrayList<>();
        if (p.get(idParam) != null) {
            Db d = all.get(p.get(idParam));
            if (d == null) {
                throw cluster ? new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + p.get(idParam) + " not found.")
                        : new FakeAwsError("DBInstanceNotFound", 404, "DBInstance " + p.get(idParam) + " not found.");
            }
            found.add(d);
        } else {
            found.addAll(all.values());
        }
        for (Db d : List.copyOf(found)) {
            progress(d);
        }
        found.removeIf(d -> !all.containsKey(d.id));
        Xml x = Xml.fragment().open(cluster ? "DBClusters" : "DBInstances");
        for (Db d : found) {
            if (cluster) {
                clusterXml(x, d);
            } else {
                instanceXml(x, d);
            }
        }
        return x.close().toString();
    }

    private void clusterXml(Xml x, Db c) {
        x.open("DBCluster").el("DBClusterIdentifier", c.id).el("DBClusterArn", c.arn()).el("Engine", c.engine)
                .el("Status", c.status).el("Endpoint", c.host).el("Port", c.port).el("DatabaseName", c.databaseName)
                .el("ClusterCreateTime", c.created);
        if (c.secretArn != null) {
            x.open("MasterUserSecret").el("SecretArn", c.secretArn).el("SecretStatus", c.secretStatus).close();
        }
        x.open("DBClusterMembers");
        instances.values().stream().filter(i -> c.id.equals(i.clusterId))
                .forEach(i -> x.open("DBClusterMember").el("DBInstanceIdentifier", i.id).el("IsClusterWriter", true).close());
        x.close();
        groupsXml(x, c);
        tagsXml(x, c.tags);
        x.close();
    }

    private void instanceXml(Xml x, Db i) {
        Db cluster = i.clusterId == null ? null : clusters.get(i.clusterId);
        x.open("DBInstance").el("DBInstanceIdentifier", i.id).el("DBInstanceArn", i.arn()).el("Engine", i.engine)
                .el("DBInstanceStatus", i.status).el("DBInstanceClass", i.instanceClass)
                .el("DBName", i.databaseName).el("DBClusterIdentifier", i.clusterId).el("InstanceCreateTime", i.created);
        if (!"creating".equals(i.status) && i.host != null) {
            x.open("Endpoint").el("Address", i.host).el("Port", i.port).close();
        }
        if (i.pendingClass != null) {
            x.open("PendingModifiedValues").el("DBInstanceClass", i.pendingClass).close();
        }
        if (i.secretArn != null) {
            x.open("MasterUserSecret").el("SecretArn", i.secretArn).el("SecretStatus", i.secretStatus).close();
        }
        groupsXml(x, cluster != null ? cluster : i);
        tagsXml(x, i.tags);
        x.close();
    }

    private static void groupsXml(Xml x, Db d) {
        x.open("VpcSecurityGroups");
        d.securityGroups.forEach(g -> x.open("VpcSecurityGroupMembership").el("VpcSecurityGroupId", g)
                .el("Status", "active").close());
        x.close();
    }

    private static void tagsXml(Xml x, Map<String, String> tags) {
        x.open("TagList");
        tags.forEach((k, v) -> x.open("Tag").el("Key", k).el("Value", v).close());
        x.close();
    }

    private String restoreCluster(Map<String, String> p) {
        String id = id(p, "DBClusterIdentifier");
        if (!"copy-on-write".equals(p.get("RestoreType")) || !"true".equals(p.get("UseLatestRestorableTime"))) {
            throw new FakeAwsError("InvalidParameterCombination", 400, "this fake clones copy-on-write at the latest"
                    + " restorable time only");
        }
        Db source = clusters.get(p.get("SourceDBClusterIdentifier"));
        if (source == null) {
            throw new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + p.get("SourceDBClusterIdentifier")
                    + " not found.");
        }
        if (clusters.containsKey(id)) {
            throw new FakeAwsError("DBClusterAlreadyExistsFault", 400, "DB Cluster already exists");
        }
        Db c = new Db(id, true);
        c.engine = source.engine;
        c.databaseName = source.databaseName;
        c.status = "creating";
        c.describesLeft = describesUntilAvailable;
        c.host = host;
        c.port = port;
        c.securityGroups.addAll(list(p, "VpcSecurityGroupIds.VpcSecurityGroupId"));
        c.tags.putAll(tags(p, "Tags"));
        clusters.put(id, c);
        Xml x = Xml.fragment();
        clusterXml(x, c);
        return x.toString();
    }

    private String createInstance(Map<String, String> p) {
        String id = id(p, "DBInstanceIdentifier");
        Db cluster = clusters.get(p.get("DBClusterIdentifier"));
        if (cluster == null) {
            throw new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + p.get("DBClusterIdentifier") + " not found.");
        }
        if (!"available".equals(cluster.status)) {
            throw new FakeAwsError("InvalidDBClusterStateFault", 400, "DB cluster is not available");
        }
        if (instances.containsKey(id)) {
            throw new FakeAwsError("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        Db i = new Db(id, false);
        i.engine = p.get("Engine");
        i.instanceClass = p.get("DBInstanceClass");
        i.clusterId = cluster.id;
        i.status = "creating";
        i.describesLeft = describesUntilAvailable;
        i.host = host;
        i.port = port;
        i.tags.putAll(tags(p, "Tags"));
        instances.put(id, i);
        Xml x = Xml.fragment();
        instanceXml(x, i);
        return x.toString();
    }

    private String restoreInstance(Map<String, String> p) {
        String id = id(p, "DBInstanceIdentifier");
        String snapshotId = p.get("DBSnapshotIdentifier");
        FakeRds.Snapshot s = rds.snapshot(snapshotId).filter(x -> !x.cluster()).orElseThrow(() ->
                new FakeAwsError("DBSnapshotNotFound", 404, "DBSnapshot " + snapshotId + " not found."));
        if (!"available".equals(s.status())) {
            throw new FakeAwsError("InvalidDBSnapshotState", 400, "snapshot is not available");
        }
        if (instances.containsKey(id)) {
            throw new FakeAwsError("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        Db source = instances.get(s.sourceId());
        Db i = new Db(id, false);
        i.engine = source == null ? "postgres" : source.engine;
        i.databaseName = source == null ? null : source.databaseName;
        i.instanceClass = p.get("DBInstanceClass");
        i.status = "creating";
        i.describesLeft = describesUntilAvailable;
        i.host = host;
        i.port = port;
        i.sourceSnapshot = snapshotId;
        i.securityGroups.addAll(list(p, "VpcSecurityGroupIds.VpcSecurityGroupId"));
        i.tags.putAll(tags(p, "Tags"));
        if ("true".equals(p.get("ManageMasterUserPassword"))) {
            i.secretArn = newSecret(id);
            i.secretStatus = "creating";
            i.secretDescribesLeft = 1;
        }
        instances.put(id, i);
        Xml x = Xml.fragment();
        instanceXml(x, i);
        return x.toString();
    }

    private Db existing(TreeMap<String, Db> all, String id, boolean cluster) {
        Db d = all.get(id);
        if (d == null || "deleting".equals(d.status)) {
            throw cluster ? new FakeAwsError("DBClusterNotFoundFault", 404, "DBCluster " + id + " not found.")
                    : new FakeAwsError("DBInstanceNotFound", 404, "DBInstance " + id + " not found.");
        }
        return d;
    }

    private String modifyInstance(Map<String, String> p) {
        Db i = existing(instances, p.get("DBInstanceIdentifier"), false);
        if (!"available".equals(i.status)) {
            throw new FakeAwsError("InvalidDBInstanceState", 400, "DB instance is not available");
        }
        if (p.get("DBInstanceClass") != null && !p.get("DBInstanceClass").equals(i.instanceClass)) {
            i.pendingClass = p.get("DBInstanceClass");
            i.status = "modifying";
        }
        List<String> groups = list(p, "VpcSecurityGroupIds.VpcSecurityGroupId");
        if (!groups.isEmpty()) {
            i.securityGroups.clear();
            i.securityGroups.addAll(groups);
        }
        if ("true".equals(p.get("RotateMasterUserPassword"))) {
            if (i.secretArn == null) {
                throw new FakeAwsError("InvalidParameterCombination", 400, "RotateMasterUserPassword needs a managed"
                        + " master password");
            }
            i.secretStatus = "rotating";
            i.secretDescribesLeft = 1;
        }
        Xml x = Xml.fragment();
        instanceXml(x, i);
        return x.toString();
    }

    private String modifyCluster(Map<String, String> p) {
        Db c = existing(clusters, p.get("DBClusterIdentifier"), true);
        List<String> groups = list(p, "VpcSecurityGroupIds.VpcSecurityGroupId");
        if (!groups.isEmpty()) {
            c.securityGroups.clear();
            c.securityGroups.addAll(groups);
        }
        if ("true".equals(p.get("ManageMasterUserPassword"))) {
            c.secretArn = newSecret(c.id);
            c.secretStatus = "creating";
            c.secretDescribesLeft = 1;
        }
        if ("true".equals(p.get("RotateMasterUserPassword"))) {
            if (c.secretArn == null) {
                throw new FakeAwsError("InvalidParameterCombination", 400, "RotateMasterUserPassword needs a managed"
                        + " master password");
            }
            c.secretStatus = "rotating";
            c.secretDescribesLeft = 1;
        }
        Xml x = Xml.fragment();
        clusterXml(x, c);
        return x.toString();
    }

    private String deleteInstance(Map<String, String> p) {
        Db i = existing(instances, p.get("DBInstanceIdentifier"), false);
        if (!"true".equals(p.get("SkipFinalSnapshot"))) {
            throw new FakeAwsError("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier is required unless"
                    + " SkipFinalSnapshot is true");
        }
        i.status = "deleting";
        i.describesLeft = 0;
        deleted.add("instance:" + i.id);
        Xml x = Xml.fragment();
        instanceXml(x, i);
        return x.toString();
    }

    private String deleteCluster(Map<String, String> p) {
        Db c = existing(clusters, p.get("DBClusterIdentifier"), true);
        if (!"true".equals(p.get("SkipFinalSnapshot"))) {
            throw new FakeAwsError("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier is required unless"
                    + " SkipFinalSnapshot is true");
        }
        boolean busy = instances.values().stream().anyMatch(i -> c.id.equals(i.clusterId) && !"deleting".equals(i.status));
        if (busy) {
            throw new FakeAwsError("InvalidDBClusterStateFault", 400, "Cluster cannot be deleted, it still contains DB"
                    + " instances in non-deleting state.");
        }
        c.status = "deleting";
        deleted.add("cluster:" + c.id);
        Xml x = Xml.fragment();
        clusterXml(x, c);
        return x.toString();
    }

    private Db byArn(String arn) {
        for (Db d : clusters.values()) {
            if (d.arn().equals(arn)) {
                return d;
            }
        }
        for (Db d : instances.values()) {
            if (d.arn().equals(arn)) {
                return d;
            }
        }
        throw new FakeAwsError(arn != null && arn.contains(":cluster:") ? "DBClusterNotFoundFault" : "DBInstanceNotFound",
                404, "resource " + arn + " not found");
    }

    private String addTags(Map<String, String> p) {
        byArn(p.get("ResourceName")).tags.putAll(tags(p, "Tags"));
        return "";
    }

    private String listTags(Map<String, String> p) {
        Xml x = Xml.fragment();
        tagsXml(x, byArn(p.get("ResourceName")).tags);
        return x.toString();
    }
}
