package io.snapline.gateway;

import io.snapline.message.SnapshotRef;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Cross-region snapshot copies, in the region the gateway was made for (its RDS client's region): the
 * destination of {@link #copy} ({@code CopyDBSnapshot} / {@code CopyDBClusterSnapshot}, with the source's
 * ARN and the SDK's {@code sourceRegion} presigning), or the region whose snapshots {@link #describe}
 * reads (a source before it is copied, a target after).
 */
public interface SnapshotCopyGateway {

    /** The region this gateway acts in. */
    String region();

    /**
     * Copies a snapshot of another region into this one. The answers a copy step must tell apart are
     * results, not exceptions; anything else (throttling, 5xx, unknown codes) is thrown for the step
     * runner's classifier.
     */
    CopyResult copy(CopyRequest request);

    /**
     * A snapshot of this region by identifier ({@code rds:…}, {@code awsbackup:…} or a manual name; the
     * snapshot type RDS needs for automated and AWS Backup ones follows the name), if it exists.
     */
    Optional<Snapshot> describe(SnapshotRef.Scope scope, String identifier);

    /**
     * One copy to make.
     *
     * @param sourceArn        the source snapshot's ARN (required cross-region)
     * @param sourceRegion     the source's region: the SDK presigns the request for it
     * @param targetIdentifier the copy's identifier in this region
     * @param kmsKeyId         a key of this region, for an encrypted source
     * @param optionGroup      the option group in this region, for a source with a non-default one (DB snapshots)
     * @param copyTags         {@code CopyTags}
     * @param tags             the tags the copy gets on the copy call
     */
    record CopyRequest(SnapshotRef.Scope scope, String sourceArn, String sourceRegion, String targetIdentifier,
                       Optional<String> kmsKeyId, Optional<String> optionGroup, boolean copyTags,
                       Map<String, String> tags) {
        public CopyRequest {
            kmsKeyId = kmsKeyId == null ? Optional.empty() : kmsKeyId;
            optionGroup = optionGroup == null ? Optional.empty() : optionGroup;
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /** What CopyDB[Cluster]Snapshot answered. */
    enum CopyStatus {
        /** The copy started (the target is {@code copying} or {@code creating}). */
        STARTED,
        /** A snapshot of the target identifier exists already: the caller checks whose copy it is. */
        ALREADY_EXISTS,
        /** The source is not {@code available} yet: try again later. */
        SOURCE_NOT_READY,
        /** The limit of copies in progress per destination region is reached (5 or 20): try again later. */
        COPY_LIMIT,
        /** The source snapshot does not exist. */
        SOURCE_NOT_FOUND,
        /** The KMS key is missing, disabled or not usable by the service. */
        KMS_KEY_NOT_ACCESSIBLE,
        /** The option group does not exist in this region. */
        OPTION_GROUP_NOT_FOUND,
        /** The destination region's manual-snapshot quota is used up. */
        QUOTA_EXCEEDED
    }

    /**
     * @param arn    the target's ARN when {@link CopyStatus#STARTED}
     * @param detail AWS's code and message for the other answers
     */
    record CopyResult(CopyStatus status, Optional<String> arn, String detail) {
        public CopyResult {
            arn = arn == null ? Optional.empty() : arn;
            detail = detail == null ? "" : detail;
        }

        public static CopyResult started(String arn) {
            return new CopyResult(CopyStatus.STARTED, Optional.ofNullable(arn), "started");
        }

        public static CopyResult of(CopyStatus status, String detail) {
            return new CopyResult(status, Optional.empty(), detail);
        }
    }

    /**
     * A snapshot as RDS describes it, with what a copy needs.
     *
     * @param sourceId       the DB instance or cluster it is of
     * @param snapshotType   automated, manual, awsbackup, shared or public
     * @param status         available, creating, copying, …
     * @param kmsKeyId       the key, when encrypted
     * @param optionGroup    the option group of a DB snapshot (a name starting {@code default:} is a default one)
     * @param copiedFrom     for a copy: the snapshot it was copied from, as RDS names it ({@code SourceDBSnapshotIdentifier}
     *                       / {@code SourceDBClusterSnapshotArn}), when RDS says
     */
    record Snapshot(String identifier, String arn, SnapshotRef.Scope scope, String sourceId, String snapshotType,
                    String status, Instant createTime, boolean encrypted, Optional<String> kmsKeyId,
                    Optional<String> optionGroup, Optional<String> copiedFrom, Map<String, String> tags) {
        public Snapshot {
            kmsKeyId = kmsKeyId == null ? Optional.empty() : kmsKeyId;
            optionGroup = optionGroup == null ? Optional.empty() : optionGroup;
            copiedFrom = copiedFrom == null ? Optional.empty() : copiedFrom;
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }

        /** True for an option group that is not a default one ({@code default:<engine>-<version>}). */
        public boolean nonDefaultOptionGroup() {
            return optionGroup.filter(g -> !g.startsWith("default:")).isPresent();
        }
    }
}
