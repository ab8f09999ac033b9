package io.snapline.aws;

import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DeleteDbClusterSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.RdsRequest;
import software.amazon.awssdk.services.rds.model.Tag;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@link SnapshotGateway} over the RDS client: DescribeDBSnapshots, DescribeDBClusterSnapshots,
 * DeleteDBSnapshot, DeleteDBClusterSnapshot.
 *
 * <p>Listing pages on {@code Marker} (100 a page) and asks for shared and public snapshots too, so
 * callers can see and refuse them. Whether a describe without {@code SnapshotType} includes AWS
 * Backup snapshots is not documented clearly, so DB snapshots are listed in two passes: everything
 * but {@code awsbackup}, then {@code SnapshotType=awsbackup}; each snapshot is reported once either
 * way. Describing one snapshot of this account goes by its identifier (whether RDS takes an ARN there
 * for the caller's own snapshots is not documented, and an emulator answers "not found") and passes the
 * {@code SnapshotType} its name implies ({@code rds:} → automated, {@code awsbackup:} → awsbackup),
 * which AWS requires for automated ones; a snapshot shared by another account is described by its ARN
 * with {@code SnapshotType=shared}, where AWS needs the ARN. Errors are read through the RDS table of
 * {@link io.snapline.error.AwsErrorCodes}: not found on describe is {@link Optional#empty()}, on delete
 * {@link DeleteResult#ALREADY_GONE}; other errors (e.g. {@code InvalidDBSnapshotState}, throttling) are
 * rethrown for the consumer's classifier.
 */
public final class SdkSnapshotGateway implements SnapshotGateway {

    private final RdsClient rds;

    public SdkSnapshotGateway(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public void forEachSnapshot(SnapshotRef.Scope scope, Optional<String> sourceId, Consumer<SnapshotInfo> consumer) {
        if (scope == SnapshotRef.Scope.DB_SNAPSHOT) {
            rds.describeDBSnapshotsPaginator(describeDbSnapshotsRequest(sourceId)).stream()
                    .flatMap(page -> page.dbSnapshots().stream())
                    .filter(s -> !"awsbackup".equals(s.snapshotType()))
                    .forEach(s -> consumer.accept(toInfo(s)));
            rds.describeDBSnapshotsPaginator(describeAwsBackupDbSnapshotsRequest(sourceId)).stream()
                    .flatMap(page -> page.dbSnapshots().stream())
                    .forEach(s -> consumer.accept(toInfo(s)));
        } else {
            rds.describeDBClusterSnapshotsPaginator(describeDbClusterSnapshotsRequest(sourceId)).stream()
                    .flatMap(page -> page.dbClusterSnapshots().stream())
                    .forEach(s -> consumer.accept(toInfo(s)));
        }
    }

    @Override
    public Optional<SnapshotInfo> describe(SnapshotRef.Scope scope, String identifier) {
        try {
            return switch (scope) {
                case DB_SNAPSHOT -> rds.describeDBSnapshots(describeDbSnapshotRequest(identifier)).dbSnapshots()
                        .stream().findFirst().map(SdkSnapshotGateway::toInfo);
                case CLUSTER_SNAPSHOT -> rds.describeDBClusterSnapshots(describeDbClusterSnapshotRequest(identifier))
                        .dbClusterSnapshots().stream().findFirst().map(SdkSnapshotGateway::toInfo);
                case CLUSTER -> throw new IllegalArgumentException(
                        "a DB cluster is not a snapshot: " + identifier);
            };
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<SnapshotInfo> find(SnapshotRef.Scope scope, String identifier, Optional<String> arn) {
        Optional<SnapshotInfo> own = describe(scope, identifier).filter(i -> arn.isEmpty() || arn.get().equals(i.arn()));
        return own.isPresent() || arn.isEmpty() ? own : describeShared(scope, arn.get());
    }

    private Optional<SnapshotInfo> describeShared(SnapshotRef.Scope scope, String arn) {
        try {
            return switch (scope) {
                case DB_SNAPSHOT -> rds.describeDBSnapshots(describeSharedDbSnapshotRequest(arn)).dbSnapshots()
                        .stream().findFirst().map(SdkSnapshotGateway::toInfo);
                case CLUSTER_SNAPSHOT -> rds.describeDBClusterSnapshots(describeSharedDbClusterSnapshotRequest(arn))
                        .dbClusterSnapshots().stream().findFirst().map(SdkSnapshotGateway::toInfo);
                case CLUSTER -> throw new IllegalArgumentException("a DB cluster is not a snapshot: " + arn);
            };
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public DeleteResult delete(SnapshotRef.Scope scope, String identifier) {
        try {
            switch (scope) {
                case DB_SNAPSHOT -> rds.deleteDBSnapshot(deleteDbSnapshotRequest(identifier));
                case CLUSTER_SNAPSHOT -> rds.deleteDBClusterSnapshot(deleteDbClusterSnapshotRequest(identifier));
                case CLUSTER -> throw new IllegalArgumentException("refusing to delete a DB cluster: " + identifier);
            }
            return DeleteResult.DELETED;
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return DeleteResult.ALREADY_GONE;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- requests

    static DescribeDbSnapshotsRequest describeDbSnapshotsRequest(Optional<String> instanceId) {
        DescribeDbSnapshotsRequest.Builder b = DescribeDbSnapshotsRequest.builder()
                .includeShared(true).includePublic(true).maxRecords(100);
        instanceId.ifPresent(id -> b.filters(Filter.builder().name("db-instance-id").values(id).build()));
        return b.build();
    }

    static DescribeDbSnapshotsRequest describeAwsBackupDbSnapshotsRequest(Optional<String> instanceId) {
        DescribeDbSnapshotsRequest.Builder b = DescribeDbSnapshotsRequest.builder()
                .snapshotType("awsbackup").maxRecords(100);
        instanceId.ifPresent(id -> b.filters(Filter.builder().name("db-instance-id").values(id).build()));
        return b.build();
    }

    static DescribeDbClusterSnapshotsRequest describeDbClusterSnapshotsRequest(Optional<String> clusterId) {
        DescribeDbClusterSnapshotsRequest.Builder b = DescribeDbClusterSnapshotsRequest.builder()
                .includeShared(true).includePublic(true).maxRecords(100);
        clusterId.ifPresent(id -> b.filters(Filter.builder().name("db-cluster-id").values(id).build()));
        return b.build();
    }

    static DescribeDbSnapshotsRequest describeDbSnapshotRequest(String identifier) {
        DescribeDbSnapshotsRequest.Builder b = DescribeDbSnapshotsRequest.builder().dbSnapshotIdentifier(identifier);
        String type = impliedType(identifier);
        if (type != null) {
            b.snapshotType(type);
        } else {
            b.includeShared(true).includePublic(true);
        }
        return b.build();
    }

    static DescribeDbClusterSnapshotsRequest describeDbClusterSnapshotRequest(String identifier) {
        DescribeDbClusterSnapshotsRequest.Builder b = DescribeDbClusterSnapshotsRequest.builder()
                .dbClusterSnapshotIdentifier(identifier);
        if ("automated".equals(impliedType(identifier))) {
            b.snapshotType("automated");
        } else {
            b.includeShared(true).includePublic(true);
        }
        return b.build();
    }

    /** A shared snapshot, by the ARN AWS needs for it (another account's snapshot has no identifier here). */
    static DescribeDbSnapshotsRequest describeSharedDbSnapshotRequest(String arn) {
        return DescribeDbSnapshotsRequest.builder().dbSnapshotIdentifier(arn).snapshotType("shared").build();
    }

    static DescribeDbClusterSnapshotsRequest describeSharedDbClusterSnapshotRequest(String arn) {
        return DescribeDbClusterSnapshotsRequest.builder().dbClusterSnapshotIdentifier(arn).snapshotType("shared").build();
    }

    static DeleteDbSnapshotRequest deleteDbSnapshotRequest(String identifier) {
        return DeleteDbSnapshotRequest.builder().dbSnapshotIdentifier(identifier).build();
    }

    static DeleteDbClusterSnapshotRequest deleteDbClusterSnapshotRequest(String identifier) {
        return DeleteDbClusterSnapshotRequest.builder().dbClusterSnapshotIdentifier(identifier).build();
    }

    /** The delete request for a scope, and its operation name, for the dry-run log. */
    static RdsRequest deleteRequest(SnapshotRef.Scope scope, String identifier) {
        return scope == SnapshotRef.Scope.DB_SNAPSHOT ? deleteDbSnapshotRequest(identifier)
                : deleteDbClusterSnapshotRequest(identifier);
    }

    static String deleteOperation(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.DB_SNAPSHOT ? "DeleteDBSnapshot" : "DeleteDBClusterSnapshot";
    }

    /** automated for {@code rds:…}, awsbackup for {@code awsbackup:…} (bare names or ARNs), else null. */
    static String impliedType(String identifier) {
        String name = Arn.parse(identifier).map(Arn::resourceId).orElse(identifier);
        if (name.startsWith("rds:")) {
            return "automated";
        }
        if (name.startsWith("awsbackup:")) {
            return "awsbackup";
        }
        return null;
    }

    private static SnapshotInfo toInfo(DBSnapshot s) {
        return new SnapshotInfo(s.dbSnapshotIdentifier(), s.dbSnapshotArn(), SnapshotRef.Scope.DB_SNAPSHOT,
                s.dbInstanceIdentifier(), s.snapshotType(), s.status(), s.snapshotCreateTime(), s.engine(),
                tags(s.tagList()));
    }

    private static SnapshotInfo toInfo(DBClusterSnapshot s) {
        return new SnapshotInfo(s.dbClusterSnapshotIdentifier(), s.dbClusterSnapshotArn(),
                SnapshotRef.Scope.CLUSTER_SNAPSHOT, s.dbClusterIdentifier(), s.snapshotType(), s.status(),
                s.snapshotCreateTime(), s.engine(), tags(s.tagList()));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().filter(t -> t.key() != null && t.value() != null)
                .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
