package io.snapline.aws;

import io.snapline.error.AwsErrorCodes;
import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.gateway.SnapshotCreationGateway;
import io.snapline.message.SnapshotRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbClusterSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.OptionGroupMembership;
import software.amazon.awssdk.services.rds.model.RdsRequest;
import software.amazon.awssdk.services.rds.model.Tag;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SnapshotCreationGateway} over the RDS client. Tags go on the create call itself (so a snapshot
 * is never untagged, even for a moment; IAM then needs {@code rds:AddTagsToResource} as well). Errors
 * are read through the RDS table of {@link AwsErrorCodes}: ALREADY_EXISTS, the source's NOT_FOUND and
 * its state ({@code InvalidDBInstanceState}, {@code InvalidDBClusterStateFault}) become results, and
 * so does {@code SnapshotQuotaExceeded}; everything else is rethrown.
 */
public final class SdkSnapshotCreationGateway implements SnapshotCreationGateway {

    /** RDS's wire code for a used-up manual-snapshot quota. */
    static final String QUOTA_CODE = "SnapshotQuotaExceeded";

    private final RdsClient rds;

    public SdkSnapshotCreationGateway(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public CreateResult create(SnapshotRef.Scope scope, String identifier, String sourceId, Map<String, String> tags) {
        try {
            if (scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT) {
                return CreateResult.created(rds.createDBClusterSnapshot(createClusterSnapshotRequest(identifier,
                        sourceId, tags)).dbClusterSnapshot().dbClusterSnapshotArn());
            }
            return CreateResult.created(rds.createDBSnapshot(createDbSnapshotRequest(identifier, sourceId, tags))
                    .dbSnapshot().dbSnapshotArn());
        } catch (AwsServiceException e) {
            String code = AwsFailures.code(e);
            String detail = AwsFailures.describe(e);
            if (QUOTA_CODE.equals(code)) {
                return CreateResult.of(CreateStatus.QUOTA_EXCEEDED, detail);
            }
            Optional<AwsErrorMeaning> meaning = AwsFailures.meaning(AwsService.RDS, e);
            if (meaning.isPresent() && !e.isThrottlingException()) {
                switch (meaning.get()) {
                    case ALREADY_EXISTS -> {
                        return CreateResult.of(CreateStatus.ALREADY_EXISTS, detail);
                    }
                    case NOT_FOUND -> {
                        return CreateResult.of(CreateStatus.SOURCE_NOT_FOUND, detail);
                    }
                    case NOT_READY -> {
                        return CreateResult.of(CreateStatus.SOURCE_NOT_READY, detail);
                    }
                    default -> {
                    }
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<SourceInfo> source(SnapshotRef.Scope scope, String sourceId) {
        try {
            if (scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT) {
                return rds.describeDBClusters(DescribeDbClustersRequest.builder().dbClusterIdentifier(sourceId).build())
                        .dbClusters().stream().findFirst().map(SdkSnapshotCreationGateway::toInfo);
            }
            return rds.describeDBInstances(DescribeDbInstancesRequest.builder().dbInstanceIdentifier(sourceId).build())
                    .dbInstances().stream().findFirst().map(SdkSnapshotCreationGateway::toInfo);
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<SourceInfo> sources(SnapshotRef.Scope scope) {
        if (scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT) {
            return rds.describeDBClustersPaginator(DescribeDbClustersRequest.builder().maxRecords(100).build()).stream()
                    .flatMap(p -> p.dbClusters().stream()).map(SdkSnapshotCreationGateway::toInfo).toList();
        }
        return rds.describeDBInstancesPaginator(DescribeDbInstancesRequest.builder().maxRecords(100).build()).stream()
                .flatMap(p -> p.dbInstances().stream()).filter(i -> i.dbClusterIdentifier() == null)
                .map(SdkSnapshotCreationGateway::toInfo).toList();
    }

    // ---------------------------------------------------------------- requests (also logged by the dry run)

    static CreateDbSnapshotRequest createDbSnapshotRequest(String identifier, String instanceId, Map<String, String> tags) {
        return CreateDbSnapshotRequest.builder().dbSnapshotIdentifier(identifier).dbInstanceIdentifier(instanceId)
                .tags(tags(tags)).build();
    }

    static CreateDbClusterSnapshotRequest createClusterSnapshotRequest(String identifier, String clusterId,
                                                                      Map<String, String> tags) {
        return CreateDbClusterSnapshotRequest.builder().dbClusterSnapshotIdentifier(identifier)
                .dbClusterIdentifier(clusterId).tags(tags(tags)).build();
    }

    static RdsRequest createRequest(SnapshotRef.Scope scope, String identifier, String sourceId, Map<String, String> tags) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? createClusterSnapshotRequest(identifier, sourceId, tags)
                : createDbSnapshotRequest(identifier, sourceId, tags);
    }

    static String createOperation(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "CreateDBClusterSnapshot" : "CreateDBSnapshot";
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static SourceInfo toInfo(DBInstance i) {
        Optional<String> group = i.optionGroupMemberships().stream().map(OptionGroupMembership::optionGroupName)
                .filter(n -> n != null && !n.startsWith("default:")).findFirst();
        return new SourceInfo(i.dbInstanceIdentifier(), i.dbInstanceArn(), SnapshotRef.Scope.DB_SNAPSHOT,
                i.dbInstanceStatus(), Boolean.TRUE.equals(i.storageEncrypted()), Optional.ofNullable(i.kmsKeyId()), group);
    }

    private static SourceInfo toInfo(DBCluster c) {
        return new SourceInfo(c.dbClusterIdentifier(), c.dbClusterArn(), SnapshotRef.Scope.CLUSTER_SNAPSHOT,
                c.status(), Boolean.TRUE.equals(c.storageEncrypted()), Optional.ofNullable(c.kmsKeyId()), Optional.empty());
    }
}
