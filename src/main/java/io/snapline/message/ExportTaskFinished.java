package io.snapline.message;

import java.time.Instant;

/**
 * An export task reached a terminal state: RDS-EVENT-0159/0160/0161 (DB snapshot),
 * 0162/0163/0164 (cluster snapshot), 0234/0235/0236 (cluster). The event names the export's
 * <em>source</em>, not the task: find the task with DescribeExportTasks filtered by source ARN.
 */
public record ExportTaskFinished(SnapshotRef source, Status status, String eventId, Instant eventTime)
        implements SnaplineMessage {

    /** Terminal export states as the events report them. */
    public enum Status { COMPLETED, FAILED, CANCELED }

    @Override
    public MessageKind kind() {
        return MessageKind.EXPORT_TASK_FINISHED;
    }

    @Override
    public String key() {
        return source.id();
    }
}
