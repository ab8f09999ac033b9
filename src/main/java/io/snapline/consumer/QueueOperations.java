package io.snapline.consumer;

import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

/**
 * The few queue operations the web layer needs (enqueue a body in local mode, read the depth for
 * readiness), so that only the consumer package talks SQS.
 */
@Singleton
public class QueueOperations {

    private final SqsClient sqs;
    private final QueueTopology topology;

    public QueueOperations(SqsClient sqs, QueueTopology topology) {
        this.sqs = sqs;
        this.topology = topology;
    }

    public String queueUrl() {
        return topology.queueUrl();
    }

    /** The largest body the consumed queue takes, in bytes (its {@code MaximumMessageSize}). */
    public int maximumMessageSize() {
        return topology.queue().maximumMessageSize();
    }

    /** Sends the body, unchanged, as one message on the consumed queue; returns the message id. */
    public String enqueue(String body) {
        return sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(body)).messageId();
    }

    /** The queue's approximate visible and in-flight counts; throws when the queue cannot be read. */
    public Map<String, String> depth() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(topology.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Map.of("visible", attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "?"),
                "notVisible", attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "?"));
    }
}
