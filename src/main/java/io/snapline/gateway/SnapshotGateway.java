package io.snapline.gateway;

import io.snapline.message.SnapshotRef;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** RDS snapshots (DescribeDBSnapshots, DescribeDBClusterSnapshots, DeleteDB[Cluster]Snapshot). */
public interface SnapshotGateway {

    /**
     * Every snapshot of the given scope, page by page (Marker), including shared and public ones
     * so that callers can see, and refuse, them. Bounded memory: one page at a time.
     *
     * @param sourceId an instance or cluster identifier to filter on, or empty for all
     */
    void forEachSnapshot(SnapshotRef.Scope scope, Optional<String> sourceId, Consumer<SnapshotInfo> consumer);

    /**
     * One snapshot of the caller's account, by its identifier ({@code rds:orders-2024-…}, a manual name),
     * if it exists. Not by ARN: whether RDS takes an ARN there for the caller's own snapshots is not
     * documented (an emulator answers "not found").
     */
    Optional<SnapshotInfo> describe(SnapshotRef.Scope scope, String identifier);

    /**
     * The snapshot an event names, if it exists: by its identifier among the caller's own snapshots
     * (and, when {@code arn} is given, only if it is that very snapshot: another account may have one
     * of the same name); else, when the ARN is given, as a snapshot another account shared with the
     * caller, by its ARN, where AWS needs the ARN.
     */
    Optional<SnapshotInfo> find(SnapshotRef.Scope scope, String identifier, Optional<String> arn);

    /** Deletes a snapshot. Not-found answers {@link DeleteResult#ALREADY_GONE}. Throttling is retried. */
    DeleteResult delete(SnapshotRef.Scope scope, String identifier);

    enum DeleteResult { DELETED, ALREADY_GONE }

    /**
     * A snapshot as RDS describes it.
     *
     * @param snapshotType automated, manual, awsbackup, shared or public
     * @param status       available, creating, copying, …
     */
    record SnapshotInfo(String identifier, String arn, SnapshotRef.Scope scope, String sourceId,
                        String snapshotType, String status, Instant createTime, String engine,
                        Map<String, String> tags) {
        public SnapshotInfo {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }
}
