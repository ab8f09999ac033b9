package io.snapline.gateway;

import io.snapline.message.SnapshotRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Making snapshots, and the sources they are made of: CreateDBSnapshot, CreateDBClusterSnapshot
 * (with their tags on the create call), DescribeDBInstances, DescribeDBClusters.
 */
public interface SnapshotCreationGateway {

    /**
     * Creates a manual snapshot of {@code sourceId} named {@code identifier}, tagged with {@code tags}.
     * The answers that a scheduled snapshot must tell apart are results, not exceptions; anything else
     * (throttling, 5xx) is thrown for the step runner's classifier.
     *
     * @param scope {@link SnapshotRef.Scope#DB_SNAPSHOT} (of a DB instance) or {@link SnapshotRef.Scope#CLUSTER_SNAPSHOT}
     */
    CreateResult create(SnapshotRef.Scope scope, String identifier, String sourceId, Map<String, String> tags);

    /** One source by its identifier, if it exists. */
    Optional<SourceInfo> source(SnapshotRef.Scope scope, String sourceId);

    /**
     * Every source of the scope, page by page: DB instances that are not members of an Aurora cluster
     * (those are snapshotted as their cluster), or DB clusters.
     */
    List<SourceInfo> sources(SnapshotRef.Scope scope);

    /** What CreateDB[Cluster]Snapshot answered. */
    enum CreateStatus {
        /** Creation started (the snapshot is {@code creating}). */
        CREATED,
        /** A snapshot of that identifier exists already: the caller checks whose it is. */
        ALREADY_EXISTS,
        /** The source is busy (backing up, modifying, stopping): try again later. */
        SOURCE_NOT_READY,
        /** The source does not exist. */
        SOURCE_NOT_FOUND,
        /** The region's manual-snapshot quota is used up. */
        QUOTA_EXCEEDED
    }

    /**
     * @param arn    the new snapshot's ARN when {@link CreateStatus#CREATED}
     * @param detail AWS's code and message for the other answers
     */
    record CreateResult(CreateStatus status, Optional<String> arn, String detail) {
        public CreateResult {
            arn = arn == null ? Optional.empty() : arn;
            detail = detail == null ? "" : detail;
        }

        public static CreateResult created(String arn) {
            return new CreateResult(CreateStatus.CREATED, Optional.ofNullable(arn), "created");
        }

        public static CreateResult of(CreateStatus status, String detail) {
            return new CreateResult(status, Optional.empty(), detail);
        }
    }

    /**
     * A DB instance or cluster as RDS describes it.
     *
     * @param status    available, backing-up, modifying, stopped, …
     * @param kmsKeyId  the storage key when encrypted
     * @param optionGroup the option group, when the source uses one (instances)
     */
    record SourceInfo(String identifier, String arn, SnapshotRef.Scope scope, String status, boolean encrypted,
                      Optional<String> kmsKeyId, Optional<String> optionGroup) {
        public SourceInfo {
            kmsKeyId = kmsKeyId == null ? Optional.empty() : kmsKeyId;
            optionGroup = optionGroup == null ? Optional.empty() : optionGroup;
        }
    }
}
