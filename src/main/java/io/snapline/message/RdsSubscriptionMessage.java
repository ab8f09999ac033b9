package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapline.message.SnapshotRef.Scope;

/**
 * An RDS event-subscription message (keys with spaces, AWS-FACTS §1), inside SNS or bare with raw
 * message delivery. {@code Event ID} is a documentation URL that ends in the id; {@code Event Time} is
 * UTC without a zone; {@code Source ARN} is missing in payloads from 2018–2019, and then the ARN is
 * built from the SNS topic's partition and account and the region of {@code Identifier Link} (or of
 * the topic).
 */
final class RdsSubscriptionMessage {

    private static final Fields.Where RDS = new Fields.Where("RDS event", "");

    private RdsSubscriptionMessage() {
    }

    static boolean recognises(JsonNode o) {
        return o.has("Event ID") || o.has("Event Source") || o.has("Source ID");
    }

    static SnaplineMessage read(JsonNode o, Envelope env) {
        String rawId = Fields.optText(o, "Event ID", RDS);
        if (rawId == null) {
            return new Malformed("RDS event has no 'Event ID' (fields " + Fields.fieldNames(o) + ")");
        }
        String eventId = RdsEventTable.extractEventId(rawId);
        if (eventId == null) {
            return new Malformed("RDS event field 'Event ID' " + Reasons.quote(rawId) + " holds no RDS-EVENT-nnnn id");
        }
        return RdsEvents.decide(eventId, () -> subject(o), () -> details(o, env));
    }

    /** Only quoted in a reason, so not bounded as a name. */
    private static String subject(JsonNode o) {
        String sourceId = Fields.optText(o, "Source ID", RDS);
        return sourceId != null ? sourceId : Fields.optText(o, "Source ARN", RDS);
    }

    private static RdsEvents.Details details(JsonNode o, Envelope env) {
        String sourceId = sourceId(o);
        String sourceArn = sourceArn(o);
        String eventSource = Fields.optText(o, "Event Source", RDS);
        String link = Fields.optText(o, "Identifier Link", RDS);
        Arn topic = env.topic();
        String region = regionFromLink(link);
        if (region == null && topic != null) {
            region = topic.region();
        }
        String time = Fields.optText(o, "Event Time", RDS);
        return new RdsEvents.Details(sourceId, sourceArn, "'Source ID'", "'Source ARN'", scopeFromEventSource(eventSource),
                region, topic == null ? null : topic.partition(), topic == null ? null : topic.account(),
                env.timeOf(time), RdsEvents.tags(o.get("Tags")));
    }

    private static String sourceId(JsonNode o) {
        return Fields.optName(o, "Source ID", RDS);
    }

    private static String sourceArn(JsonNode o) {
        return Fields.optName(o, "Source ARN", RDS);
    }

    /** The SNS spelling of the source type ({@code db-snapshot}, …), which differs from EventBridge's. */
    private static Scope scopeFromEventSource(String eventSource) {
        if (eventSource == null) {
            return null;
        }
        return switch (eventSource) {
            case "db-snapshot" -> Scope.DB_SNAPSHOT;
            case "db-cluster-snapshot" -> Scope.CLUSTER_SNAPSHOT;
            case "db-cluster" -> Scope.CLUSTER;
            default -> null;
        };
    }

    /** The {@code region=} of the console link, kept only as far as it looks like a region name. */
    private static String regionFromLink(String link) {
        if (link == null) {
            return null;
        }
        int i = link.indexOf("region=");
        if (i < 0) {
            return null;
        }
        int start = i + "region=".length();
        int end = start;
        while (end < link.length()) {
            char c = link.charAt(end);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                end++;
            } else {
                break;
            }
        }
        return end > start ? link.substring(start, end) : null;
    }
}
