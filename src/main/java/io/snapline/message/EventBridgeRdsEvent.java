package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapline.message.SnapshotRef.Scope;

/**
 * An RDS event through EventBridge ({@code source: aws.rds}, AWS-FACTS §2): {@code detail.EventID} is
 * the bare id, {@code detail.SourceType} uses the EventBridge spelling ({@code SNAPSHOT},
 * {@code CLUSTER_SNAPSHOT}, {@code CLUSTER}), and the snapshot ARN is {@code detail.SourceArn} or the
 * first RDS snapshot or cluster ARN in {@code resources}. A cluster-snapshot event without
 * {@code EventID} (UNVERIFIED) is classified by its message text, the only signal it has.
 */
final class EventBridgeRdsEvent {

    private EventBridgeRdsEvent() {
    }

    static SnaplineMessage read(EventBridgeEvent ev) {
        String rawId = ev.detailText("EventID");
        String sourceType = ev.detailText("SourceType");
        String sourceId = ev.detailText("SourceIdentifier");
        String sourceArn = ev.detailText("SourceArn");
        String subject = sourceId != null ? sourceId : sourceArn;
        String eventId;
        if (rawId == null) {
            boolean clusterSnapshot = "RDS DB Cluster Snapshot Event".equals(ev.detailType())
                    || "CLUSTER_SNAPSHOT".equals(sourceType);
            if (!clusterSnapshot) {
                return new Ignored("rds-event", "RDS event " + Reasons.quote(ev.detailType())
                        + " without detail.EventID is not one Snapline acts on");
            }
            String message = ev.detailText("Message");
            if (RdsEventTable.isCreatingClusterSnapshotText(message)) {
                return RdsEvents.creatingIgnored("cluster snapshot event without EventID says " + Reasons.quote(message),
                        sourceId);
            }
            eventId = RdsEventTable.eventIdForClusterSnapshotText(message);
            if (eventId == null) {
                return new Ignored("rds-event", "cluster snapshot event without EventID and with message "
                        + Reasons.quote(message) + " is not one Snapline acts on");
            }
        } else {
            eventId = RdsEventTable.extractEventId(rawId);
            if (eventId == null) {
                return new Malformed("EventBridge field 'detail.EventID' " + Reasons.quote(rawId)
                        + " holds no RDS-EVENT-nnnn id");
            }
        }
        return RdsEvents.decide(eventId, () -> subject, () -> details(ev, sourceType, sourceId, sourceArn));
    }

    private static RdsEvents.Details details(EventBridgeEvent ev, String sourceType, String sourceId, String sourceArn) {
        String arn = Fields.bounded(sourceArn, "EventBridge field 'detail.SourceArn'");
        if (arn == null) {
            arn = firstRdsResource(ev.root().get("resources"));
        }
        Scope hint = scopeFromSourceType(sourceType);
        if (hint == null) {
            hint = scopeFromDetailType(ev.detailType());
        }
        return new RdsEvents.Details(Fields.bounded(sourceId, "EventBridge field 'detail.SourceIdentifier'"), arn,
                "'detail.SourceIdentifier'", "'detail.SourceArn'", hint, ev.envelopeText("region"), null,
                ev.envelopeText("account"), ev.envelope().timeOf(ev.detailText("Date")),
                RdsEvents.tags(ev.detail().get("Tags")));
    }

    /** The first RDS snapshot or cluster ARN in the envelope's {@code resources}, or null. */
    private static String firstRdsResource(JsonNode resources) {
        if (resources == null || !resources.isArray()) {
            return null;
        }
        for (JsonNode r : resources) {
            if (r.isTextual() && r.textValue().length() <= MessageParser.MAX_NAME_CHARS) {
                boolean snapshotOrCluster = Arn.parse(r.textValue())
                        .filter(RdsEvents::isRdsResource)
                        .flatMap(Arn::rdsScope)
                        .isPresent();
                if (snapshotOrCluster) {
                    return r.textValue();
                }
            }
        }
        return null;
    }

    private static Scope scopeFromSourceType(String sourceType) {
        if (sourceType == null) {
            return null;
        }
        return switch (sourceType) {
            case "SNAPSHOT" -> Scope.DB_SNAPSHOT;
            case "CLUSTER_SNAPSHOT" -> Scope.CLUSTER_SNAPSHOT;
            case "CLUSTER" -> Scope.CLUSTER;
            default -> null;
        };
    }

    private static Scope scopeFromDetailType(String detailType) {
        return switch (detailType) {
            case "RDS DB Snapshot Event" -> Scope.DB_SNAPSHOT;
            case "RDS DB Cluster Snapshot Event" -> Scope.CLUSTER_SNAPSHOT;
            case "RDS DB Cluster Event" -> Scope.CLUSTER;
            default -> null;
        };
    }
}
