package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An EventBridge event (AWS-FACTS §2): {@code source}, {@code detail-type}, {@code account},
 * {@code region}, {@code time}, {@code resources} and the object {@code detail}; bare (the rule targets
 * SQS) or inside SNS (the rule targets SNS). Each source Snapline reads has one reader, chosen in
 * {@link #read}; an event from a custom source whose detail is a command is that command.
 *
 * @param root       the whole event
 * @param detail     its {@code detail}, an object
 * @param source     its {@code source}
 * @param detailType its {@code detail-type}
 * @param envelope   what the outer layers know, with this event's {@code time}
 */
record EventBridgeEvent(JsonNode root, JsonNode detail, String source, String detailType, Envelope envelope) {

    private static final Fields.Where ENVELOPE = new Fields.Where("EventBridge", "");
    private static final Fields.Where DETAIL = new Fields.Where("EventBridge", "detail.");

    static boolean recognises(JsonNode o) {
        return o.has("detail-type");
    }

    static SnaplineMessage read(JsonNode ev, Envelope outer) {
        String detailType = Fields.reqText(ev, "detail-type", ENVELOPE);
        String source = Fields.reqText(ev, "source", ENVELOPE);
        JsonNode detail = ev.get("detail");
        if (detail == null || detail.isNull()) {
            return new Malformed("EventBridge event (" + Reasons.quote(source) + ", " + Reasons.quote(detailType)
                    + ") has no 'detail'");
        }
        if (!detail.isObject()) {
            return new Malformed("EventBridge field 'detail' is " + Fields.describe(detail) + ", expected an object");
        }
        Envelope env = outer.withEventBridgeTime(Fields.optText(ev, "time", ENVELOPE));
        EventBridgeEvent event = new EventBridgeEvent(ev, detail, source, detailType, env);
        // The sources Snapline reads, one reader each. To read another, add one case and its reader.
        return switch (source) {
            case "aws.rds" -> EventBridgeRdsEvent.read(event);
            case "aws.backup" -> detailType.equals("Backup Job State Change") ? BackupJobEvent.read(event)
                    : event.notActedOn();
            case "aws.s3" -> detailType.equals("AWS Service Event via CloudTrail") ? S3BatchJobEvent.read(event)
                    : event.notActedOn();
            case "aws.glue" -> detailType.equals("Glue Crawler State Change") ? GlueCrawlerEvent.read(event)
                    : event.notActedOn();
            default -> customSource(event);
        };
    }

    /** A command sent through a custom event (AWS services' own details are never commands), or nothing. */
    private static SnaplineMessage customSource(EventBridgeEvent event) {
        boolean awsService = event.source().startsWith("aws.") && !event.source().equals("aws.events");
        if (!awsService && event.detail().has("command")) {
            return CommandMessage.read(event.detail(), "detail.");
        }
        if (event.source().equals("aws.events") && event.detailType().equals("Scheduled Event")) {
            return new Ignored("scheduled-event", "EventBridge Scheduled Event without a command; give the rule an"
                    + " input (a command message) to make it do something");
        }
        return event.notActedOn();
    }

    /** An event Snapline has nothing to do with. */
    Ignored notActedOn() {
        return new Ignored("unrecognised", "EventBridge event from source " + Reasons.quote(source)
                + " with detail-type " + Reasons.quote(detailType) + " is not one Snapline acts on");
    }

    /** The text of an optional {@code detail} field; {@code field} is its name under {@code detail}. */
    String detailText(String field) {
        return Fields.optText(detail, field, DETAIL);
    }

    /** An optional {@code detail} field that names something, bounded. */
    String detailName(String field) {
        return Fields.optName(detail, field, DETAIL);
    }

    /** The text of an optional top-level field. */
    String envelopeText(String field) {
        return Fields.optText(root, field, ENVELOPE);
    }
}
