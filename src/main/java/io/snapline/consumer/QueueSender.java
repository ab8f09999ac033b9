package io.snapline.consumer;

import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The two sends of the consumer: a message's body to the dead-letter queue with the reason, and
 * the same body back to the queue with a delay (a re-check, SQS's durable timer). Each answers
 * whether SQS took the message; the caller deletes the original only then.
 */
final class QueueSender {

    private static final Logger LOG = LoggerFactory.getLogger(SqsConsumer.class);
    /** SQS's longest {@code DelaySeconds}: 15 minutes. Longer re-checks hop, carrying their due time. */
    static final int SQS_MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final QueueTopology topology;

    QueueSender(SqsClient sqs, QueueTopology topology) {
        this.sqs = sqs;
        this.topology = topology;
    }

    /**
     * Sends the body to the dead-letter queue with Snapline's attributes; true when SQS took it. A
     * failure is logged here with its cause, once.
     */
    boolean deadLetter(Message message, String kind, String reason, Optional<String> awsRequestId) {
        Optional<String> dlq = topology.dlqUrl();
        if (dlq.isEmpty()) {
            LOG.error("message_id={} no dead-letter queue known (set snapline.queue.dlq-url or give the queue a "
                    + "redrive policy); the message stays on the queue", message.messageId());
            return false;
        }
        Optional<Map<String, MessageAttributeValue>> attributes = SnaplineAttributes.deadLetter(reason, kind,
                message.messageId(), awsRequestId, message.body(), topology.dlqMaximumMessageSize());
        if (attributes.isEmpty()) {
            LOG.error("message_id={} cannot be dead-lettered with its reason: its body ({} bytes) leaves no room for "
                    + "the reason in the dead-letter queue's MaximumMessageSize ({} bytes); the message stays on the "
                    + "queue (raise the dead-letter queue's MaximumMessageSize above the queue's)",
                    message.messageId(), SnaplineAttributes.utf8(message.body()), topology.dlqMaximumMessageSize());
            return false;
        }
        try {
            sqs.sendMessage(r -> r.queueUrl(dlq.get()).messageBody(message.body()).messageAttributes(attributes.get()));
            return true;
        } catch (RuntimeException e) {
            LOG.error("message_id={} could not be sent to the dead-letter queue, it stays on the queue: {}",
                    message.messageId(), SafeText.of(e.toString(), 1000));
            return false;
        }
    }

    /**
     * Sends the body again with a delay of {@code after} (at most 15 minutes; a longer wait carries
     * its due time {@code notBefore} and hops); true when SQS took it.
     */
    boolean recheck(Message message, Duration after, int attempt, long notBefore) {
        int delay = (int) Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, (after.toMillis() + 999) / 1000));
        Optional<Long> due = after.toSeconds() > SQS_MAX_DELAY_SECONDS ? Optional.of(notBefore) : Optional.empty();
        Map<String, MessageAttributeValue> attributes = SnaplineAttributes.recheck(attempt, due);
        try {
            sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(message.body()).delaySeconds(delay)
                    .messageAttributes(attributes));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("message_id={} could not be re-sent for its re-check: {}", message.messageId(),
                    SafeText.of(e.toString(), 1000));
            return false;
        }
    }
}
