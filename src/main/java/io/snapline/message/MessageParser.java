package io.snapline.message;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.snapline.message.ExportTaskFinished.Status;
import io.snapline.message.SnapshotCreated.Origin;
import io.snapline.message.SnapshotRef.Scope;
import jakarta.inject.Singleton;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one SQS body into exactly one {@link SnaplineMessage}. It never throws: anything it cannot
 * understand becomes {@link Malformed} with a reason that names the problem, and anything it
 * understands but Snapline does not act on becomes {@link Ignored} with a reason.
 *
 * <p>Shapes recognised (see {@code docs/messages.md} for the full table):
 * <ul>
 *   <li>an SNS envelope ({@code "Type":"Notification"}) whose {@code Message} string holds an RDS
 *       event-subscription message (keys with spaces), an EventBridge event, or a Snapline command;
 *       SNS {@code SubscriptionConfirmation}/{@code UnsubscribeConfirmation} are ignored;</li>
 *   <li>the same payloads bare (SNS raw message delivery, or an EventBridge rule targeting SQS);</li>
 *   <li>RDS's plain-text first message on a new subscription, ignored.</li>
 * </ul>
 * RDS events are classified by their event id ({@code RDS-EVENT-nnnn}), never by message text
 * (the text is not stable), except for EventBridge cluster-snapshot events that carry no
 * {@code EventID}, where the message text is the only signal.
 * See <a href="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html">RDS
 * event categories and messages</a>.
 *
 * <p>Thread-safe and allocation-light: one shared Jackson mapper, each JSON layer read once. Bodies
 * over {@value #MAX_BODY_BYTES} UTF-8 bytes (the SQS maximum) are rejected without parsing, and JSON
 * nested deeper than {@value #MAX_NESTING_DEPTH} levels is rejected by the reader itself, so hostile
 * input cannot exhaust the stack.
 */
@Singleton
public class MessageParser {

    /** Largest body accepted, in UTF-8 bytes: the SQS maximum message size (1 MiB). */
    public static final int MAX_BODY_BYTES = 1_048_576;

    /** Deepest JSON nesting accepted; real events (CloudTrail included) stay far below this. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** The text RDS sends, instead of JSON, as the first message on a new event subscription. */
    static final String RDS_SUBSCRIPTION_NOTICE = "This is a message to notify that RDS will attempt to send you";

    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private static final int REASON_VALUE_CHARS = 120;

    /** What Snapline does with an RDS event id. */
    private enum Action { CREATED, CREATING, EXPORT_FINISHED }

    /**
     * One row of the event-id table.
     *
     * @param scope  fixed scope, or null when it comes from the event (snapshot copies)
     * @param origin for CREATED
     * @param status for EXPORT_FINISHED
     */
    private record Rule(Action action, Scope scope, Origin origin, Status status, String label) {
    }

    private static final Map<String, Rule> RDS_RULES = rules();

    private static Map<String, Rule> rules() {
        Map<String, Rule> m = new HashMap<>();
        m.put("RDS-EVENT-0042", new Rule(Action.CREATED, Scope.DB_SNAPSHOT, Origin.MANUAL, null, "manual snapshot created"));
        m.put("RDS-EVENT-0091", new Rule(Action.CREATED, Scope.DB_SNAPSHOT, Origin.AUTOMATED, null, "automated snapshot created"));
        m.put("RDS-EVENT-0075", new Rule(Action.CREATED, Scope.CLUSTER_SNAPSHOT, Origin.MANUAL, null, "manual cluster snapshot created"));
        m.put("RDS-EVENT-0169", new Rule(Action.CREATED, Scope.CLUSTER_SNAPSHOT, Origin.AUTOMATED, null, "automated cluster snapshot created"));
        m.put("RDS-EVENT-0060", new Rule(Action.CREATED, null, Origin.COPY, null, "finished cross-region snapshot copy"));
        m.put("RDS-EVENT-0197", new Rule(Action.CREATED, null, Origin.COPY, null, "finished snapshot copy"));
        m.put("RDS-EVENT-0040", new Rule(Action.CREATING, Scope.DB_SNAPSHOT, null, null, "creating manual snapshot"));
        m.put("RDS-EVENT-0090", new Rule(Action.CREATING, Scope.DB_SNAPSHOT, null, null, "creating automated snapshot"));
        m.put("RDS-EVENT-0074", new Rule(Action.CREATING, Scope.CLUSTER_SNAPSHOT, null, null, "creating manual cluster snapshot"));
        m.put("RDS-EVENT-0168", new Rule(Action.CREATING, Scope.CLUSTER_SNAPSHOT, null, null, "creating automated cluster snapshot"));
        m.put("RDS-EVENT-0059", new Rule(Action.CREATING, null, null, null, "started cross-region snapshot copy"));
        m.put("RDS-EVENT-0196", new Rule(Action.CREATING, null, null, null, "started snapshot copy"));
        exports(m, Scope.DB_SNAPSHOT, "0159", "0160", "0161");
        exports(m, Scope.CLUSTER_SNAPSHOT, "0162", "0163", "0164");
        exports(m, Scope.CLUSTER, "0234", "0235", "0236");
        return Map.copyOf(m);
    }

    private static void exports(Map<String, Rule> m, Scope scope, String failed, String canceled, String completed) {
        m.put("RDS-EVENT-" + failed, new Rule(Action.EXPORT_FINISHED, scope, null, Status.FAILED, "export task failed"));
        m.put("RDS-EVENT-" + canceled, new Rule(Action.EXPORT_FINISHED, scope, null, Status.CANCELED, "export task canceled"));
        m.put("RDS-EVENT-" + completed, new Rule(Action.EXPORT_FINISHED, scope, null, Status.COMPLETED, "export task completed"));
    }

    /** A problem found while reading a recognised shape; becomes {@link Malformed}. */
    private static final class BadMessage extends RuntimeException {
        BadMessage(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What the outer layers know: SNS topic and timestamp, EventBridge time. Any may be null. */
    private record Envelope(String topicArn, String snsTimestamp, String eventBridgeTime) {
        static final Envelope NONE = new Envelope(null, null, null);

        Envelope withEventBridgeTime(String time) {
            return new Envelope(topicArn, snsTimestamp, time);
        }

        /** The envelope's own time: EventBridge {@code time}, else SNS {@code Timestamp}, else the epoch. */
        Instant time() {
            Instant t = parseTime(eventBridgeTime);
            if (t == null) {
                t = parseTime(snsTimestamp);
            }
            return t == null ? Instant.EPOCH : t;
        }
    }

    /** Creates a parser; all instances share one JSON reader. */
    public MessageParser() {
        // stateless
    }

    /**
     * Parses one SQS body. Never throws and never returns null.
     *
     * @param body the SQS message body as received
     * @return exactly one message; {@link Malformed} with a reason when the body cannot be understood
     */
    public SnaplineMessage parse(String body) {
        try {
            return parseBody(body);
        } catch (BadMessage e) {
            return new Malformed(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Malformed("parser failed on this body (" + e.getClass().getSimpleName() + ": "
                    + clip(String.valueOf(e.getMessage()), REASON_VALUE_CHARS) + ")");
        }
    }

    private SnaplineMessage parseBody(String body) {
        if (body == null) {
            return new Malformed("body is null");
        }
        if (!body.isEmpty() && body.charAt(0) == '\uFEFF') {
            body = body.substring(1); // a byte-order mark some tools prepend; not part of the JSON
        }
        if (body.isBlank()) {
            return new Malformed("body is empty");
        }
        if (exceedsUtf8Bytes(body, MAX_BODY_BYTES)) {
            return new Malformed("body is " + utf8Length(body) + " bytes (UTF-8), over the " + MAX_BODY_BYTES
                    + "-byte (1 MiB) limit; not parsed");
        }
        if (isRdsSubscriptionNotice(body)) {
            return rdsSubscriptionNotice(body);
        }
        JsonNode root = readJson(body, "body");
        if (!root.isObject()) {
            return new Malformed("body is " + describe(root) + ", expected a JSON object");
        }
        if (isSnsEnvelope(root)) {
            return snsEnvelope(root);
        }
        return payload(root, Envelope.NONE);
    }

    // ---------------------------------------------------------------- layers

    private static JsonNode readJson(String text, String what) {
        try {
            return READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new BadMessage(what + " exceeds a JSON limit: " + jsonProblem(e));
        } catch (JacksonException e) {
            throw new BadMessage(what + " is not valid JSON: " + jsonProblem(e)
                    + "; it starts with " + quote(text, 40));
        }
    }

    private static boolean isSnsEnvelope(JsonNode o) {
        JsonNode type = o.get("Type");
        return type != null && type.isTextual() && (o.has("TopicArn") || o.has("MessageId"));
    }

    private SnaplineMessage snsEnvelope(JsonNode sns) {
        String type = sns.get("Type").textValue();
        String topic = optText(sns, "TopicArn", "SNS field 'TopicArn'");
        switch (type) {
            case "Notification":
                break;
            case "SubscriptionConfirmation":
                return new Ignored("sns-subscription-confirmation", "SNS SubscriptionConfirmation for topic "
                        + quote(topic) + ": Snapline does not confirm subscriptions itself (AWS confirms SQS"
                        + " subscriptions in the same account); to confirm by hand, open SubscribeURL "
                        + quote(optText(sns, "SubscribeURL", "SNS field 'SubscribeURL'"), 400));
            case "UnsubscribeConfirmation":
                return new Ignored("sns-unsubscribe-confirmation", "SNS UnsubscribeConfirmation for topic "
                        + quote(topic) + ": the queue was unsubscribed; to subscribe again, open SubscribeURL "
                        + quote(optText(sns, "SubscribeURL", "SNS field 'SubscribeURL'"), 400));
            default:
                return new Ignored("unrecognised", "SNS message of Type " + quote(type) + " is not one Snapline acts on");
        }
        JsonNode message = sns.get("Message");
        if (message == null || message.isNull()) {
            return new Malformed("SNS Notification has no 'Message'");
        }
        if (!message.isTextual()) {
            return new Malformed("SNS Notification field 'Message' is " + describe(message) + ", expected a string");
        }
        String text = message.textValue();
        if (text.isBlank()) {
            return new Malformed("SNS Notification field 'Message' is empty");
        }
        if (isRdsSubscriptionNotice(text)) {
            return rdsSubscriptionNotice(text);
        }
        Envelope env = new Envelope(topic, optText(sns, "Timestamp", "SNS field 'Timestamp'"), null);
        JsonNode inner = readJson(text, "SNS Notification field 'Message'");
        if (!inner.isObject()) {
            return new Malformed("SNS Notification field 'Message' holds " + describe(inner) + ", expected a JSON object");
        }
        if (isSnsEnvelope(inner)) {
            return new Ignored("unrecognised", "an SNS envelope inside an SNS envelope; Snapline reads one SNS layer");
        }
        return payload(inner, env);
    }

    /** The payload inside (or without) an SNS envelope. */
    private SnaplineMessage payload(JsonNode o, Envelope env) {
        if (o.has("detail-type")) {
            return eventBridge(o, env);
        }
        if (o.has("command")) {
            return command(o, "");
        }
        if (o.has("Event ID") || o.has("Event Source") || o.has("Source ID")) {
            return rdsSubscriptionEvent(o, env);
        }
        return new Ignored("unrecognised", "a JSON object with fields " + fieldNames(o)
                + " is none of the shapes Snapline knows (SNS envelope, EventBridge event, RDS event, command)");
    }

    private static boolean isRdsSubscriptionNotice(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return text.regionMatches(true, i, RDS_SUBSCRIPTION_NOTICE, 0, RDS_SUBSCRIPTION_NOTICE.length());
    }

    private static Ignored rdsSubscriptionNotice(String text) {
        return new Ignored("rds-subscription-notice", "RDS's plain-text first message on a new event subscription, not an event: "
                + quote(text.strip(), 300));
    }

    // ---------------------------------------------------------------- RDS event subscription (keys with spaces)

    private SnaplineMessage rdsSubscriptionEvent(JsonNode o, Envelope env) {
        String rawId = optText(o, "Event ID", "RDS event field 'Event ID'");
        if (rawId == null) {
            return new Malformed("RDS event has no 'Event ID' (fields " + fieldNames(o) + ")");
        }
        String eventId = extractEventId(rawId);
        if (eventId == null) {
            return new Malformed("RDS event field 'Event ID' " + quote(rawId) + " holds no RDS-EVENT-nnnn id");
        }
        Rule rule = RDS_RULES.get(eventId);
        if (rule == null) {
            return notActedOn(eventId);
        }
        String sourceId = optText(o, "Source ID", "RDS event field 'Source ID'");
        String sourceArn = optText(o, "Source ARN", "RDS event field 'Source ARN'");
        if (rule.action() == Action.CREATING) {
            return creating(eventId, rule, sourceId != null ? sourceId : sourceArn);
        }
        String eventSource = optText(o, "Event Source", "RDS event field 'Event Source'");
        String link = optText(o, "Identifier Link", "RDS event field 'Identifier Link'");
        String[] topic = arnParts(env.topicArn());
        String region = regionFromLink(link);
        if (region == null && topic != null) {
            region = topic[3];
        }
        SnapshotRef ref = snapshotRef(eventId, rule, sourceId, sourceArn, "'Source ID'", "'Source ARN'",
                scopeFromEventSource(eventSource), region,
                topic == null ? null : topic[1], topic == null ? null : topic[4]);
        String timeText = optText(o, "Event Time", "RDS event field 'Event Time'");
        Instant time = parseTime(timeText);
        if (time == null) {
            time = env.time();
        }
        return decided(eventId, rule, ref, time, tags(o.get("Tags")));
    }

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

    /**
     * The {@code RDS-EVENT-nnnn} id inside a bare id or a documentation URL
     * ({@code http://docs.aws.amazon.com/...#RDS-EVENT-0169}); null when there is none.
     * All the digits are kept so that a longer future id never aliases a known 4-digit one.
     */
    static String extractEventId(String text) {
        int i = text.indexOf("RDS-EVENT-");
        if (i < 0) {
            return null;
        }
        int start = i + "RDS-EVENT-".length();
        int end = start;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        if (end - start < 4) {
            return null;
        }
        return end == text.length() && i == 0 ? text : text.substring(i, end);
    }

    // ---------------------------------------------------------------- decisions shared by both RDS shapes

    private static Ignored notActedOn(String eventId) {
        return new Ignored("rds-event", eventId + " is not one Snapline acts on");
    }

    private static Ignored creating(String eventId, Rule rule, String subject) {
        return new Ignored("snapshot-creating", eventId + " (" + rule.label() + ")"
                + (subject == null ? "" : " for " + quote(subject))
                + ": Snapline waits for the matching 'created' event");
    }

    private static SnaplineMessage decided(String eventId, Rule rule, SnapshotRef ref, Instant time,
                                           Map<String, String> tags) {
        if (rule.action() == Action.EXPORT_FINISHED) {
            return new ExportTaskFinished(ref, rule.status(), eventId, time);
        }
        Origin origin = rule.origin();
        if (origin != Origin.AUTOMATED && ref.identifier().startsWith("awsbackup:")) {
            origin = Origin.AWS_BACKUP;
        }
        return new SnapshotCreated(ref, origin, eventId, time, tags);
    }

    /**
     * Builds the snapshot reference. The identifier comes from the event's source id, else from the
     * ARN. The ARN is the event's, else (RDS publishes only to topics and buses in its own account and
     * region) one built from the envelope's partition, account and region.
     */
    private static SnapshotRef snapshotRef(String eventId, Rule rule, String sourceId, String sourceArn,
                                           String idField, String arnField, Scope scopeHint, String regionHint,
                                           String partition, String account) {
        String[] arn = null;
        if (sourceArn != null) {
            arn = arnParts(sourceArn);
            if (arn == null || !"rds".equals(arn[2]) || arn.length < 7) {
                throw new BadMessage("RDS event " + eventId + " field " + arnField + " " + quote(sourceArn)
                        + " is not an RDS resource ARN");
            }
        }
        String identifier = sourceId;
        if (identifier == null || identifier.isBlank()) {
            if (arn == null) {
                throw new BadMessage("RDS event " + eventId + " names no snapshot: " + idField + " and "
                        + arnField + " are both missing");
            }
            identifier = arn[6];
        }
        // The ARN names its resource type, the most direct statement of scope there is (an AWS
        // Backup job on Aurora may emit a DB-snapshot event id; that is UNVERIFIED). Without an ARN
        // the event id decides, and for copies (whose ids do not say) the event's source type.
        Scope scope = arn == null ? null : scopeFromArnType(arn[5]);
        if (scope == null) {
            scope = rule.scope() != null ? rule.scope() : scopeHint != null ? scopeHint : Scope.DB_SNAPSHOT;
        }
        String region = arn != null ? arn[3] : regionHint;
        String fullArn = sourceArn;
        if (fullArn == null && account != null && region != null && !account.isEmpty() && !region.isEmpty()) {
            fullArn = "arn:" + (partition == null ? partitionOf(region) : partition) + ":rds:" + region + ":"
                    + account + ":" + arnType(scope) + ":" + identifier;
        }
        return new SnapshotRef(identifier, scope, Optional.ofNullable(fullArn),
                Optional.ofNullable(region == null || region.isEmpty() ? null : region));
    }

    private static Scope scopeFromArnType(String type) {
        return switch (type) {
            case "snapshot" -> Scope.DB_SNAPSHOT;
            case "cluster-snapshot" -> Scope.CLUSTER_SNAPSHOT;
            case "cluster" -> Scope.CLUSTER;
            default -> null;
        };
    }

    private static String arnType(Scope scope) {
        return switch (scope) {
            case DB_SNAPSHOT -> "snapshot";
            case CLUSTER_SNAPSHOT -> "cluster-snapshot";
            case CLUSTER -> "cluster";
        };
    }

    private static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** {@code arn:partition:service:region:account:type:rest} split into at most 7 parts, or null. */
    private static String[] arnParts(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] p = arn.split(":", 7);
        return p.length >= 6 ? p : null;
    }

    /** Tags as RDS adds them: an object of strings, or a list of {Key, Value}. Best effort: odd entries are dropped. */
    private static Map<String, String> tags(JsonNode node) {
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

    // ---------------------------------------------------------------- EventBridge

    private SnaplineMessage eventBridge(JsonNode ev, Envelope outer) {
        String detailType = reqText(ev, "detail-type", "EventBridge field 'detail-type'");
        String source = reqText(ev, "source", "EventBridge field 'source'");
        JsonNode detail = ev.get("detail");
        if (detail == null || detail.isNull()) {
            return new Malformed("EventBridge event (" + quote(source) + ", " + quote(detailType) + ") has no 'detail'");
        }
        if (!detail.isObject()) {
            return new Malformed("EventBridge field 'detail' is " + describe(detail) + ", expected an object");
        }
        Envelope env = outer.withEventBridgeTime(optText(ev, "time", "EventBridge field 'time'"));
        switch (source) {
            case "aws.rds":
                return eventBridgeRds(ev, detail, detailType, env);
            case "aws.backup":
                return "Backup Job State Change".equals(detailType) ? backupJob(detail, env)
                        : otherEvent(source, detailType);
            case "aws.s3":
                return "AWS Service Event via CloudTrail".equals(detailType) ? s3BatchJob(ev, detail, env)
                        : otherEvent(source, detailType);
            case "aws.glue":
                return "Glue Crawler State Change".equals(detailType) ? crawler(detail, env)
                        : otherEvent(source, detailType);
            default:
                break;
        }
        boolean awsService = source.startsWith("aws.") && !source.equals("aws.events");
        if (!awsService && detail.has("command")) {
            return command(detail, "detail.");
        }
        if (source.equals("aws.events") && detailType.equals("Scheduled Event")) {
            return new Ignored("scheduled-event", "EventBridge Scheduled Event without a command; give the rule an"
                    + " input (a command message) to make it do something");
        }
        return otherEvent(source, detailType);
    }

    private static Ignored otherEvent(String source, String detailType) {
        return new Ignored("unrecognised", "EventBridge event from source " + quote(source) + " with detail-type "
                + quote(detailType) + " is not one Snapline acts on");
    }

    private SnaplineMessage eventBridgeRds(JsonNode ev, JsonNode detail, String detailType, Envelope env) {
        String rawId = optText(detail, "EventID", "EventBridge field 'detail.EventID'");
        String sourceType = optText(detail, "SourceType", "EventBridge field 'detail.SourceType'");
        String sourceId = optText(detail, "SourceIdentifier", "EventBridge field 'detail.SourceIdentifier'");
        String sourceArn = optText(detail, "SourceArn", "EventBridge field 'detail.SourceArn'");
        String eventId;
        if (rawId == null) {
            boolean clusterSnapshot = "RDS DB Cluster Snapshot Event".equals(detailType)
                    || "CLUSTER_SNAPSHOT".equals(sourceType);
            if (!clusterSnapshot) {
                return new Ignored("rds-event", "RDS event " + quote(detailType)
                        + " without detail.EventID is not one Snapline acts on");
            }
            String message = optText(detail, "Message", "EventBridge field 'detail.Message'");
            String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
            if (m.startsWith("creating") && m.contains("cluster snapshot")) {
                return new Ignored("snapshot-creating", "cluster snapshot event without EventID says "
                        + quote(message) + (sourceId == null ? "" : " for " + quote(sourceId))
                        + ": Snapline waits for the matching 'created' event");
            }
            if (m.contains("automated cluster snapshot created")) {
                eventId = "RDS-EVENT-0169";
            } else if (m.contains("manual cluster snapshot created")) {
                eventId = "RDS-EVENT-0075";
            } else {
                return new Ignored("rds-event", "cluster snapshot event without EventID and with message "
                        + quote(message) + " is not one Snapline acts on");
            }
        } else {
            eventId = extractEventId(rawId);
            if (eventId == null) {
                return new Malformed("EventBridge field 'detail.EventID' " + quote(rawId) + " holds no RDS-EVENT-nnnn id");
            }
        }
        Rule rule = RDS_RULES.get(eventId);
        if (rule == null) {
            return notActedOn(eventId);
        }
        if (rule.action() == Action.CREATING) {
            return creating(eventId, rule, sourceId != null ? sourceId : sourceArn);
        }
        if (sourceArn == null) {
            sourceArn = firstRdsResource(ev.get("resources"));
        }
        Scope hint = scopeFromSourceType(sourceType);
        if (hint == null) {
            hint = scopeFromDetailType(detailType);
        }
        String region = optText(ev, "region", "EventBridge field 'region'");
        String account = optText(ev, "account", "EventBridge field 'account'");
        SnapshotRef ref = snapshotRef(eventId, rule, sourceId, sourceArn, "'detail.SourceIdentifier'",
                "'detail.SourceArn'", hint, region, null, account);
        Instant time = parseTime(optText(detail, "Date", "EventBridge field 'detail.Date'"));
        if (time == null) {
            time = env.time();
        }
        return decided(eventId, rule, ref, time, tags(detail.get("Tags")));
    }

    private static String firstRdsResource(JsonNode resources) {
        if (resources == null || !resources.isArray()) {
            return null;
        }
        for (JsonNode r : resources) {
            String[] arn = r.isTextual() ? arnParts(r.textValue()) : null;
            if (arn != null && arn.length == 7 && "rds".equals(arn[2]) && scopeFromArnType(arn[5]) != null) {
                return r.textValue();
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

    /** AWS Backup's authoritative "a recovery point exists" signal; only RDS snapshots matter here. */
    private SnaplineMessage backupJob(JsonNode detail, Envelope env) {
        String state = optText(detail, "state", "EventBridge field 'detail.state'");
        if (state == null) {
            state = optText(detail, "status", "EventBridge field 'detail.status'");
        }
        if (state == null) {
            return new Malformed("Backup Job State Change has neither 'detail.state' nor 'detail.status'");
        }
        String jobId = optText(detail, "backupJobId", "EventBridge field 'detail.backupJobId'");
        String job = jobId == null ? "AWS Backup job" : "AWS Backup job " + quote(jobId);
        if (!"COMPLETED".equals(state)) {
            return new Ignored("backup-job", job + " is " + quote(state) + "; only COMPLETED creates a snapshot");
        }
        String field = "detail.recoveryPointArn";
        String rp = optText(detail, "recoveryPointArn", "EventBridge field 'detail.recoveryPointArn'");
        if (rp == null) {
            field = "detail.createdRecoveryPointArn";
            rp = optText(detail, "createdRecoveryPointArn", "EventBridge field 'detail.createdRecoveryPointArn'");
        }
        if (rp == null) {
            return new Malformed(job + " is COMPLETED but has neither 'detail.recoveryPointArn' nor"
                    + " 'detail.createdRecoveryPointArn'");
        }
        String[] arn = arnParts(rp);
        Scope scope = arn != null && arn.length == 7 && "rds".equals(arn[2]) ? scopeFromArnType(arn[5]) : null;
        if (scope == null || scope == Scope.CLUSTER || arn[6].isBlank()) {
            return new Ignored("backup-job", job + " recovery point " + quote(rp) + " (" + field
                    + ") is not an RDS snapshot");
        }
        Instant time = parseTime(optText(detail, "completionDate", "EventBridge field 'detail.completionDate'"));
        if (time == null) {
            time = env.time();
        }
        SnapshotRef ref = new SnapshotRef(arn[6], scope, Optional.of(rp), Optional.of(arn[3]).filter(r -> !r.isEmpty()));
        return new SnapshotCreated(ref, Origin.AWS_BACKUP, "BACKUP-JOB-COMPLETED", time, Map.of());
    }

    /** S3 Batch Operations job events arrive as CloudTrail service events. */
    private SnaplineMessage s3BatchJob(JsonNode ev, JsonNode detail, Envelope env) {
        String eventName = optText(detail, "eventName", "EventBridge field 'detail.eventName'");
        if (!"JobCreated".equals(eventName) && !"JobStatusChanged".equals(eventName)) {
            return new Ignored("s3-event", "S3 CloudTrail event " + quote(eventName)
                    + " is not a Batch Operations job event");
        }
        JsonNode details = detail.get("serviceEventDetails");
        if (details == null || !details.isObject()) {
            return new Malformed("S3 " + eventName + " event field 'detail.serviceEventDetails' is "
                    + describe(details) + ", expected an object");
        }
        String jobId = reqText(details, "jobId", "S3 " + eventName + " field 'detail.serviceEventDetails.jobId'");
        String status = reqText(details, "status", "S3 " + eventName + " field 'detail.serviceEventDetails.status'");
        List<String> failureCodes = new ArrayList<>();
        JsonNode codes = details.get("failureCodes");
        if (codes != null && !codes.isNull()) {
            if (!codes.isArray()) {
                return new Malformed("S3 " + eventName + " field 'detail.serviceEventDetails.failureCodes' is "
                        + describe(codes) + ", expected an array");
            }
            for (JsonNode c : codes) {
                if (!c.isNull()) {
                    failureCodes.add(c.isValueNode() ? c.asText() : c.toString());
                }
            }
        }
        String account = optText(ev, "account", "EventBridge field 'account'");
        if (account == null) {
            account = optText(detail, "recipientAccountId", "EventBridge field 'detail.recipientAccountId'");
        }
        Instant time = parseTime(optText(detail, "eventTime", "EventBridge field 'detail.eventTime'"));
        if (time == null) {
            time = env.time();
        }
        return new BatchJobStatusChanged(jobId, status, Optional.ofNullable(account), failureCodes, time);
    }

    private SnaplineMessage crawler(JsonNode detail, Envelope env) {
        String name = reqText(detail, "crawlerName", "Glue Crawler State Change field 'detail.crawlerName'");
        String state = reqText(detail, "state", "Glue Crawler State Change field 'detail.state'");
        String message = optText(detail, "errorMessage", "Glue Crawler State Change field 'detail.errorMessage'");
        if (message == null) {
            message = optText(detail, "message", "Glue Crawler State Change field 'detail.message'");
        }
        return new CrawlerStateChanged(name, state, Optional.ofNullable(message), env.time());
    }

    // ---------------------------------------------------------------- commands

    /**
     * A Snapline command: {@code command} (required, {@code [a-z][a-z0-9-]*}), {@code dryRun}
     * (optional boolean), {@code requestId} (optional string); every other top-level string, number
     * or boolean is an argument. Null values count as absent. Whether the name is a known command
     * is the command handler's business, not the parser's.
     */
    private static SnaplineMessage command(JsonNode o, String prefix) {
        JsonNode c = o.get("command");
        if (!c.isTextual()) {
            return new Malformed("command field '" + prefix + "command' is " + describe(c) + ", expected a string");
        }
        String name = c.textValue();
        if (name.isBlank()) {
            return new Malformed("command field '" + prefix + "command' is blank");
        }
        if (!isCommandName(name)) {
            return new Malformed("command field '" + prefix + "command' " + quote(name)
                    + " is not a command name (lower-case letters, digits and '-', starting with a letter)");
        }
        boolean dryRun = false;
        String requestId = null;
        Map<String, String> args = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String field = e.getKey();
            JsonNode v = e.getValue();
            if (field.equals("command") || v.isNull()) {
                continue;
            }
            if (field.equals("dryRun")) {
                if (!v.isBoolean()) {
                    return new Malformed("command field '" + prefix + "dryRun' is " + describe(v) + ", expected true or false");
                }
                dryRun = v.booleanValue();
            } else if (field.equals("requestId")) {
                if (!v.isTextual() || v.textValue().isBlank()) {
                    return new Malformed("command field '" + prefix + "requestId' is " + describe(v)
                            + ", expected a non-blank string");
                }
                requestId = v.textValue();
            } else if (v.isValueNode()) {
                args.put(field, v.asText());
            } else {
                return new Malformed("command field '" + prefix + clip(field, 60) + "' is " + describe(v)
                        + "; command arguments must be strings, numbers or booleans");
            }
        }
        return new Command(name, args, dryRun, Optional.ofNullable(requestId));
    }

    private static boolean isCommandName(String s) {
        char first = s.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- field access

    /** The text of an optional field: null when absent or JSON null; a wrong type is malformed. */
    private static String optText(JsonNode o, String field, String name) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadMessage(name + " is " + describe(v) + ", expected a string");
        }
        return v.textValue();
    }

    /** The text of a required field; absent, blank or a wrong type is malformed. */
    private static String reqText(JsonNode o, String field, String name) {
        String s = optText(o, field, name);
        if (s == null || s.isBlank()) {
            throw new BadMessage(name + " is " + (s == null ? "missing" : "blank"));
        }
        return s;
    }

    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        if (v.isNull()) {
            return "JSON null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            return "a string (" + quote(v.textValue(), 40) + ")";
        }
        if (v.isNumber()) {
            return "a number (" + clip(v.asText(), 40) + ")";
        }
        if (v.isBoolean()) {
            return "a boolean (" + v.asText() + ")";
        }
        return "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String fieldNames(JsonNode o) {
        StringBuilder sb = new StringBuilder("[");
        int n = 0;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (n == 5) {
                sb.append(", …");
                break;
            }
            sb.append(n == 0 ? "" : ", ").append(clip(sanitize(f), 40));
            n++;
        }
        return sb.append(']').toString();
    }

    private static String jsonProblem(JacksonException e) {
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        StringBuilder sb = new StringBuilder(clip(sanitize(String.valueOf(msg)), 200));
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(" (line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr()).append(')');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return quote(s, REASON_VALUE_CHARS);
    }

    /** A value quoted for a reason: control characters replaced, clipped to {@code max} chars. */
    private static String quote(String s, int max) {
        return s == null ? "(none)" : "'" + clip(sanitize(s), max) + "'";
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String sanitize(String s) {
        int n = Math.min(s.length(), 4096);
        for (int i = 0; i < n; i++) {
            if (Character.isISOControl(s.charAt(i))) {
                StringBuilder sb = new StringBuilder(n);
                for (int j = 0; j < n; j++) {
                    char ch = s.charAt(j);
                    sb.append(Character.isISOControl(ch) ? '?' : ch);
                }
                return sb.toString();
            }
        }
        return n == s.length() ? s : s.substring(0, n);
    }

    // ---------------------------------------------------------------- sizes and times

    private static boolean exceedsUtf8Bytes(String s, int limit) {
        if (s.length() > limit) {
            return true;
        }
        if ((long) s.length() * 3 <= limit) {
            return false;
        }
        return utf8Length(s) > limit;
    }

    /** The UTF-8 length of a string as {@code String.getBytes(UTF_8)} would encode it. */
    static long utf8Length(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1; // an unpaired surrogate encodes as '?'
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Parses {@code yyyy-MM-dd[T| ]HH:mm[:ss[.fraction]][Z|±hh[:]mm]}; no zone means UTC (RDS's
     * {@code Event Time} is UTC without a zone). Returns null when the text is absent or not a time.
     */
    static Instant parseTime(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n < 16 || n > 40) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        char sep = s.charAt(10);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || s.charAt(4) != '-' || s.charAt(7) != '-'
                || (sep != 'T' && sep != 't' && sep != ' ') || s.charAt(13) != ':') {
            return null;
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, 17, 2);
            if (second < 0) {
                return null;
            }
            i = 19;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                int scale = 100_000_000;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    nano += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == start) {
                    return null;
                }
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int oh = digits(s, i + 1, 2);
                int j = i + 3;
                if (j < n && s.charAt(j) == ':') {
                    j++;
                }
                int om = digits(s, j, 2);
                if (oh < 0 || om < 0 || j + 2 != n || oh > 18 || om > 59) {
                    return null;
                }
                offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            } else {
                return null;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
