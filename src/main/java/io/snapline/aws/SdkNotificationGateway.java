package io.snapline.aws;

import io.snapline.gateway.NotificationGateway;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * {@link NotificationGateway} over the SNS client. The subject is cut to SNS's 100 characters and
 * its line breaks replaced, since SNS refuses both; errors are rethrown for the consumer's classifier.
 */
public final class SdkNotificationGateway implements NotificationGateway {

    static final int MAX_SUBJECT = 100;

    private final SnsClient sns;

    public SdkNotificationGateway(SnsClient sns) {
        this.sns = sns;
    }

    @Override
    public void publish(String topicArn, String subject, String jsonBody) {
        sns.publish(publishRequest(topicArn, subject, jsonBody));
    }

    static PublishRequest publishRequest(String topicArn, String subject, String jsonBody) {
        PublishRequest.Builder b = PublishRequest.builder().topicArn(topicArn).message(jsonBody);
        if (subject != null && !subject.isBlank()) {
            String s = subject.replaceAll("[\\r\\n]+", " ");
            b.subject(s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) : s);
        }
        return b.build();
    }
}
