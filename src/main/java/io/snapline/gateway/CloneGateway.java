package io.snapline.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The RDS side of clones: Aurora copy-on-write clones (RestoreDBClusterToPointInTime, then
 * CreateDBInstance in the new cluster), RDS instances restored from their newest snapshot
 * (RestoreDBInstanceFromDBSnapshot), their description, modification (class, security groups, the
 * RDS-managed master secret), tags and deletion (instances first, then the cluster, no final snapshot).
 *
 * <p>"Already exists" on create and "not found" on delete are answers, not errors
 * ({@link CreateResult#ALREADY_EXISTS}, {@link DeleteResult#ALREADY_GONE}); a caller that adopts an
 * existing resource must check its tags say it is the same clone. Other AWS errors are rethrown for the
 * step runner's classifier.
 */
public interface CloneGateway {

    /** Tag keys every clone carries (the service's clone tags). */
    String TAG_CLONE = "snapline:clone";
    String TAG_CLONE_OF = "snapline:clone-of";
    String TAG_REQUESTED_BY = "snapline:requested-by";
    String TAG_EXPIRES_AT = "snapline:expires-at";
    String TAG_POLICY = "snapline:clone-policy";
    /** When the clone was handed over (absent before: a clone without it is still being set up). */
    String TAG_HANDED_OVER = "snapline:handed-over";
    /** {@link #STATE_FAILED} once the pipeline failed: the reaper deletes it at its next run. */
    String TAG_STATE = "snapline:clone-state";
    String STATE_FAILED = "failed";

    Optional<DbCluster> cluster(String clusterId);

    Optional<DbInstance> instance(String instanceId);

    /** Every DB cluster of the account and region (page by page), with its tags. */
    List<DbCluster> clusters();

    /** Every DB instance of the account and region (page by page), with its tags. */
    List<DbInstance> instances();

    /** RestoreDBClusterToPointInTime, {@code RestoreType=copy-on-write}, {@code UseLatestRestorableTime=true}. */
    CreateResult restoreClusterClone(ClusterCloneRequest request);

    /** CreateDBInstance in a cluster. */
    CreateResult createClusterInstance(ClusterInstanceRequest request);

    /** RestoreDBInstanceFromDBSnapshot with {@code ManageMasterUserPassword=true}: the clone's own secret from the start. */
    CreateResult restoreInstance(InstanceRestoreRequest request);

    /** ModifyDBInstance, applied immediately. */
    void modifyInstance(InstanceModification modification);

    /** ModifyDBCluster, applied immediately. */
    void modifyCluster(ClusterModification modification);

    /** DeleteDBInstance, {@code SkipFinalSnapshot=true}, {@code DeleteAutomatedBackups=true}. */
    DeleteResult deleteInstance(String instanceId);

    /** DeleteDBCluster, {@code SkipFinalSnapshot=true}, {@code DeleteAutomatedBackups=true}. */
    DeleteResult deleteCluster(String clusterId);

    /** AddTagsToResource (new values replace old ones of the same key). */
    void addTags(String resourceArn, Map<String, String> tags);

    /** ListTagsForResource: the resource's tags as RDS holds them now. */
    Map<String, String> tags(String resourceArn);

    enum CreateResult { CREATED, ALREADY_EXISTS }

    enum DeleteResult { DELETED, ALREADY_GONE }

    /**
     * A DB cluster as RDS describes it.
     *
     * @param masterUserSecretArn the RDS-managed master secret ({@code MasterUserSecret.SecretArn}), if any
     * @param securityGroups      VPC security group ids with their status ({@code active}, {@code adding}, …)
     * @param members             the ids of its DB instances
     */
    record DbCluster(String id, String arn, String engine, String status, Optional<String> endpoint, int port,
                     Optional<String> databaseName, Optional<String> masterUserSecretArn,
                     Optional<String> masterUserSecretStatus, Map<String, String> securityGroups,
                     Optional<String> subnetGroup, List<String> members, Map<String, String> tags,
                     Optional<Instant> createTime) {
        public DbCluster {
            Objects.requireNonNull(id, "id");
            securityGroups = Map.copyOf(securityGroups);
            members = List.copyOf(members);
            tags = Map.copyOf(tags);
        }

        public boolean aurora() {
            return engine != null && engine.startsWith("aurora");
        }
    }

    /**
     * A DB instance as RDS describes it.
     *
     * @param pendingInstanceClass the class a modification is applying, if any
     */
    record DbInstance(String id, String arn, String engine, String status, String instanceClass,
                      Optional<String> pendingInstanceClass, Optional<String> endpoint, int port,
                      Optional<String> databaseName, Optional<String> clusterId, Optional<String> masterUserSecretArn,
                      Optional<String> masterUserSecretStatus, Map<String, String> securityGroups,
                      Optional<String> subnetGroup, Map<String, String> tags, Optional<Instant> createTime) {
        public DbInstance {
            Objects.requireNonNull(id, "id");
            securityGroups = Map.copyOf(securityGroups);
            tags = Map.copyOf(tags);
        }
    }

    record ClusterCloneRequest(String clusterId, String sourceClusterId, Optional<String> subnetGroup,
                               List<String> securityGroups, Optional<String> clusterParameterGroup,
                               Map<String, String> tags) {
        public ClusterCloneRequest {
            securityGroups = List.copyOf(securityGroups);
            tags = Map.copyOf(tags);
        }
    }

    record ClusterInstanceRequest(String instanceId, String clusterId, String instanceClass, String engine,
                                  Optional<String> parameterGroup, Map<String, String> tags) {
        public ClusterInstanceRequest {
            tags = Map.copyOf(tags);
        }
    }

    record InstanceRestoreRequest(String instanceId, String snapshotId, String instanceClass,
                                  Optional<String> subnetGroup, List<String> securityGroups,
                                  Optional<String> parameterGroup, Map<String, String> tags) {
        public InstanceRestoreRequest {
            securityGroups = List.copyOf(securityGroups);
            tags = Map.copyOf(tags);
        }
    }

    /** What to change on an instance; empty / false: leave it. */
    record InstanceModification(String instanceId, Optional<String> instanceClass,
                                Optional<List<String>> securityGroups, boolean rotateMasterUserPassword) {
    }

    /** What to change on a cluster; empty / false: leave it. */
    record ClusterModification(String clusterId, Optional<List<String>> securityGroups,
                               boolean manageMasterUserPassword, boolean rotateMasterUserPassword) {
    }
}
