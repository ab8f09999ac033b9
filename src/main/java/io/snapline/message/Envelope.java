package io.snapline.message;

import java.time.Instant;

/**
 * What the outer layers of a body tell the inner ones: the SNS topic and {@code Timestamp}, the
 * EventBridge {@code time}. Each may be null (a raw-delivered body has no SNS layer; an RDS
 * event-subscription message has no EventBridge layer).
 *
 * @param topicArn        the SNS {@code TopicArn} text
 * @param snsTimestamp    the SNS {@code Timestamp} text
 * @param eventBridgeTime the EventBridge {@code time} text
 */
record Envelope(String topicArn, String snsTimestamp, String eventBridgeTime) {

    /** A bare body: no layer around the payload. */
    static final Envelope NONE = new Envelope(null, null, null);

    Envelope withEventBridgeTime(String time) {
        return new Envelope(topicArn, snsTimestamp, time);
    }

    /** The SNS topic, when there is one and it is an ARN; parsed only by the readers that use it. */
    Arn topic() {
        return Arn.parse(topicArn).orElse(null);
    }

    /** The event's own time, {@code eventTime}, when it parses; else the envelope's {@link #time()}. */
    Instant timeOf(String eventTime) {
        Instant t = Times.parse(eventTime);
        return t == null ? time() : t;
    }

    /** The envelope's own time: EventBridge {@code time}, else SNS {@code Timestamp}, else the epoch. */
    Instant time() {
        Instant t = Times.parse(eventBridgeTime);
        if (t == null) {
            t = Times.parse(snsTimestamp);
        }
        return t == null ? Instant.EPOCH : t;
    }
}
