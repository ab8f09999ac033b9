package io.snapline.aws;

import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.gateway.SnapshotCopyGateway;
import io.snapline.message.SnapshotRef;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CopyDbClusterSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.RdsRequest;
import software.amazon.awssdk.services.rds.model.Tag;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link SnapshotCopyGateway} over the RDS client of one region (the destination of a copy). The copy
 * request carries the source's ARN and {@code sourceRegion(...)}, from which the SDK's presign
 * interceptor builds {@code PreSignedUrl} ({@code SourceRegion} itself never goes on the wire,
 * AWS-FACTS §4); tags go on the copy call. Errors are read through the RDS table of
 * {@link io.snapline.error.AwsErrorCodes}, except {@code SnapshotQuotaExceeded}, which RDS answers both
 * for the manual-snapshot quota ("Cannot create more than 100 manual snapshots") and for the limit of
 * copies in progress per destination region ("Cannot copy more than 5 snapshots across regions"; the
 * limit is 20 now): only a message that names the manual-snapshot quota is that quota (permanent), any
 * other is the copy limit, re-checked later. Nothing here counts copies in progress.
 */
public final class SdkSnapshotCopyGateway implements SnapshotCopyGateway {

    /** RDS's wire code for both the manual-snapshot quota and the in-progress copy limit. */
    static final String QUOTA_CODE = "SnapshotQuotaExceeded";
    /** RDS's wire code for a missing option group. */
    static final String OPTION_GROUP_NOT_FOUND = "OptionGroupNotFoundFault";
    /** RDS's wire code for an unusable KMS key. */
    static final String KMS_NOT_ACCESSIBLE = "KMSKeyNotAccessibleFault";

    private final RdsClient rds;
    private final String region;

    public SdkSnapshotCopyGateway(RdsClient rds, String region) {
        this.rds = rds;
        this.region = region;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public CopyResult copy(CopyRequest request) {
        try {
            if (request.scope() == SnapshotRef.Scope.CLUSTER_SNAPSHOT) {
                return CopyResult.started(rds.copyDBClusterSnapshot(copyClusterSnapshotRequest(request))
                        .dbClusterSnapshot().dbClusterSnapshotArn());
            }
            return CopyResult.started(rds.copyDBSnapshot(copyDbSnapshotRequest(request)).dbSnapshot().dbSnapshotArn());
        } catch (AwsServiceException e) {
            String code = AwsFailures.code(e);
            String detail = AwsFailures.describe(e);
            if (QUOTA_CODE.equals(code) || (QUOTA_CODE + "Fault").equals(code)) {
                return CopyResult.of(manualQuota(e) ? CopyStatus.QUOTA_EXCEEDED : CopyStatus.COPY_LIMIT, detail);
            }
            if (KMS_NOT_ACCESSIBLE.equals(code)) {
                return CopyResult.of(CopyStatus.KMS_KEY_NOT_ACCESSIBLE, detail);
            }
            if (OPTION_GROUP_NOT_FOUND.equals(code)) {
                return CopyResult.of(CopyStatus.OPTION_GROUP_NOT_FOUND, detail);
            }
            Optional<AwsErrorMeaning> meaning = AwsFailures.meaning(AwsService.RDS, e);
            if (meaning.isPresent() && !e.isThrottlingException()) {
                switch (meaning.get()) {
                    case ALREADY_EXISTS -> {
                        return CopyResult.of(CopyStatus.ALREADY_EXISTS, detail);
                    }
                    case NOT_FOUND -> {
                        return CopyResult.of(CopyStatus.SOURCE_NOT_FOUND, detail);
                    }
                    case NOT_READY -> {
                        return CopyResult.of(CopyStatus.SOURCE_NOT_READY, detail);
                    }
                    default -> {
                    }
                }
            }
            throw e;
        }
    }

    /** True when a {@code SnapshotQuotaExceeded} names the manual-snapshot quota rather than the copy limit. */
    static boolean manualQuota(AwsServiceException e) {
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT);
        return message.contains("manual snapshot") || message.contains("manual cluster snapshot")
                || message.contains("maximum allowed number of db snapshots");
    }

    @Override
    public Optional<Snapshot> describe(SnapshotRef.Scope scope, String identifier) {
        try {
            if (scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT) {
                return rds.describeDBClusterSnapshots(SdkSnapshotGateway.describeDbClusterSnapshotRequest(identifier))
                        .dbClusterSnapshots().stream().findFirst().map(SdkSnapshotCopyGateway::toSnapshot);
            }
            return rds.describeDBSnapshots(SdkSnapshotGateway.describeDbSnapshotRequest(identifier)).dbSnapshots()
                    .stream().findFirst().map(SdkSnapshotCopyGateway::toSnapshot);
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- requests (also logged by the dry run)

    static CopyDbSnapshotRequest copyDbSnapshotRequest(CopyRequest r) {
        CopyDbSnapshotRequest.Builder b = CopyDbSnapshotRequest.builder()
                .sourceDBSnapshotIdentifier(r.sourceArn()).targetDBSnapshotIdentifier(r.targetIdentifier())
                .copyTags(r.copyTags()).tags(tags(r.tags())).sourceRegion(r.sourceRegion());
        r.kmsKeyId().ifPresent(b::kmsKeyId);
        r.optionGroup().ifPresent(b::optionGroupName);
        return b.build();
    }

    static CopyDbClusterSnapshotRequest copyClusterSnapshotRequest(CopyRequest r) {
        CopyDbClusterSnapshotRequest.Builder b = CopyDbClusterSnapshotRequest.builder()
                .sourceDBClusterSnapshotIdentifier(r.sourceArn()).targetDBClusterSnapshotIdentifier(r.targetIdentifier())
                .copyTags(r.copyTags()).tags(tags(r.tags())).sourceRegion(r.sourceRegion());
        r.kmsKeyId().ifPresent(b::kmsKeyId);
        return b.build();
    }

    static RdsRequest copyRequest(CopyRequest r) {
        return r.scope() == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? copyClusterSnapshotRequest(r) : copyDbSnapshotRequest(r);
    }

    static String copyOperation(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "CopyDBClusterSnapshot" : "CopyDBSnapshot";
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        return tags.stream().filter(t -> t.key() != null && t.value() != null)
                .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    private static Snapshot toSnapshot(DBSnapshot s) {
        return new Snapshot(s.dbSnapshotIdentifier(), s.dbSnapshotArn(), SnapshotRef.Scope.DB_SNAPSHOT,
                s.dbInstanceIdentifier(), s.snapshotType(), s.status(), s.snapshotCreateTime(),
                Boolean.TRUE.equals(s.encrypted()), Optional.ofNullable(s.kmsKeyId()),
                Optional.ofNullable(s.optionGroupName()), Optional.ofNullable(s.sourceDBSnapshotIdentifier()),
                tagMap(s.tagList()));
    }

    private static Snapshot toSnapshot(DBClusterSnapshot s) {
        return new Snapshot(s.dbClusterSnapshotIdentifier(), s.dbClusterSnapshotArn(), SnapshotRef.Scope.CLUSTER_SNAPSHOT,
                s.dbClusterIdentifier(), s.snapshotType(), s.status(), s.snapshotCreateTime(),
                Boolean.TRUE.equals(s.storageEncrypted()), Optional.ofNullable(s.kmsKeyId()), Optional.empty(),
                Optional.ofNullable(s.sourceDBClusterSnapshotArn()), tagMap(s.tagList()));
    }
}
