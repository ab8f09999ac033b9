package io.snapline.aws;

import io.snapline.error.NotReadyException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.ExportGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeExportTasksRequest;
import software.amazon.awssdk.services.rds.model.DescribeExportTasksResponse;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.StartExportTaskRequest;
import software.amazon.awssdk.services.rds.model.StartExportTaskResponse;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link ExportGateway} over the RDS client: StartExportTask and DescribeExportTasks.
 *
 * <p>Error mapping, by wire code (AWS-FACTS §3):
 * <ul>
 *   <li>{@code ExportTaskAlreadyExists} → the existing task is described and returned as
 *       {@link StartResult#alreadyExists}; the caller checks that it exports the same source.</li>
 *   <li>{@code InvalidExportSourceState} (and the emulator spelling {@code InvalidExportSourceStateFault}):
 *       the snapshot is still creating or copying → {@link NotReadyException}, recheck in
 *       {@link #RECHECK}.</li>
 *   <li>the 5-concurrent-exports limit, whose code AWS does not document: any of
 *       {@link #EXPORT_LIMIT_CODES}, or a message that speaks of concurrent exports →
 *       {@link NotReadyException}.</li>
 *   <li>{@link #PERMANENT_CODES} (bucket, role, KMS, {@code ExportOnly}, bad identifier, missing
 *       source) → {@link io.snapline.error.PermanentProcessingException} naming the problem and the
 *       AWS request id.</li>
 *   <li>anything else (throttling after the SDK's own retries, 5xx) is rethrown for the consumer's
 *       failure classifier.</li>
 * </ul>
 * Statuses are reported in upper case whatever the service sends (emulators use lower case).
 */
public final class SdkExportGateway implements ExportGateway {

    /** How long to wait before rechecking a source that is not ready, or a full export slot. */
    public static final Duration RECHECK = Duration.ofMinutes(5);

    static final Set<String> ALREADY_EXISTS_CODES = Set.of("ExportTaskAlreadyExists", "ExportTaskAlreadyExistsFault");
    static final Set<String> NOT_READY_CODES = Set.of("InvalidExportSourceState", "InvalidExportSourceStateFault");
    /** UNVERIFIED in AWS: the likely spellings of "too many concurrent export tasks". */
    static final Set<String> EXPORT_LIMIT_CODES = Set.of("ExportTaskLimitReached", "ExportTaskLimitReachedFault",
            "ExportTaskLimitExceeded", "ExportTaskLimitExceededFault", "LimitExceeded", "LimitExceededException",
            "QuotaExceeded", "QuotaExceededException", "SnapshotExportQuotaExceeded");
    static final Set<String> PERMANENT_CODES = Set.of("InvalidExportOnly", "InvalidExportOnlyFault",
            "InvalidS3BucketFault", "InvalidS3Bucket", "IamRoleMissingPermissions", "IamRoleMissingPermissionsFault",
            "IamRoleNotFound", "IamRoleNotFoundFault", "KMSKeyNotAccessibleFault", "InvalidParameterValue",
            "InvalidParameterCombination", "DBSnapshotNotFound", "DBSnapshotNotFoundFault",
            "DBClusterSnapshotNotFoundFault", "DBClusterNotFoundFault");
    static final Set<String> TASK_NOT_FOUND_CODES = Set.of("ExportTaskNotFound", "ExportTaskNotFoundFault");

    private final RdsClient rds;

    public SdkExportGateway(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public StartResult startExport(ExportRequest request) {
        try {
            StartExportTaskResponse response = rds.startExportTask(startExportTaskRequest(request));
            return StartResult.started(new ExportTask(response.exportTaskIdentifier(), response.sourceArn(),
                    upper(response.status()), response.s3Bucket(), response.s3Prefix(),
                    Optional.ofNullable(response.failureCause()), Optional.ofNullable(response.taskStartTime()),
                    Optional.ofNullable(response.taskEndTime()), gb(response.totalExtractedDataInGB())));
        } catch (AwsServiceException e) {
            String code = AwsFailures.code(e);
            if (ALREADY_EXISTS_CODES.contains(code)) {
                return StartResult.alreadyExists(exportTask(request.taskId()).orElseThrow(() ->
                        new RetryableProcessingException("export task " + request.taskId()
                                + " already exists but cannot be described yet: " + AwsFailures.describe(e), e)));
            }
            if (NOT_READY_CODES.contains(code)) {
                throw new NotReadyException("the source " + request.sourceArn() + " is not available for export yet: "
                        + AwsFailures.describe(e), RECHECK, e);
            }
            if (isExportLimit(code, e)) {
                throw new NotReadyException("the account has reached its limit of concurrent export tasks: "
                        + AwsFailures.describe(e), RECHECK, e);
            }
            if (PERMANENT_CODES.contains(code)) {
                throw AwsFailures.permanent("StartExportTask " + request.taskId() + " of " + request.sourceArn(), e);
            }
            throw e;
        }
    }

    private static boolean isExportLimit(String code, AwsServiceException e) {
        if (EXPORT_LIMIT_CODES.contains(code)) {
            return true;
        }
        String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
        message = message.toLowerCase(Locale.ROOT);
        return message.contains("concurrent") && message.contains("export");
    }

    @Override
    public List<ExportTask> exportTasksForSource(String sourceArn) {
        return rds.describeExportTasksPaginator(describeExportTasksForSourceRequest(sourceArn)).stream()
                .flatMap(page -> page.exportTasks().stream())
                .map(SdkExportGateway::toTask)
                .toList();
    }

    @Override
    public Optional<ExportTask> exportTask(String taskId) {
        try {
            DescribeExportTasksResponse response = rds.describeExportTasks(describeExportTaskRequest(taskId));
            return response.exportTasks().stream().filter(t -> taskId.equals(t.exportTaskIdentifier()))
                    .findFirst().map(SdkExportGateway::toTask);
        } catch (AwsServiceException e) {
            if (TASK_NOT_FOUND_CODES.contains(AwsFailures.code(e))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void forEachExportTask(Consumer<ExportTask> consumer) {
        rds.describeExportTasksPaginator(describeAllExportTasksRequest()).stream()
                .forEach(page -> page.exportTasks().forEach(t -> consumer.accept(toTask(t))));
    }

    static StartExportTaskRequest startExportTaskRequest(ExportRequest request) {
        StartExportTaskRequest.Builder b = StartExportTaskRequest.builder()
                .exportTaskIdentifier(request.taskId())
                .sourceArn(request.sourceArn())
                .s3BucketName(request.bucket())
                .iamRoleArn(request.iamRoleArn())
                .kmsKeyId(request.kmsKeyId());
        if (request.prefix() != null && !request.prefix().isEmpty()) {
            b.s3Prefix(request.prefix());
        }
        if (!request.exportOnly().isEmpty()) {
            b.exportOnly(request.exportOnly());
        }
        return b.build();
    }

    static DescribeExportTasksRequest describeExportTasksForSourceRequest(String sourceArn) {
        return DescribeExportTasksRequest.builder()
                .filters(Filter.builder().name("source-arn").values(sourceArn).build())
                .maxRecords(100)
                .build();
    }

    static DescribeExportTasksRequest describeExportTaskRequest(String taskId) {
        return DescribeExportTasksRequest.builder().exportTaskIdentifier(taskId).build();
    }

    static DescribeExportTasksRequest describeAllExportTasksRequest() {
        return DescribeExportTasksRequest.builder().maxRecords(100).build();
    }

    private static ExportTask toTask(software.amazon.awssdk.services.rds.model.ExportTask t) {
        return new ExportTask(t.exportTaskIdentifier(), t.sourceArn(), upper(t.status()), t.s3Bucket(), t.s3Prefix(),
                Optional.ofNullable(t.failureCause()), Optional.ofNullable(t.taskStartTime()),
                Optional.ofNullable(t.taskEndTime()), gb(t.totalExtractedDataInGB()));
    }

    private static String upper(String status) {
        return status == null ? "" : status.toUpperCase(Locale.ROOT);
    }

    private static long gb(Integer gb) {
        return gb == null ? 0 : gb;
    }
}
