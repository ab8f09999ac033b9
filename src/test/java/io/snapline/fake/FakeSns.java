package io.snapline.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fake SNS (query protocol): {@code Publish} records each message per topic; any topic ARN is accepted. */
public final class FakeSns {

    /** A published message. */
    public record Message(String messageId, String topicArn, String subject, String body) {
    }

    private final Map<String, List<Message>> byTopic = new LinkedHashMap<>();

    /** The messages published to a topic, oldest first. */
    public synchronized List<Message> messages(String topicArn) {
        return List.copyOf(byTopic.getOrDefault(topicArn, List.of()));
    }

    synchronized String handle(String action, Map<String, String> p) {
        if (!action.equals("Publish")) {
            throw new FakeAwsError("InvalidAction", 400, "The fake SNS does not implement " + action);
        }
        String topic = p.get("TopicArn");
        if (topic == null || p.get("Message") == null) {
            throw new FakeAwsError("InvalidParameter", 400, "Invalid parameter: TopicArn and Message are required");
        }
        String subject = p.get("Subject");
        if (subject != null && subject.length() > 100) {
            throw new FakeAwsError("InvalidParameter", 400, "Invalid parameter: Subject");
        }
        Message m = new Message(UUID.randomUUID().toString(), topic, subject, p.get("Message"));
        byTopic.computeIfAbsent(topic, k -> new ArrayList<>()).add(m);
        return Xml.fragment().el("MessageId", m.messageId()).toString();
    }
}
