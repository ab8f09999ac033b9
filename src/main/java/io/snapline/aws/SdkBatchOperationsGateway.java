package io.snapline.aws;

import io.snapline.error.AwsService;
import io.snapline.gateway.BatchOperationsGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.CreateJobRequest;
import software.amazon.awssdk.services.s3control.model.DescribeJobRequest;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobFailure;
import software.amazon.awssdk.services.s3control.model.JobManifestGenerator;
import software.amazon.awssdk.services.s3control.model.JobManifestGeneratorFilter;
import software.amazon.awssdk.services.s3control.model.JobOperation;
import software.amazon.awssdk.services.s3control.model.JobProgressSummary;
import software.amazon.awssdk.services.s3control.model.JobReport;
import software.amazon.awssdk.services.s3control.model.JobReportFormat;
import software.amazon.awssdk.services.s3control.model.JobReportScope;
import software.amazon.awssdk.services.s3control.model.KeyNameConstraint;
import software.amazon.awssdk.services.s3control.model.S3AccessControlPolicy;
import software.amazon.awssdk.services.s3control.model.S3CannedAccessControlList;
import software.amazon.awssdk.services.s3control.model.S3JobManifestGenerator;
import software.amazon.awssdk.services.s3control.model.S3SetObjectAclOperation;


/**
 * {@link BatchOperationsGateway} over the S3 Control client: CreateJob ({@code S3PutObjectAcl},
 * {@code bucket-owner-full-control}, over a manifest generator with a prefix filter, report of failed
 * tasks only, no confirmation) and DescribeJob.
 *
 * <p>{@code ClientRequestToken} makes CreateJob idempotent: a repeat with the same token answers the
 * same job. Errors are read through the S3 Control table of {@link io.snapline.error.AwsErrorCodes}:
 * permanent or not found ({@code IdempotencyException}: the token was used with other parameters;
 * {@code BadRequestException}; on DescribeJob, {@code NotFoundException}) →
 * {@link io.snapline.error.PermanentProcessingException}; throttling ({@code TooManyRequestsException})
 * is retried by the SDK and then rethrown.
 */
public final class SdkBatchOperationsGateway implements BatchOperationsGateway {

    static final int PRIORITY = 10;

    private final S3ControlClient s3Control;

    public SdkBatchOperationsGateway(S3ControlClient s3Control) {
        this.s3Control = s3Control;
    }

    @Override
    public String createPutAclJob(PutAclJobRequest request) {
        try {
            return s3Control.createJob(createJobRequest(request)).jobId();
        } catch (AwsServiceException e) {
            if (AwsFailures.permanent(AwsService.S3_CONTROL, e)) {
                throw AwsFailures.permanent("CreateJob (PutObjectAcl over s3://" + request.bucket() + "/"
                        + request.prefix() + ", token " + request.clientRequestToken() + ")", e);
            }
            throw e;
        }
    }

    @Override
    public BatchJob describeJob(String accountId, String jobId) {
        try {
            JobDescriptor job = s3Control.describeJob(describeJobRequest(accountId, jobId)).job();
            JobProgressSummary p = job.progressSummary();
            return new BatchJob(job.jobId(), job.statusAsString(),
                    p == null || p.totalNumberOfTasks() == null ? 0 : p.totalNumberOfTasks(),
                    p == null || p.numberOfTasksSucceeded() == null ? 0 : p.numberOfTasksSucceeded(),
                    p == null || p.numberOfTasksFailed() == null ? 0 : p.numberOfTasksFailed(),
                    job.failureReasons().stream().map(SdkBatchOperationsGateway::reason).toList());
        } catch (AwsServiceException e) {
            if (AwsFailures.permanent(AwsService.S3_CONTROL, e)) {
                throw AwsFailures.permanent("DescribeJob " + jobId + " of account " + accountId, e);
            }
            throw e;
        }
    }

    static CreateJobRequest createJobRequest(PutAclJobRequest r) {
        S3JobManifestGenerator.Builder generator = S3JobManifestGenerator.builder()
                .sourceBucket(bucketArn(r.bucket()))
                .enableManifestOutput(false);
        if (r.prefix() != null && !r.prefix().isEmpty()) {
            generator.filter(JobManifestGeneratorFilter.builder()
                    .keyNameConstraint(KeyNameConstraint.builder().matchAnyPrefix(r.prefix()).build()).build());
        }
        JobReport.Builder report = JobReport.builder().enabled(true).bucket(bucketArn(r.bucket()))
                .format(JobReportFormat.REPORT_CSV_20180820).reportScope(JobReportScope.FAILED_TASKS_ONLY);
        if (r.reportPrefix() != null && !r.reportPrefix().isEmpty()) {
            report.prefix(r.reportPrefix());
        }
        CreateJobRequest.Builder b = CreateJobRequest.builder()
                .accountId(r.accountId())
                .clientRequestToken(r.clientRequestToken())
                .confirmationRequired(false)
                .priority(PRIORITY)
                .roleArn(r.roleArn())
                .operation(JobOperation.builder().s3PutObjectAcl(S3SetObjectAclOperation.builder()
                        .accessControlPolicy(S3AccessControlPolicy.builder()
                                .cannedAccessControlList(S3CannedAccessControlList.BUCKET_OWNER_FULL_CONTROL).build())
                        .build()).build())
                .manifestGenerator(JobManifestGenerator.builder().s3JobManifestGenerator(generator.build()).build())
                .report(report.build());
        if (r.description() != null && !r.description().isEmpty()) {
            b.description(r.description().length() > 256 ? r.description().substring(0, 256) : r.description());
        }
        return b.build();
    }

    static DescribeJobRequest describeJobRequest(String accountId, String jobId) {
        return DescribeJobRequest.builder().accountId(accountId).jobId(jobId).build();
    }

    private static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    private static String reason(JobFailure f) {
        return f.failureCode() + ": " + f.failureReason();
    }
}
