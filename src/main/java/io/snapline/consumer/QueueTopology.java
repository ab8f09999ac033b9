package io.snapline.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.QueueProperties;
import io.snapline.message.Arn;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;
import java.util.Optional;

/**
 * The queue Snapline consumes and its dead-letter queue, resolved once at start-up: in local mode
 * the embedded server's {@code snapline-events} and {@code snapline-events-dlq} are created (with a
 * redrive policy); otherwise the configured URL is checked and the DLQ is read from
 * {@code snapline.queue.dlq-url} or the queue's redrive policy.
 */
@Singleton
public class QueueTopology {

    public static final String LOCAL_QUEUE = "snapline-events";
    public static final String LOCAL_DLQ = "snapline-events-dlq";
    static final int LOCAL_MAX_RECEIVE_COUNT = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queueUrl;
    private final Optional<String> dlqUrl;

    public QueueTopology(SqsClient sqs, QueueProperties properties) {
        if (properties.localMode()) {
            String dlq = sqs.createQueue(r -> r.queueName(LOCAL_DLQ)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            this.queueUrl = sqs.createQueue(r -> r.queueName(LOCAL_QUEUE).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(properties.visibilityTimeout().toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                            + "\",\"maxReceiveCount\":\"" + LOCAL_MAX_RECEIVE_COUNT + "\"}"))).queueUrl();
            this.dlqUrl = Optional.of(dlq);
            return;
        }
        this.queueUrl = properties.url();
        Map<QueueAttributeName, String> attributes;
        try {
            attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes();
        } catch (RuntimeException e) {
            throw new IllegalStateException("snapline.queue.url: cannot read queue '" + queueUrl + "' ("
                    + e.getMessage() + "); check the URL, the region and sqs:GetQueueAttributes permission", e);
        }
        Optional<JsonNode> redrive = Optional.ofNullable(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                .map(QueueTopology::readJson);
        if (properties.dlqUrl() != null && !properties.dlqUrl().isBlank()) {
            this.dlqUrl = Optional.of(properties.dlqUrl());
        } else {
            this.dlqUrl = redrive.map(r -> r.path("deadLetterTargetArn").asText(null)).flatMap(Arn::parse)
                    .map(arn -> sqs.getQueueUrl(r -> r.queueName(arn.resource())
                            .queueOwnerAWSAccountId(arn.account())).queueUrl());
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("the queue's RedrivePolicy is not JSON: " + text, e);
        }
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** The dead-letter queue, if configured or found in the redrive policy. */
    public Optional<String> dlqUrl() {
        return dlqUrl;
    }
}
