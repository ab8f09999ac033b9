package io.snapline.message;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot has become available: RDS-EVENT-0042/0091 (DB), 0075/0169 (cluster), 0060/0197
 * (finished copy), or an AWS Backup job that completed.
 *
 * @param snapshot  the snapshot
 * @param origin    who made it
 * @param eventId   the bare RDS event id ({@code RDS-EVENT-0042}), or {@code BACKUP-JOB-COMPLETED}
 * @param eventTime when the event happened (UTC)
 * @param tags      the resource's tags when the event carried them, else empty
 */
public record SnapshotCreated(SnapshotRef snapshot, Origin origin, String eventId, Instant eventTime,
                              Map<String, String> tags) implements SnaplineMessage {

    /** Who made a snapshot. */
    public enum Origin { AUTOMATED, MANUAL, AWS_BACKUP, COPY }

    public SnapshotCreated {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public MessageKind kind() {
        return MessageKind.SNAPSHOT_CREATED;
    }

    @Override
    public String key() {
        return snapshot.id();
    }
}
