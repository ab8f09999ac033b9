package io.snapline.consumer;

import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dead-letter queue as the operator console sees it: read without consuming, redriven (all at
 * once with {@code StartMessageMoveTask}, or one by one), discarded. Only this package talks SQS.
 *
 * <p><b>Reading.</b> A {@code ReceiveMessage} with {@code VisibilityTimeout=0}: the messages stay
 * visible (their receive count on the dead-letter queue grows, which nothing reads). SQS samples
 * its servers, so one read may miss messages of a large queue; rounds are repeated until one finds
 * nothing new or {@code max} are read.
 *
 * <p><b>One by one.</b> The message is found by its id (received with a short visibility timeout,
 * the others made visible again at once), sent to the consumed queue with its body and every
 * message attribute (it still carries {@code snapline-failure-reason}, so the consumer treats it as
 * an operator's explicit retry of its failed steps), and deleted from the dead-letter queue only
 * after the send succeeded: a failure in between leaves a copy in both, never in neither.
 */
@Singleton
public class DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    /** How long a message being redriven or discarded is hidden from other readers. */
    static final int HOLD_SECONDS = 30;
    /** Receive rounds spent looking for one message by id. */
    static final int FIND_ROUNDS = 20;

    /** One dead letter: its body and what Snapline wrote on it (each attribute bounded by {@link SnaplineAttributes}). */
    public record DeadLetter(String messageId, String body, Optional<String> reason, Optional<String> kind,
                             Optional<String> originalMessageId, Optional<String> awsRequestId,
                             Optional<Instant> sentAt, int receiveCount) {
    }

    /** What a redrive of everything started: the move task's handle. */
    public record MoveTask(String taskHandle, String sourceArn, String destinationArn) {
    }

    private final SqsClient sqs;
    private final QueueTopology topology;

    public DeadLetterQueue(SqsClient sqs, QueueTopology topology) {
        this.sqs = sqs;
        this.topology = topology;
    }

    /** The dead-letter queue's URL, when there is one. */
    public Optional<String> url() {
        return topology.dlqUrl();
    }

    /** The approximate number of messages in the dead-letter queue (visible and in flight). */
    public Map<String, String> depth() {
        String url = require();
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Map.of("visible", a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "?"),
                "notVisible", a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "?"));
    }

    /** Up to {@code max} dead letters, read without consuming them. */
    public List<DeadLetter> peek(int max) {
        String url = require();
        Map<String, DeadLetter> seen = new LinkedHashMap<>();
        for (int round = 0; round < Math.max(1, max / 10 + 2) && seen.size() < max; round++) {
            int before = seen.size();
            for (Message m : receive(url, 0)) {
                if (seen.size() < max) {
                    seen.putIfAbsent(m.messageId(), toDeadLetter(m));
                }
            }
            if (seen.size() == before) {
                break;
            }
        }
        return new ArrayList<>(seen.values());
    }

    /**
     * Sends the dead letter back to the consumed queue with its attributes, then deletes it from
     * the dead-letter queue. Empty when no message with that id is found (gone already).
     */
    public Optional<String> redrive(String messageId) {
        String dlq = require();
        Optional<Message> found = find(dlq, messageId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Message m = found.get();
        Map<String, MessageAttributeValue> attributes = m.hasMessageAttributes() ? m.messageAttributes() : Map.of();
        String sentId = sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(m.body())
                .messageAttributes(attributes)).messageId();
        sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(m.receiptHandle()));
        return Optional.of(sentId);
    }

    /** Deletes the dead letter for good; false when no message with that id is found. */
    public boolean discard(String messageId) {
        String dlq = require();
        Optional<Message> found = find(dlq, messageId);
        found.ifPresent(m -> sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(m.receiptHandle())));
        return found.isPresent();
    }

    /**
     * Moves every dead letter back to the consumed queue with SQS's {@code StartMessageMoveTask}
     * (asynchronous, run by SQS; the messages keep their attributes).
     */
    public MoveTask redriveAll() {
        String dlq = require();
        String source = arn(dlq);
        String destination = arn(topology.queueUrl());
        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(source).destinationArn(destination)).taskHandle();
        return new MoveTask(handle, source, destination);
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private Optional<Message> find(String dlq, String messageId) {
        for (int round = 0; round < FIND_ROUNDS; round++) {
            List<Message> batch = receive(dlq, HOLD_SECONDS);
            if (batch.isEmpty()) {
                return Optional.empty();
            }
            Message match = null;
            for (Message m : batch) {
                if (match == null && m.messageId().equals(messageId)) {
                    match = m;
                } else {
                    release(dlq, m);
                }
            }
            if (match != null) {
                return Optional.of(match);
            }
        }
        LOG.warn("dead letter {} not found in {} receive rounds of {}", SafeText.of(messageId, 200), FIND_ROUNDS, dlq);
        return Optional.empty();
    }

    private void release(String dlq, Message m) {
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(dlq).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        } catch (RuntimeException e) {
            LOG.info("dead letter {} stays hidden for up to {}s: {}", m.messageId(), HOLD_SECONDS,
                    SafeText.of(e.getMessage(), 300));
        }
    }

    private List<Message> receive(String url, int visibilitySeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                .visibilityTimeout(visibilitySeconds).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    private String require() {
        return topology.dlqUrl().orElseThrow(() -> new IllegalStateException("the consumed queue has no dead-letter "
                + "queue (no redrive policy, and snapline.queue.dlq-url is unset)"));
    }

    private static DeadLetter toDeadLetter(Message m) {
        Optional<Instant> sent = Optional.ofNullable(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))
                .flatMap(DeadLetterQueue::millis);
        return new DeadLetter(m.messageId(), m.body(), attribute(m, SnaplineAttributes.FAILURE_REASON),
                attribute(m, SnaplineAttributes.FAILURE_KIND), attribute(m, SnaplineAttributes.ORIGINAL_ID),
                attribute(m, SnaplineAttributes.AWS_REQUEST_ID), sent, SnaplineAttributes.receiveCount(m));
    }

    private static Optional<Instant> millis(String text) {
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> attribute(Message m, String name) {
        MessageAttributeValue v = m.hasMessageAttributes() ? m.messageAttributes().get(name) : null;
        return v == null ? Optional.empty() : Optional.ofNullable(v.stringValue());
    }
}
