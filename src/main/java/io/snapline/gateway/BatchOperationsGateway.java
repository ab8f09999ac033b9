package io.snapline.gateway;

import java.util.List;

/** S3 Batch Operations through S3 Control (CreateJob, DescribeJob). */
public interface BatchOperationsGateway {

    /**
     * Creates an {@code S3PutObjectAcl} job ({@code bucket-owner-full-control}) over every object
     * under the prefix, using a manifest generator, with no confirmation and a report of failed
     * tasks. A repeated call with the same token returns the same job (S3 Control idempotency).
     */
    String createPutAclJob(PutAclJobRequest request);

    BatchJob describeJob(String accountId, String jobId);

    /**
     * @param clientRequestToken 1–64 characters, derived from the export task id
     * @param reportPrefix       where the job report goes (next to the export)
     */
    record PutAclJobRequest(String accountId, String bucket, String prefix, String roleArn,
                            String clientRequestToken, String reportPrefix, String description) {
    }

    /** @param status New, Preparing, …, Complete, Cancelled, Failed */
    record BatchJob(String jobId, String status, long totalTasks, long succeededTasks, long failedTasks,
                    List<String> failureReasons) {
        public boolean terminal() {
            return status.equals("Complete") || status.equals("Cancelled") || status.equals("Failed");
        }
    }
}
