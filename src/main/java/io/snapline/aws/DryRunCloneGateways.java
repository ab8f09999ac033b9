package io.snapline.aws;

import io.snapline.gateway.CloneGateway;
import io.snapline.gateway.SecretsGateway;
import io.snapline.error.PermanentProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dry run of the clone gateways, by the rules of {@link DryRunGateways} (same logger, same lines):
 * every RDS call that would change something (RestoreDBClusterToPointInTime, CreateDBInstance,
 * RestoreDBInstanceFromDBSnapshot, ModifyDBInstance, ModifyDBCluster, DeleteDBInstance, DeleteDBCluster,
 * AddTagsToResource) logs {@code DRY-RUN would call rds:<Op> <the exact SDK request>} and answers a
 * synthetic success; what it "created" is remembered, so the chain walks on.
 *
 * <p>Reads go to AWS when it is reachable (online); offline (local mode without an endpoint) each read
 * logs {@code DRY-RUN offline, assuming ...}: a source is assumed to be an available Aurora PostgreSQL
 * cluster, and what this dry run created is {@code available} at once, with the last class and security
 * groups asked for. Secrets Manager's GetSecretValue is a read: online it is made (the credentials are
 * needed to mask a clone, which a dry run only does when the policy points the masking at a local
 * database); offline it is logged and refused, since there is no secret to read.
 */
public final class DryRunCloneGateways {

    private static final Logger LOG = LoggerFactory.getLogger(DryRunGateways.LOGGER);

    private final CloneGateway real;
    private final SecretsGateway realSecrets;
    private final boolean online;
    private final String region;
    private final Map<String, CloneGateway.DbCluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, CloneGateway.DbInstance> instances = new ConcurrentHashMap<>();

    public DryRunCloneGateways(CloneGateway real, SecretsGateway realSecrets, boolean online, String region) {
        this.real = real;
        this.realSecrets = realSecrets;
        this.online = online;
        this.region = region;
    }

    public CloneGateway clones() {
        return new Clones();
    }

    public SecretsGateway secrets() {
        return secretId -> {
            if (online) {
                LOG.info("DRY-RUN reads secretsmanager:GetSecretValue {}", SdkSecretsGateway.getSecretValueRequest(secretId));
                return realSecrets.credentials(secretId);
            }
            LOG.info("DRY-RUN offline, assuming secretsmanager:GetSecretValue {} -> no secret to read offline",
                    SdkSecretsGateway.getSecretValueRequest(secretId));
            throw new PermanentProcessingException("dry run offline: secret " + secretId + " cannot be read; point the"
                    + " policy's masking at a local database (local-jdbc-url) to see the masking work");
        };
    }

    private static void wouldCall(String action, Object request) {
        LOG.info("DRY-RUN would call {} {}", action, request);
    }

    private static void assuming(String action, Object request, Object answer) {
        LOG.info("DRY-RUN offline, assuming {} {} -> {}", action, request, answer);
    }

    private String arn(String type, String id) {
        return "arn:aws:rds:" + region + ":" + DryRunGateways.OFFLINE_ACCOUNT + ":" + type + ":" + id;
    }

    private final class Clones implements CloneGateway {

        @Override
        public Optional<DbCluster> cluster(String clusterId) {
            DbCluster known = clusters.get(clusterId);
            if (known != null) {
                return Optional.of(known);
            }
            if (online) {
                return real.cluster(clusterId);
            }
            DbCluster assumed = new DbCluster(clusterId, arn("cluster", clusterId), "aurora-postgresql", "available",
                    Optional.of(clusterId + ".cluster.localhost"), 5432, Optional.empty(), Optional.empty(),
                    Optional.empty(), Map.of(), Optional.empty(), List.of(), Map.of(), Optional.empty());
            assuming("rds:DescribeDBClusters", SdkCloneGateway.describeClusterRequest(clusterId),
                    clusterId + " is an available aurora-postgresql cluster");
            return Optional.of(assumed);
        }

        @Override
        public Optional<DbInstance> instance(String instanceId) {
            DbInstance known = instances.get(instanceId);
            if (known != null) {
                return Optional.of(known);
            }
            if (online) {
                return real.instance(instanceId);
            }
            assuming("rds:DescribeDBInstances", SdkCloneGateway.describeInstanceRequest(instanceId), "no such instance");
            return Optional.empty();
        }

        @Override
        public List<DbCluster> clusters() {
            List<DbCluster> out = new ArrayList<>(online ? real.clusters() : List.of());
            out.removeIf(c -> clusters.containsKey(c.id()));
            out.addAll(clusters.values());
            return out;
        }

        @Override
        public List<DbInstance> instances() {
            List<DbInstance> out = new ArrayList<>(online ? real.instances() : List.of());
            out.removeIf(i -> instances.containsKey(i.id()));
            out.addAll(instances.values());
            return out;
        }

        @Override
        public CreateResult restoreClusterClone(ClusterCloneRequest r) {
            wouldCall("rds:RestoreDBClusterToPointInTime", SdkCloneGateway.restoreClusterRequest(r));
            if (clusters.containsKey(r.clusterId()) || online && real.cluster(r.clusterId()).isPresent()) {
                return CreateResult.ALREADY_EXISTS;
            }
            String engine = cluster(r.sourceClusterId()).map(DbCluster::engine).orElse("aurora-postgresql");
            clusters.put(r.clusterId(), new DbCluster(r.clusterId(), arn("cluster", r.clusterId()), engine, "available",
                    Optional.of(r.clusterId() + ".cluster.localhost"), 5432, Optional.empty(), Optional.empty(),
                    Optional.empty(), active(r.securityGroups()), r.subnetGroup(), List.of(), r.tags(),
                    Optional.of(Instant.now())));
            return CreateResult.CREATED;
        }

        @Override
        public CreateResult createClusterInstance(ClusterInstanceRequest r) {
            wouldCall("rds:CreateDBInstance", SdkCloneGateway.createInstanceRequest(r));
            if (instances.containsKey(r.instanceId()) || online && real.instance(r.instanceId()).isPresent()) {
                return CreateResult.ALREADY_EXISTS;
            }
            instances.put(r.instanceId(), new DbInstance(r.instanceId(), arn("db", r.instanceId()), r.engine(),
                    "available", r.instanceClass(), Optional.empty(), Optional.of(r.instanceId() + ".localhost"), 5432,
                    Optional.empty(), Optional.of(r.clusterId()), Optional.empty(), Optional.empty(), Map.of(),
                    Optional.empty(), r.tags(), Optional.of(Instant.now())));
            clusters.computeIfPresent(r.clusterId(), (k, c) -> {
                List<String> members = new ArrayList<>(c.members());
                members.add(r.instanceId());
                return withMembers(c, members);
            });
            return CreateResult.CREATED;
        }

        @Override
        public CreateResult restoreInstance(InstanceRestoreRequest r) {
            wouldCall("rds:RestoreDBInstanceFromDBSnapshot", SdkCloneGateway.restoreInstanceRequest(r));
            if (instances.containsKey(r.instanceId()) || online && real.instance(r.instanceId()).isPresent()) {
                return CreateResult.ALREADY_EXISTS;
            }
            instances.put(r.instanceId(), new DbInstance(r.instanceId(), arn("db", r.instanceId()), "postgres",
                    "available", r.instanceClass(), Optional.empty(), Optional.of(r.instanceId() + ".localhost"), 5432,
                    Optional.empty(), Optional.empty(),
                    Optional.of("arn:aws:secretsmanager:" + region + ":" + DryRunGateways.OFFLINE_ACCOUNT
                            + ":secret:rds!db-dry-run-" + r.instanceId()), Optional.of("active"),
                    active(r.securityGroups()), r.subnetGroup(), r.tags(), Optional.of(Instant.now())));
            return CreateResult.CREATED;
        }

        @Override
        public void modifyInstance(InstanceModification m) {
            wouldCall("rds:ModifyDBInstance", SdkCloneGateway.modifyInstanceRequest(m));
            instances.computeIfPresent(m.instanceId(), (k, i) -> new DbInstance(i.id(), i.arn(), i.engine(), i.status(),
                    m.instanceClass().orElse(i.instanceClass()), Optional.empty(), i.endpoint(), i.port(), i.databaseName(),
                    i.clusterId(), i.masterUserSecretArn(), i.masterUserSecretStatus(),
                    m.securityGroups().map(DryRunCloneGateways::active).orElse(i.securityGroups()), i.subnetGroup(),
                    i.tags(), i.createTime()));
        }

        @Override
        public void modifyCluster(ClusterModification m) {
            wouldCall("rds:ModifyDBCluster", SdkCloneGateway.modifyClusterRequest(m));
            clusters.computeIfPresent(m.clusterId(), (k, c) -> new DbCluster(c.id(), c.arn(), c.engine(), c.status(),
                    c.endpoint(), c.port(), c.databaseName(),
                    m.manageMasterUserPassword() || m.rotateMasterUserPassword()
                            ? Optional.of("arn:aws:secretsmanager:" + region + ":" + DryRunGateways.OFFLINE_ACCOUNT
                            + ":secret:rds!cluster-dry-run-" + c.id()) : c.masterUserSecretArn(),
                    m.manageMasterUserPassword() || m.rotateMasterUserPassword() ? Optional.of("active")
                            : c.masterUserSecretStatus(),
                    m.securityGroups().map(DryRunCloneGateways::active).orElse(c.securityGroups()), c.subnetGroup(),
                    c.members(), c.tags(), c.createTime()));
        }

        @Override
        public DeleteResult deleteInstance(String instanceId) {
            wouldCall("rds:DeleteDBInstance", SdkCloneGateway.deleteInstanceRequest(instanceId));
            DbInstance gone = instances.remove(instanceId);
            if (gone != null) {
                gone.clusterId().ifPresent(c -> clusters.computeIfPresent(c, (k, cl) -> withMembers(cl,
                        cl.members().stream().filter(m -> !m.equals(instanceId)).toList())));
            }
            return DeleteResult.DELETED;
        }

        @Override
        public DeleteResult deleteCluster(String clusterId) {
            wouldCall("rds:DeleteDBCluster", SdkCloneGateway.deleteClusterRequest(clusterId));
            clusters.remove(clusterId);
            return DeleteResult.DELETED;
        }

        @Override
        public void addTags(String resourceArn, Map<String, String> tags) {
            wouldCall("rds:AddTagsToResource", SdkCloneGateway.addTagsRequest(resourceArn, tags));
            clusters.replaceAll((k, c) -> c.arn().equals(resourceArn) ? new DbCluster(c.id(), c.arn(), c.engine(),
                    c.status(), c.endpoint(), c.port(), c.databaseName(), c.masterUserSecretArn(),
                    c.masterUserSecretStatus(), c.securityGroups(), c.subnetGroup(), c.members(), merged(c.tags(), tags),
                    c.createTime()) : c);
            instances.replaceAll((k, i) -> i.arn().equals(resourceArn) ? new DbInstance(i.id(), i.arn(), i.engine(),
                    i.status(), i.instanceClass(), i.pendingInstanceClass(), i.endpoint(), i.port(), i.databaseName(),
                    i.clusterId(), i.masterUserSecretArn(), i.masterUserSecretStatus(), i.securityGroups(),
                    i.subnetGroup(), merged(i.tags(), tags), i.createTime()) : i);
        }

        @Override
        public Map<String, String> tags(String resourceArn) {
            Optional<Map<String, String>> known = clusters.values().stream().filter(c -> c.arn().equals(resourceArn))
                    .map(DbCluster::tags).findFirst()
                    .or(() -> instances.values().stream().filter(i -> i.arn().equals(resourceArn))
                            .map(DbInstance::tags).findFirst());
            if (known.isPresent()) {
                return known.get();
            }
            if (online) {
                return real.tags(resourceArn);
            }
            assuming("rds:ListTagsForResource", SdkCloneGateway.listTagsRequest(resourceArn), "no tags");
            return Map.of();
        }
    }

    private static CloneGateway.DbCluster withMembers(CloneGateway.DbCluster c, List<String> members) {
        return new CloneGateway.DbCluster(c.id(), c.arn(), c.engine(), c.status(), c.endpoint(), c.port(),
                c.databaseName(), c.masterUserSecretArn(), c.masterUserSecretStatus(), c.securityGroups(),
                c.subnetGroup(), members, c.tags(), c.createTime());
    }

    private static Map<String, String> active(List<String> groups) {
        Map<String, String> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g, "active"));
        return out;
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }
}
