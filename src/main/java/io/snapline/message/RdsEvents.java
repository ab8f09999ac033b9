package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapline.message.RdsEventTable.Rule;
import io.snapline.message.SnapshotCreated.Origin;
import io.snapline.message.SnapshotRef.Scope;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The decisions both RDS envelopes share (the SNS event-subscription message and the EventBridge
 * event): what an event id means ({@link RdsEventTable}), which snapshot the event names, and the
 * resulting message. Each envelope only says where its fields are.
 */
final class RdsEvents {

    /**
     * What an RDS event says about its subject, from whichever envelope.
     *
     * @param sourceId   {@code Source ID} / {@code detail.SourceIdentifier}, may be null
     * @param sourceArn  {@code Source ARN} / {@code detail.SourceArn} (or an RDS ARN in {@code resources}), may be null
     * @param idField    how reasons name the identifier field
     * @param arnField   how reasons name the ARN field
     * @param scopeHint  the scope the envelope states (SNS {@code Event Source}, EventBridge {@code SourceType}), may be null
     * @param region     the region the envelope states, may be null
     * @param partition  the partition the envelope states (SNS topic), may be null
     * @param account    the account the envelope states, may be null
     * @param time       when the event happened
     * @param tags       the resource's tags, when the event carries them
     */
    record Details(String sourceId, String sourceArn, String idField, String arnField, Scope scopeHint,
                   String region, String partition, String account, Instant time, Map<String, String> tags) {
    }

    private RdsEvents() {
    }

    /**
     * The message for one RDS event. The suppliers are read only when the event's row needs them, so
     * a field Snapline does not need for an event can never make that event malformed.
     *
     * @param eventId the bare id
     * @param subject what a "creating" reason names (the source id, else the ARN; may be null), read
     *                only for a "creating" event
     */
    static SnaplineMessage decide(String eventId, Supplier<String> subject, Supplier<Details> details) {
        Rule rule = RdsEventTable.rule(eventId);
        if (rule == null) {
            return notActedOn(eventId);
        }
        return switch (rule.action()) {
            case CREATING -> creating(rule, subject.get());
            case CREATED -> {
                Details d = details.get();
                SnapshotRef ref = snapshotRef(rule, d);
                Origin origin = rule.origin();
                if (origin != Origin.AUTOMATED && ref.identifier().startsWith("awsbackup:")) {
                    origin = Origin.AWS_BACKUP;
                }
                yield new SnapshotCreated(ref, origin, rule.eventId(), d.time(), d.tags());
            }
            case EXPORT_FINISHED -> {
                Details d = details.get();
                yield new ExportTaskFinished(snapshotRef(rule, d), rule.status(), rule.eventId(), d.time());
            }
            case COPY_CANCELED -> {
                Details d = details.get();
                yield new SnapshotCopyCanceled(snapshotRef(rule, d), rule.eventId(), d.time());
            }
        };
    }

    static Ignored notActedOn(String eventId) {
        return new Ignored("rds-event", Reasons.clip(eventId, 40) + " is not one Snapline acts on");
    }

    static Ignored creating(Rule rule, String subject) {
        return creatingIgnored(rule.eventId() + " (" + rule.label() + ")", subject);
    }

    /** A "creating" event, named by {@code what}: Snapline acts on the matching "created" event instead. */
    static Ignored creatingIgnored(String what, String subject) {
        return new Ignored("snapshot-creating", what + (subject == null ? "" : " for " + Reasons.quote(subject))
                + ": Snapline waits for the matching 'created' event");
    }

    /**
     * The snapshot an event names. The identifier comes from the source id, else from the ARN. The ARN
     * is the event's, else (RDS publishes only to topics and buses in its own account and region) one
     * built from the envelope's partition, account and region.
     */
    static SnapshotRef snapshotRef(Rule rule, Details d) {
        Arn arn = null;
        if (d.sourceArn() != null) {
            arn = Arn.parse(d.sourceArn()).orElse(null);
            if (arn == null || !isRdsResource(arn)) {
                throw new BadMessage("RDS event " + rule.eventId() + " field " + d.arnField() + " "
                        + Reasons.quote(d.sourceArn()) + " is not an RDS resource ARN");
            }
        }
        String identifier = d.sourceId();
        if (identifier == null || identifier.isBlank()) {
            if (arn == null) {
                throw new BadMessage("RDS event " + rule.eventId() + " names no snapshot: " + d.idField() + " and "
                        + d.arnField() + " are both missing");
            }
            identifier = arn.resourceId();
        }
        // The ARN names its resource type, the most direct statement of scope there is (an AWS
        // Backup job on Aurora may emit a DB-snapshot event id; that is UNVERIFIED). Without an ARN
        // the event id decides, and for copies (whose ids do not say) the event's source type.
        Scope scope = arn == null ? null : arn.rdsScope().orElse(null);
        if (scope == null) {
            scope = rule.scope() != null ? rule.scope() : d.scopeHint() != null ? d.scopeHint() : Scope.DB_SNAPSHOT;
        }
        String region = arn != null ? arn.region() : d.region();
        String fullArn = d.sourceArn();
        if (fullArn == null && !isEmpty(d.account()) && !isEmpty(region)) {
            String partition = d.partition() != null ? d.partition() : Arn.partitionOf(region);
            fullArn = Fields.bounded(
                    new Arn(partition, "rds", region, d.account(), Arn.rdsType(scope) + ":" + identifier).toString(),
                    "the snapshot ARN built from the envelope's account and region");
        }
        return new SnapshotRef(identifier, scope, Optional.ofNullable(fullArn),
                Optional.ofNullable(isEmpty(region) ? null : region));
    }

    /** An RDS ARN with a resource type and a non-blank resource id ({@code snapshot:orders}, not {@code snapshot:}). */
    static boolean isRdsResource(Arn arn) {
        return arn.service().equals("rds") && !arn.resourceType().isEmpty() && !arn.resourceId().isBlank();
    }

    /** Tags as RDS adds them: an object of strings, or a list of {Key, Value}. Best effort: odd entries are dropped. */
    static Map<String, String> tags(JsonNode node) {
        if (node == null || node.isNull() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    tags.put(e.getKey(), e.getValue().asText());
                }
            }
        } else if (node.isArray()) {
            for (JsonNode t : node) {
                JsonNode k = t.get("Key");
                JsonNode v = t.get("Value");
                if (k != null && k.isTextual() && v != null && v.isValueNode() && !v.isNull()) {
                    tags.put(k.textValue(), v.asText());
                }
            }
        }
        return tags;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
