package io.snapline.message;

import java.time.Instant;

/**
 * A snapshot copy was canceled: RDS-EVENT-0061 (cross-region, from the destination region's subscription)
 * or 0190 (same region). The event names the copy (the target), in the region where it was being made.
 *
 * @param target    the copy that was being made
 * @param eventId   the bare RDS event id
 * @param eventTime when the event happened (UTC)
 */
public record SnapshotCopyCanceled(SnapshotRef target, String eventId, Instant eventTime) implements SnaplineMessage {

    @Override
    public MessageKind kind() {
        return MessageKind.SNAPSHOT_COPY_CANCELED;
    }

    @Override
    public String key() {
        return target.id();
    }
}
