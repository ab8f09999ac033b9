package io.snapline.consumer;

import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages being handled right now, and their visibility: a heartbeat extends every in-flight
 * message by the queue's {@code VisibilityTimeout} before it lapses, so a long handler never sees
 * its message delivered again mid-work; at shutdown, what is unfinished is made visible again at
 * once, so another consumer takes it without waiting for the timeout.
 */
final class InFlightMessages {

    private static final Logger LOG = LoggerFactory.getLogger(SqsConsumer.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration visibility;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    InFlightMessages(SqsClient sqs, String queueUrl, Duration visibility) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.visibility = visibility;
    }

    /** One message being handled. */
    static final class Entry {
        final Message message;
        final BatchedDeletes.ReceiveBatch batch;
        final Instant receivedAt;
        volatile Instant visibleUntil;
        /** Made visible again at shutdown: another receive owns the message now, it must not be deleted. */
        volatile boolean released;

        Entry(Message message, BatchedDeletes.ReceiveBatch batch, Instant receivedAt, Duration visibility) {
            this.message = message;
            this.batch = batch;
            this.receivedAt = receivedAt;
            this.visibleUntil = receivedAt.plus(visibility);
        }
    }

    Entry add(Message message, BatchedDeletes.ReceiveBatch batch) {
        Entry entry = new Entry(message, batch, Instant.now(), visibility);
        entries.put(message.messageId(), entry);
        return entry;
    }

    void remove(Entry entry) {
        entries.remove(entry.message.messageId(), entry);
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** How often the heartbeat looks: a third of the visibility timeout, at least every half second. */
    long heartbeatMillis() {
        return Math.max(500, visibility.toMillis() / 3);
    }

    /**
     * Extends, by the visibility timeout, every message with less than half of it left, except those
     * whose 12 hours since the receive (SQS's limit) would be passed.
     */
    void heartbeat() {
        try {
            long extendTo = Math.max(1, visibility.toSeconds());
            Instant now = Instant.now();
            List<Entry> due = new ArrayList<>();
            for (Entry entry : entries.values()) {
                if (!entry.released && Duration.between(now, entry.visibleUntil).toMillis() < extendTo * 500
                        && Duration.between(entry.receivedAt, now).toSeconds() + extendTo < Backoff.SQS_MAX.toSeconds()) {
                    due.add(entry);
                }
            }
            for (int i = 0; i < due.size(); i += 10) {
                List<Entry> chunk = due.subList(i, Math.min(due.size(), i + 10));
                changeVisibility(chunk.stream().map(e -> e.message).toList(), (int) extendTo);
                Instant until = Instant.now().plusSeconds(extendTo);
                chunk.forEach(e -> e.visibleUntil = until);
            }
        } catch (RuntimeException e) {
            LOG.warn("visibility heartbeat failed: {}", SafeText.of(e.toString(), 1000));
        }
    }

    /**
     * Shutdown: marks every unfinished message released and makes it visible again at once;
     * returns how many could not be released (they reappear after the visibility timeout).
     */
    int releaseAll(Collection<Entry> unfinished) {
        unfinished.forEach(e -> e.released = true);
        return makeVisible(unfinished.stream().map(e -> e.message).toList());
    }

    List<Entry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /** Makes the messages visible at once; returns how many SQS did not release. */
    int makeVisible(List<Message> messages) {
        int failed = 0;
        for (int i = 0; i < messages.size(); i += 10) {
            List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
            try {
                List<BatchResultErrorEntry> errors = changeVisibility(chunk, 0);
                failed += errors.size();
                for (BatchResultErrorEntry error : errors) {
                    LOG.warn("message_id={} could not be released ({} {}); it reappears after the visibility timeout",
                            chunk.get(Integer.parseInt(error.id())).messageId(), error.code(),
                            SafeText.of(error.message(), 500));
                }
            } catch (RuntimeException e) {
                failed += chunk.size();
                LOG.warn("could not release {} message(s) ({}); they reappear after the visibility timeout",
                        chunk.size(), SafeText.of(e.toString(), 1000));
            }
        }
        return failed;
    }

    private List<BatchResultErrorEntry> changeVisibility(List<Message> messages, int seconds) {
        List<ChangeMessageVisibilityBatchRequestEntry> batch = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            batch.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout(seconds).build());
        }
        return sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(batch)).failed();
    }
}
