package io.snapline.aws;

import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.gateway.CloneGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DeleteDbClusterRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterToPointInTimeRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link CloneGateway} over the RDS client. Requests are built by static methods, so the dry run logs
 * exactly what this gateway would send. Errors are read through the RDS table of
 * {@link io.snapline.error.AwsErrorCodes}: "already exists" on a create is {@link CreateResult#ALREADY_EXISTS},
 * "not found" on describe is empty and on delete {@link DeleteResult#ALREADY_GONE}; everything else is
 * rethrown for the step runner's classifier (a quota is permanent, a cluster not ready yet re-checks).
 */
public final class SdkCloneGateway implements CloneGateway {

    private final RdsClient rds;

    public SdkCloneGateway(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public Optional<DbCluster> cluster(String clusterId) {
        try {
            return rds.describeDBClusters(describeClusterRequest(clusterId)).dbClusters().stream().findFirst()
                    .map(SdkCloneGateway::toCluster);
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<DbInstance> instance(String instanceId) {
        try {
            return rds.describeDBInstances(describeInstanceRequest(instanceId)).dbInstances().stream().findFirst()
                    .map(SdkCloneGateway::toInstance);
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<DbCluster> clusters() {
        return rds.describeDBClustersPaginator(DescribeDbClustersRequest.builder().maxRecords(100).build()).stream()
                .flatMap(page -> page.dbClusters().stream()).map(SdkCloneGateway::toCluster).toList();
    }

    @Override
    public List<DbInstance> instances() {
        return rds.describeDBInstancesPaginator(DescribeDbInstancesRequest.builder().maxRecords(100).build()).stream()
                .flatMap(page -> page.dbInstances().stream()).map(SdkCloneGateway::toInstance).toList();
    }

    @Override
    public CreateResult restoreClusterClone(ClusterCloneRequest request) {
        return create(() -> rds.restoreDBClusterToPointInTime(restoreClusterRequest(request)));
    }

    @Override
    public CreateResult createClusterInstance(ClusterInstanceRequest request) {
        return create(() -> rds.createDBInstance(createInstanceRequest(request)));
    }

    @Override
    public CreateResult restoreInstance(InstanceRestoreRequest request) {
        return create(() -> rds.restoreDBInstanceFromDBSnapshot(restoreInstanceRequest(request)));
    }

    @Override
    public void modifyInstance(InstanceModification modification) {
        rds.modifyDBInstance(modifyInstanceRequest(modification));
    }

    @Override
    public void modifyCluster(ClusterModification modification) {
        rds.modifyDBCluster(modifyClusterRequest(modification));
    }

    @Override
    public DeleteResult deleteInstance(String instanceId) {
        return delete(() -> rds.deleteDBInstance(deleteInstanceRequest(instanceId)));
    }

    @Override
    public DeleteResult deleteCluster(String clusterId) {
        return delete(() -> rds.deleteDBCluster(deleteClusterRequest(clusterId)));
    }

    @Override
    public void addTags(String resourceArn, Map<String, String> tags) {
        rds.addTagsToResource(addTagsRequest(resourceArn, tags));
    }

    @Override
    public Map<String, String> tags(String resourceArn) {
        return tagMap(rds.listTagsForResource(listTagsRequest(resourceArn)).tagList());
    }

    private static CreateResult create(Runnable call) {
        try {
            call.run();
            return CreateResult.CREATED;
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.ALREADY_EXISTS)) {
                return CreateResult.ALREADY_EXISTS;
            }
            throw e;
        }
    }

    private static DeleteResult delete(Runnable call) {
        try {
            call.run();
            return DeleteResult.DELETED;
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return DeleteResult.ALREADY_GONE;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- requests

    static DescribeDbClustersRequest describeClusterRequest(String clusterId) {
        return DescribeDbClustersRequest.builder().dbClusterIdentifier(clusterId).build();
    }

    static DescribeDbInstancesRequest describeInstanceRequest(String instanceId) {
        return DescribeDbInstancesRequest.builder().dbInstanceIdentifier(instanceId).build();
    }

    static RestoreDbClusterToPointInTimeRequest restoreClusterRequest(ClusterCloneRequest r) {
        RestoreDbClusterToPointInTimeRequest.Builder b = RestoreDbClusterToPointInTimeRequest.builder()
                .dbClusterIdentifier(r.clusterId())
                .sourceDBClusterIdentifier(r.sourceClusterId())
                .restoreType("copy-on-write")
                .useLatestRestorableTime(true)
                .vpcSecurityGroupIds(r.securityGroups())
                .deletionProtection(false)
                .tags(sdkTags(r.tags()));
        r.subnetGroup().ifPresent(b::dbSubnetGroupName);
        r.clusterParameterGroup().ifPresent(b::dbClusterParameterGroupName);
        return b.build();
    }

    static CreateDbInstanceRequest createInstanceRequest(ClusterInstanceRequest r) {
        CreateDbInstanceRequest.Builder b = CreateDbInstanceRequest.builder()
                .dbInstanceIdentifier(r.instanceId())
                .dbClusterIdentifier(r.clusterId())
                .dbInstanceClass(r.instanceClass())
                .engine(r.engine())
                .publiclyAccessible(false)
                .tags(sdkTags(r.tags()));
        r.parameterGroup().ifPresent(b::dbParameterGroupName);
        return b.build();
    }

    static RestoreDbInstanceFromDbSnapshotRequest restoreInstanceRequest(InstanceRestoreRequest r) {
        RestoreDbInstanceFromDbSnapshotRequest.Builder b = RestoreDbInstanceFromDbSnapshotRequest.builder()
                .dbInstanceIdentifier(r.instanceId())
                .dbSnapshotIdentifier(r.snapshotId())
                .dbInstanceClass(r.instanceClass())
                .vpcSecurityGroupIds(r.securityGroups())
                .publiclyAccessible(false)
                .multiAZ(false)
                .deletionProtection(false)
                .manageMasterUserPassword(true)
                .tags(sdkTags(r.tags()));
        r.subnetGroup().ifPresent(b::dbSubnetGroupName);
        r.parameterGroup().ifPresent(b::dbParameterGroupName);
        return b.build();
    }

    static ModifyDbInstanceRequest modifyInstanceRequest(InstanceModification m) {
        ModifyDbInstanceRequest.Builder b = ModifyDbInstanceRequest.builder()
                .dbInstanceIdentifier(m.instanceId()).applyImmediately(true);
        m.instanceClass().ifPresent(b::dbInstanceClass);
        m.securityGroups().ifPresent(b::vpcSecurityGroupIds);
        if (m.rotateMasterUserPassword()) {
            b.rotateMasterUserPassword(true);
        }
        return b.build();
    }

    static ModifyDbClusterRequest modifyClusterRequest(ClusterModification m) {
        ModifyDbClusterRequest.Builder b = ModifyDbClusterRequest.builder()
                .dbClusterIdentifier(m.clusterId()).applyImmediately(true);
        m.securityGroups().ifPresent(b::vpcSecurityGroupIds);
        if (m.manageMasterUserPassword()) {
            b.manageMasterUserPassword(true);
        }
        if (m.rotateMasterUserPassword()) {
            b.rotateMasterUserPassword(true);
        }
        return b.build();
    }

    static DeleteDbInstanceRequest deleteInstanceRequest(String instanceId) {
        return DeleteDbInstanceRequest.builder().dbInstanceIdentifier(instanceId).skipFinalSnapshot(true)
                .deleteAutomatedBackups(true).build();
    }

    static DeleteDbClusterRequest deleteClusterRequest(String clusterId) {
        return DeleteDbClusterRequest.builder().dbClusterIdentifier(clusterId).skipFinalSnapshot(true)
                .deleteAutomatedBackups(true).build();
    }

    static AddTagsToResourceRequest addTagsRequest(String arn, Map<String, String> tags) {
        return AddTagsToResourceRequest.builder().resourceName(arn).tags(sdkTags(tags)).build();
    }

    static ListTagsForResourceRequest listTagsRequest(String arn) {
        return ListTagsForResourceRequest.builder().resourceName(arn).build();
    }

    private static List<Tag> sdkTags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    // ---------------------------------------------------------------- answers

    static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            if (t.key() != null && t.value() != null) {
                out.put(t.key(), t.value());
            }
        }
        return out;
    }

    private static Map<String, String> groups(List<VpcSecurityGroupMembership> groups) {
        Map<String, String> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g.vpcSecurityGroupId(), g.status() == null ? "" : g.status()));
        return out;
    }

    static DbCluster toCluster(DBCluster c) {
        return new DbCluster(c.dbClusterIdentifier(), c.dbClusterArn(), c.engine(), c.status(),
                Optional.ofNullable(c.endpoint()), c.port() == null ? 0 : c.port(), Optional.ofNullable(c.databaseName()),
                Optional.ofNullable(c.masterUserSecret()).map(s -> s.secretArn()),
                Optional.ofNullable(c.masterUserSecret()).map(s -> s.secretStatus()),
                groups(c.vpcSecurityGroups()), Optional.ofNullable(c.dbSubnetGroup()),
                c.dbClusterMembers().stream().map(DBClusterMember::dbInstanceIdentifier).toList(),
                tagMap(c.tagList()), Optional.ofNullable(c.clusterCreateTime()));
    }

    static DbInstance toInstance(DBInstance i) {
        return new DbInstance(i.dbInstanceIdentifier(), i.dbInstanceArn(), i.engine(), i.dbInstanceStatus(),
                i.dbInstanceClass(),
                Optional.ofNullable(i.pendingModifiedValues()).map(p -> p.dbInstanceClass()),
                Optional.ofNullable(i.endpoint()).map(e -> e.address()),
                i.endpoint() == null || i.endpoint().port() == null ? 0 : i.endpoint().port(),
                Optional.ofNullable(i.dbName()), Optional.ofNullable(i.dbClusterIdentifier()),
                Optional.ofNullable(i.masterUserSecret()).map(s -> s.secretArn()),
                Optional.ofNullable(i.masterUserSecret()).map(s -> s.secretStatus()),
                groups(i.vpcSecurityGroups()),
                Optional.ofNullable(i.dbSubnetGroup()).map(g -> g.dbSubnetGroupName()),
                tagMap(i.tagList()), Optional.ofNullable(i.instanceCreateTime()));
    }
}
