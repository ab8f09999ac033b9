package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An S3 Batch Operations job event: S3 reports job changes only as CloudTrail service events
 * ({@code source: aws.s3}, {@code detail-type: AWS Service Event via CloudTrail}, {@code eventName}
 * {@code JobCreated} or {@code JobStatusChanged}), with the job in {@code detail.serviceEventDetails}.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-event-bridge-cloud-trail.html">
 *      Tracking S3 Batch Operations jobs in EventBridge through CloudTrail</a>
 */
final class S3BatchJobEvent {

    private S3BatchJobEvent() {
    }

    static SnaplineMessage read(EventBridgeEvent ev) {
        String eventName = ev.detailText("eventName");
        if (!"JobCreated".equals(eventName) && !"JobStatusChanged".equals(eventName)) {
            return new Ignored("s3-event", "S3 CloudTrail event " + Reasons.quote(eventName)
                    + " is not a Batch Operations job event");
        }
        JsonNode details = ev.detail().get("serviceEventDetails");
        if (details == null || !details.isObject()) {
            return new Malformed("S3 " + eventName + " event field 'detail.serviceEventDetails' is "
                    + Fields.describe(details) + ", expected an object");
        }
        Fields.Where where = new Fields.Where("S3 " + eventName, "detail.serviceEventDetails.");
        String jobId = Fields.reqName(details, "jobId", where);
        String status = Fields.reqText(details, "status", where);
        List<String> failureCodes = new ArrayList<>();
        JsonNode codes = details.get("failureCodes");
        if (codes != null && !codes.isNull()) {
            if (!codes.isArray()) {
                return new Malformed(where.name("failureCodes") + " is " + Fields.describe(codes) + ", expected an array");
            }
            for (JsonNode c : codes) {
                if (!c.isNull()) {
                    failureCodes.add(c.isValueNode() ? c.asText() : c.toString());
                }
            }
        }
        String account = ev.envelopeText("account");
        if (account == null) {
            account = ev.detailText("recipientAccountId");
        }
        return new BatchJobStatusChanged(jobId, status, Optional.ofNullable(account), failureCodes,
                ev.envelope().timeOf(ev.detailText("eventTime")));
    }
}
