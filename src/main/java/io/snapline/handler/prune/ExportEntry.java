package io.snapline.handler.prune;

import java.time.Instant;

/**
 * One export folder Snapline recognised: {@code s3://<bucket>/<folder>} written by export task
 * {@code taskId} of the snapshot {@code snapshotArn}, which came from {@code sourceId}.
 *
 * @param status the task's status from DescribeExportTasks (upper case)
 * @param time   the task's end time, else its start time; null if RDS reports neither
 */
public record ExportEntry(String taskId, String bucket, String folder, String snapshotArn, String sourceId,
                          String status, Instant time) {

    public boolean complete() {
        return "COMPLETE".equalsIgnoreCase(status);
    }

    public boolean terminal() {
        return complete() || "CANCELED".equalsIgnoreCase(status) || "FAILED".equalsIgnoreCase(status);
    }
}
