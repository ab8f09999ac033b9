package io.snapline.consumer;

import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Batched acknowledgement: the messages of one receive are deleted together when the last of them
 * finishes, so the consumer makes no more delete calls than a plain receive/delete loop; a batch
 * whose stragglers run long is flushed in part by a sweeper. A delete that fails is logged and
 * counted: the message may come again and is handled idempotently.
 */
final class BatchedDeletes {

    private static final Logger LOG = LoggerFactory.getLogger(SqsConsumer.class);
    private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final SqsClient sqs;
    private final String queueUrl;
    private final ConsumerMetrics metrics;
    private final Map<ReceiveBatch, Boolean> open = new ConcurrentHashMap<>();
    private final List<Consumer<Message>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    BatchedDeletes(SqsClient sqs, String queueUrl, ConsumerMetrics metrics) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.metrics = metrics;
    }

    ReceiveBatch open(int size) {
        ReceiveBatch batch = new ReceiveBatch(size);
        open.put(batch, Boolean.TRUE);
        return batch;
    }

    void addListener(Consumer<Message> listener) {
        listeners.add(listener);
    }

    /** Deletes that failed so far. */
    int failures() {
        return failures.get();
    }

    /** The sweeper: flushes what waits longer than half a second in a batch that is still open. */
    void sweep() {
        long now = System.nanoTime();
        for (ReceiveBatch batch : open.keySet()) {
            batch.flushIfStale(now);
        }
    }

    /** Shutdown: flushes every pending delete. */
    void flushAll() {
        for (ReceiveBatch batch : open.keySet()) {
            batch.flush();
        }
    }

    private void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            for (BatchResultErrorEntry failed : response.failed()) {
                failures.incrementAndGet();
                metrics.deleteFailed(1);
                LOG.warn("message_id={} delete failed ({} {}); it may be delivered again and is handled idempotently",
                        messages.get(Integer.parseInt(failed.id())).messageId(), failed.code(),
                        SafeText.of(failed.message(), 500));
            }
        } catch (RuntimeException e) {
            failures.addAndGet(messages.size());
            metrics.deleteFailed(messages.size());
            LOG.warn("delete of {} message(s) failed ({}); they may be delivered again and are handled idempotently",
                    messages.size(), SafeText.of(e.toString(), 1000));
        }
        if (!listeners.isEmpty()) {
            for (Message m : messages) {
                listeners.forEach(l -> l.accept(m));
            }
        }
    }

    /** The messages of one receive call. */
    final class ReceiveBatch {
        private final List<Message> toDelete = new ArrayList<>(10);
        private int remaining;
        private long firstDoneAt;

        private ReceiveBatch(int size) {
            this.remaining = size;
        }

        /** One message of the batch is finished; {@code deletable} is it when it is to be deleted, else null. */
        void done(Message deletable) {
            List<Message> flush = null;
            synchronized (this) {
                if (deletable != null) {
                    if (toDelete.isEmpty()) {
                        firstDoneAt = System.nanoTime();
                    }
                    toDelete.add(deletable);
                }
                remaining--;
                if (remaining == 0) {
                    flush = take();
                    open.remove(this);
                }
            }
            if (flush != null) {
                delete(flush);
            }
        }

        private void flushIfStale(long now) {
            List<Message> flush;
            synchronized (this) {
                if (toDelete.isEmpty() || now - firstDoneAt < STALE_NANOS) {
                    return;
                }
                flush = take();
            }
            delete(flush);
        }

        private void flush() {
            List<Message> flush;
            synchronized (this) {
                flush = take();
            }
            delete(flush);
        }

        private List<Message> take() {
            List<Message> out = new ArrayList<>(toDelete);
            toDelete.clear();
            return out;
        }
    }
}
