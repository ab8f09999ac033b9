package io.snapline.gateway;

/** SNS Publish of a JSON summary. */
public interface NotificationGateway {

    /** Publishes {@code jsonBody} to the topic; {@code subject} is at most 100 characters. */
    void publish(String topicArn, String subject, String jsonBody);
}
