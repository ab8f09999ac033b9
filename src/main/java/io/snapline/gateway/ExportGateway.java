package io.snapline.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * RDS snapshot exports (StartExportTask, DescribeExportTasks).
 *
 * <p>Error mapping, done inside the implementation: {@code ExportTaskAlreadyExists} →
 * {@link StartResult#alreadyExists}; {@code InvalidExportSourceState} and the concurrent-export
 * limit → {@link io.snapline.error.NotReadyException}; bucket, role, KMS, {@code ExportOnly},
 * not-found and {@code InvalidParameterValue} → {@link io.snapline.error.PermanentProcessingException};
 * throttling, 5xx and anything else are rethrown as the SDK's exceptions, which
 * {@link io.snapline.error.FailureClassifier} treats as retryable.
 */
public interface ExportGateway {

    StartResult startExport(ExportRequest request);

    /** The export tasks whose source is this ARN, any status (DescribeExportTasks, source-arn filter, all pages). */
    List<ExportTask> exportTasksForSource(String sourceArn);

    /** One task by identifier. */
    Optional<ExportTask> exportTask(String taskId);

    /** Every export task of the account, page by page (for reconciliation). */
    void forEachExportTask(Consumer<ExportTask> consumer);

    record ExportRequest(String taskId, String sourceArn, String bucket, String prefix, String iamRoleArn,
                         String kmsKeyId, List<String> exportOnly) {
        public ExportRequest {
            exportOnly = exportOnly == null ? List.of() : List.copyOf(exportOnly);
        }
    }

    /**
     * An export task as DescribeExportTasks reports it.
     *
     * @param status upper case: STARTING, IN_PROGRESS, COMPLETE, CANCELING, CANCELED, FAILED
     */
    record ExportTask(String taskId, String sourceArn, String status, String bucket, String prefix,
                      Optional<String> failureCause, Optional<Instant> startTime, Optional<Instant> endTime,
                      long totalExtractedDataInGb) {

        public boolean complete() {
            return "COMPLETE".equals(status);
        }

        public boolean terminal() {
            return complete() || "CANCELED".equals(status) || "FAILED".equals(status);
        }

        /** The S3 folder the task writes under: {@code <prefix>/<taskId>/}. */
        public String s3Folder() {
            return (prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/")
                    + taskId + "/";
        }
    }

    /** The result of a start: a new task, or the task that already had this identifier. */
    record StartResult(boolean started, ExportTask task) {
        public static StartResult started(ExportTask task) {
            return new StartResult(true, task);
        }

        public static StartResult alreadyExists(ExportTask existing) {
            return new StartResult(false, existing);
        }
    }
}
