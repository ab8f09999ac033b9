package io.snapline.aws;

import io.snapline.error.AwsErrorCodes;
import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
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
import java.util.function.Consumer;

/**
 * {@link ExportGateway} over the RDS client: StartExportTask and DescribeExportTasks.
 *
 * <p>Errors are read by their meaning in the RDS table of {@link AwsErrorCodes} (AWS-FACTS §3; both
 * the wire codes and the emulator's shape-name spellings):
 * <ul>
 *   <li>already exists ({@code ExportTaskAlreadyExists}) → the existing task is described and returned as
 *       {@link StartResult#alreadyExists}; the caller checks that it exports the same source.</li>
 *   <li>not ready ({@code InvalidExportSourceState}: the snapshot is still creating or copying; the
 *       5-concurrent-exports limit, whose code AWS does not document, by its likely codes or a message
 *       that speaks of concurrent exports) → {@link NotReadyException}, re-check in {@link #RECHECK}.</li>
 *   <li>permanent or not found (bucket, role, KMS, {@code ExportOnly}, bad identifier, missing source)
 *       → {@link io.snapline.error.PermanentProcessingException} naming the call and the AWS request id.</li>
 *   <li>anything else (throttling after the SDK's own retries, 5xx, an unknown code) is rethrown for the
 *       {@link io.snapline.error.FailureClassifier}.</li>
 * </ul>
 * Statuses are reported in upper case whatever the service sends (emulators use lower case).
 */
public final class SdkExportGateway implements ExportGateway {

    /** How long to wait before rechecking a source that is not ready, or a full export slot. */
    public static final Duration RECHECK = Duration.ofMinutes(5);

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
            Optional<AwsErrorMeaning> meaning = AwsFailures.meaning(AwsService.RDS, e);
            if (meaning.filter(AwsErrorMeaning.ALREADY_EXISTS::equals).isPresent()) {
                return StartResult.alreadyExists(exportTask(request.taskId()).orElseThrow(() ->
                        new RetryableProcessingException("export task " + request.taskId()
                                + " already exists but cannot be described yet: " + AwsFailures.describe(e), e)));
            }
            if (meaning.filter(AwsErrorMeaning.NOT_READY::equals).isPresent() || speaksOfConcurrentExports(e)) {
                throw new NotReadyException("StartExportTask " + request.taskId() + " of " + request.sourceArn()
                        + " cannot run yet (the snapshot is not available for export, or the account's concurrent "
                        + "exports are running): " + AwsFailures.describe(e), RECHECK, e);
            }
            if (AwsFailures.permanent(AwsService.RDS, e)) {
                throw AwsFailures.permanent("StartExportTask " + request.taskId() + " of " + request.sourceArn(), e);
            }
            throw e;
        }
    }

    /** The limit's code is undocumented (AWS-FACTS §3): its message is the other clue. */
    private static boolean speaksOfConcurrentExports(AwsServiceException e) {
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
            if (AwsFailures.means(AwsService.RDS, e, AwsErrorMeaning.NOT_FOUND)) {
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
