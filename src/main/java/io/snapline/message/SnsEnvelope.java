package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The SNS envelope as SNS delivers it to SQS without raw delivery (AWS-FACTS §1): {@code Type},
 * {@code TopicArn}, {@code MessageId}, {@code Timestamp} and the payload as the <em>string</em>
 * {@code Message}, which is parsed again as JSON (one SNS layer only). {@code SubscriptionConfirmation}
 * and {@code UnsubscribeConfirmation} are ignored with their {@code SubscribeURL}: Snapline does not
 * confirm subscriptions itself.
 */
final class SnsEnvelope {

    private static final Fields.Where SNS = new Fields.Where("SNS", "");

    private SnsEnvelope() {
    }

    static boolean recognises(JsonNode o) {
        JsonNode type = o.get("Type");
        return type != null && type.isTextual() && (o.has("TopicArn") || o.has("MessageId"));
    }

    static SnaplineMessage read(JsonNode sns) {
        String type = sns.get("Type").textValue();
        String topic = Fields.optText(sns, "TopicArn", SNS);
        switch (type) {
            case "Notification":
                break;
            case "SubscriptionConfirmation":
                return new Ignored("sns-subscription-confirmation", "SNS SubscriptionConfirmation for topic "
                        + Reasons.quote(topic) + ": Snapline does not confirm subscriptions itself (AWS confirms SQS"
                        + " subscriptions in the same account); to confirm by hand, open SubscribeURL "
                        + Reasons.quote(Fields.optText(sns, "SubscribeURL", SNS), 400));
            case "UnsubscribeConfirmation":
                return new Ignored("sns-unsubscribe-confirmation", "SNS UnsubscribeConfirmation for topic "
                        + Reasons.quote(topic) + ": the queue was unsubscribed; to subscribe again, open SubscribeURL "
                        + Reasons.quote(Fields.optText(sns, "SubscribeURL", SNS), 400));
            default:
                return new Ignored("unrecognised", "SNS message of Type " + Reasons.quote(type)
                        + " is not one Snapline acts on");
        }
        JsonNode message = sns.get("Message");
        if (message == null || message.isNull()) {
            return new Malformed("SNS Notification has no 'Message'");
        }
        if (!message.isTextual()) {
            return new Malformed("SNS Notification field 'Message' is " + Fields.describe(message) + ", expected a string");
        }
        String text = message.textValue();
        if (text.isBlank()) {
            return new Malformed("SNS Notification field 'Message' is empty");
        }
        if (SubscriptionNotice.recognises(text)) {
            return SubscriptionNotice.read(text);
        }
        Envelope env = new Envelope(topic,
                Fields.optText(sns, "Timestamp", SNS), null);
        JsonNode inner = Json.read(text, "SNS Notification field 'Message'");
        if (!inner.isObject()) {
            return new Malformed("SNS Notification field 'Message' holds " + Fields.describe(inner)
                    + ", expected a JSON object");
        }
        if (recognises(inner)) {
            return new Ignored("unrecognised", "an SNS envelope inside an SNS envelope; Snapline reads one SNS layer");
        }
        return Payloads.read(inner, env);
    }
}
