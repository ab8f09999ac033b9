package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;

/**
 * Turns one SQS body into exactly one {@link SnaplineMessage}. It never throws: anything it cannot
 * understand becomes {@link Malformed} with a reason that names the problem, and anything it
 * understands but Snapline does not act on becomes {@link Ignored} with a reason. Every reason is
 * {@linkplain SafeText safe} (valid Unicode that an SQS message attribute accepts, one line) and at
 * most {@value #MAX_REASON_CHARS} characters, whatever the body held; every key is bounded, because
 * each name that makes one up is at most {@value #MAX_NAME_CHARS} characters.
 *
 * <p>This class is only the entry point: the size and text gates, then one reader per envelope
 * ({@code docs/messages.md} has the full table):
 * <ul>
 *   <li>{@link SnsEnvelope}: the SNS envelope, whose {@code Message} string holds one of the payloads
 *       below (one SNS layer only);</li>
 *   <li>{@link Payloads}: the payload shapes, bare (SNS raw message delivery, an EventBridge rule
 *       targeting SQS) or inside SNS: {@link EventBridgeEvent} (with one reader per source:
 *       {@link EventBridgeRdsEvent}, {@link BackupJobEvent}, {@link S3BatchJobEvent},
 *       {@link GlueCrawlerEvent}), {@link CommandMessage}, {@link RdsSubscriptionMessage};</li>
 *   <li>{@link SubscriptionNotice}: RDS's plain-text first message on a new subscription.</li>
 * </ul>
 * Both RDS envelopes share {@link RdsEvents} and its table of event ids, {@link RdsEventTable}. Field
 * access, quoting and times are {@link Fields}, {@link Reasons} and {@link Times}.
 *
 * <p>Thread-safe and allocation-light: one shared JSON reader ({@link Json}), each JSON layer read
 * once. Bodies over {@value #MAX_BODY_BYTES} UTF-8 bytes (the SQS maximum) are rejected without
 * parsing, and JSON nested deeper than {@value #MAX_NESTING_DEPTH} levels is rejected by the reader
 * itself, so hostile input cannot exhaust the stack.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html">RDS
 *      event categories and messages</a>
 */
@Singleton
public class MessageParser {

    /** Largest body accepted, in UTF-8 bytes: the SQS maximum message size (1 MiB). */
    public static final int MAX_BODY_BYTES = 1_048_576;

    /** Deepest JSON nesting accepted; real events (CloudTrail included) stay far below this. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** Longest reason of an {@link Ignored} or {@link Malformed}, in chars. */
    public static final int MAX_REASON_CHARS = 1_000;

    /**
     * Longest name accepted, in chars, for each field that becomes (part of) a key: a snapshot
     * identifier or ARN, a job id, a crawler name, a command name or request id. No AWS name comes
     * near it (an RDS snapshot identifier has at most 255 characters, a Glue crawler name 255, an S3
     * Batch Operations job id 36); a longer one is {@link Malformed}, so a key stays bounded.
     */
    public static final int MAX_NAME_CHARS = 1_024;

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
        SnaplineMessage m;
        try {
            m = parseBody(body);
        } catch (BadMessage e) {
            m = new Malformed(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            m = new Malformed("parser failed on this body (" + e.getClass().getSimpleName() + ": "
                    + Reasons.clip(String.valueOf(e.getMessage()), Reasons.VALUE_CHARS) + ")");
        }
        return withSafeReason(m);
    }

    private static SnaplineMessage parseBody(String body) {
        if (body == null) {
            return new Malformed("body is null");
        }
        if (!body.isEmpty() && body.charAt(0) == '\uFEFF') {
            body = body.substring(1); // a byte-order mark some tools prepend; not part of the JSON
        }
        if (body.isBlank()) {
            return new Malformed("body is empty");
        }
        if (Utf8.exceeds(body, MAX_BODY_BYTES)) {
            return new Malformed("body is " + Utf8.length(body) + " bytes (UTF-8), over the " + MAX_BODY_BYTES
                    + "-byte (1 MiB) limit; not parsed");
        }
        if (SubscriptionNotice.recognises(body)) {
            return SubscriptionNotice.read(body);
        }
        JsonNode root = Json.read(body, "body");
        if (!root.isObject()) {
            return new Malformed("body is " + Fields.describe(root) + ", expected a JSON object");
        }
        if (SnsEnvelope.recognises(root)) {
            return SnsEnvelope.read(root);
        }
        return Payloads.read(root, Envelope.NONE);
    }

    /**
     * The one exit guard: every reason leaves safe and bounded, including the parts no reader quoted
     * (a JSON error, an exception message). Readers quote what they take from the body already, so
     * this changes nothing for them.
     */
    private static SnaplineMessage withSafeReason(SnaplineMessage m) {
        if (m instanceof Malformed malformed) {
            String reason = Reasons.bounded(malformed.reason());
            return reason == malformed.reason() ? m : new Malformed(reason);
        }
        if (m instanceof Ignored ignored) {
            String reason = Reasons.bounded(ignored.reason());
            return reason == ignored.reason() ? m : new Ignored(ignored.what(), reason);
        }
        return m;
    }
}
