package io.snapline.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An S3 Batch Operations job changed status (CloudTrail service event via EventBridge,
 * {@code detail.serviceEventDetails}).
 *
 * @param jobId        the job id
 * @param status       the job status as S3 spells it ({@code Complete}, {@code Failed}, …)
 * @param accountId    the account that owns the job, from the envelope
 * @param failureCodes failure codes, if any
 */
public record BatchJobStatusChanged(String jobId, String status, Optional<String> accountId,
                                    List<String> failureCodes, Instant eventTime) implements SnaplineMessage {

    public BatchJobStatusChanged {
        failureCodes = failureCodes == null ? List.of() : List.copyOf(failureCodes);
        accountId = accountId == null ? Optional.empty() : accountId;
    }

    /** {@code Complete}, {@code Cancelled} and {@code Failed} are terminal. */
    public boolean terminal() {
        return status.equals("Complete") || status.equals("Cancelled") || status.equals("Failed");
    }

    @Override
    public MessageKind kind() {
        return MessageKind.BATCH_JOB_STATUS_CHANGED;
    }

    @Override
    public String key() {
        return jobId;
    }
}
