package io.snapline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.snapline.consumer.QueueTopology;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The offline local dry run's stand-in for RDS's event subscription. Nothing is created in AWS, so
 * no RDS event would ever follow a dry-run CreateDBSnapshot or CopyDBSnapshot; to show the whole
 * chain (tick → snapshot → export and copy → copy finished) the offline dry run sends into the
 * embedded queue the event RDS would publish once the snapshot or copy is available: the SNS
 * envelope of RDS-EVENT-0042 / 0075 (manual snapshot created) or 0060 (cross-region copy finished),
 * {@value #DELAY_SECONDS} s later. Each is logged as an assumption on the dry-run logger. Only the
 * offline dry run calls it: with an endpoint (an emulator) or AWS, the events are AWS's own.
 */
@Singleton
@Requires(condition = LocalModeCondition.class)
public class OfflineRdsEvents {

    /** How long after the dry-run call the event arrives (RDS takes minutes; a few seconds keep the order). */
    static final int DELAY_SECONDS = 5;

    /** The dry run's logger (io.snapline.aws.DryRunGateways.LOGGER; this package may not use that one). */
    private static final Logger DRY_RUN = LoggerFactory.getLogger("io.snapline.dryrun");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private final SqsClient sqs;
    private final QueueTopology topology;
    private final Clock clock;

    public OfflineRdsEvents(SqsClient sqs, QueueTopology topology, Clock clock) {
        this.sqs = sqs;
        this.topology = topology;
        this.clock = clock;
    }

    /** A manual snapshot the dry run "created" is available: RDS-EVENT-0042, or 0075 for a cluster snapshot. */
    public void snapshotCreated(boolean cluster, String region, String identifier, String arn) {
        send(cluster, region, identifier, arn, cluster ? "RDS-EVENT-0075" : "RDS-EVENT-0042",
                cluster ? "Manual cluster snapshot created" : "Manual snapshot created");
    }

    /** A copy the dry run "made" in {@code region} is available: RDS-EVENT-0060, in the destination region. */
    public void copyFinished(boolean cluster, String region, String identifier, String arn, String sourceIdentifier,
                             String sourceRegion) {
        send(cluster, region, identifier, arn, "RDS-EVENT-0060",
                "Finished copy of snapshot " + sourceIdentifier + " from region " + sourceRegion + " in 0 minutes");
    }

    private void send(boolean cluster, String region, String identifier, String arn, String eventId, String message) {
        String body = envelope(cluster ? "db-cluster-snapshot" : "db-snapshot", region, identifier, arn, eventId, message);
        try {
            sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(body).delaySeconds(DELAY_SECONDS));
            DRY_RUN.info("DRY-RUN offline, assuming RDS publishes {} for {} in {} -> sent to the local queue, due in {} s",
                    eventId, identifier, region, DELAY_SECONDS);
        } catch (RuntimeException e) {
            DRY_RUN.error("DRY-RUN offline: the assumed {} for {} could not be sent to the local queue ({}); the dry run's "
                    + "chain stops at {}", eventId, identifier, e.toString(), identifier);
        }
    }

    /** The SNS envelope an RDS event subscription delivers to SQS (raw message delivery off). */
    private String envelope(String source, String region, String identifier, String arn, String eventId, String message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Event Source", source);
        event.put("Event Time", EVENT_TIME.format(clock.instant()));
        event.put("Identifier Link", "https://console.aws.amazon.com/rds/home?region=" + region + "#" + source + ":id="
                + identifier);
        event.put("Source ID", identifier);
        event.put("Source ARN", arn);
        event.put("Event ID", "http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#" + eventId);
        event.put("Event Message", message);
        try {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("Type", "Notification");
            outer.put("MessageId", UUID.randomUUID().toString());
            outer.put("TopicArn", "arn:aws:sns:" + region + ":000000000000:snapline-local-dry-run");
            outer.put("Subject", "RDS Notification Message");
            outer.put("Message", JSON.writeValueAsString(event));
            outer.put("Timestamp", clock.instant().toString());
            return JSON.writeValueAsString(outer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an RDS event envelope", e);
        }
    }
}
