package io.snapline.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.QueueProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The SQS consumer. {@code pollers} threads long-poll the queue for up to 10 messages each, but
 * only as many as there are free permits ({@code maxInFlight}); each message is handled on a
 * worker thread and its permit is released whatever its fate.
 *
 * <ul>
 * <li>Success (DONE, ALREADY_DONE, SKIPPED, ignored): deleted. Deletes are batched per receive:
 *     the last message of a receive batch to finish deletes the whole batch in one call; a batch
 *     whose stragglers run long is flushed in part by a sweeper.</li>
 * <li>Retryable failure: not deleted; its visibility is set to an exponential backoff with jitter
 *     from {@code ApproximateReceiveCount}, so the redrive policy bounds the retries.</li>
 * <li>Permanent failure: one structured ERROR line, one metric, sent to the dead-letter queue at
 *     once with the reason in message attributes, then deleted.</li>
 * <li>Re-check later: the body is sent again with an SQS delay (a durable timer) and the original
 *     deleted; delays above 15 minutes hop, carrying a not-before time.</li>
 * <li>A handler that runs long keeps its message invisible: a heartbeat extends the visibility
 *     of every in-flight message before it lapses.</li>
 * <li>{@link #stop()} (SIGTERM): stop polling, let in-flight messages finish until the deadline,
 *     make what is unfinished visible again at once, flush pending deletes.</li>
 * </ul>
 */
public final class SqsConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SqsConsumer.class);
    static final String ATTR_RECHECK_ATTEMPT = "snapline-recheck-attempt";
    static final String ATTR_NOT_BEFORE = "snapline-not-before";
    static final String ATTR_FAILURE_REASON = "snapline-failure-reason";
    static final String ATTR_FAILURE_KIND = "snapline-failure-kind";
    static final String ATTR_ORIGINAL_ID = "snapline-original-message-id";
    static final String ATTR_AWS_REQUEST_ID = "snapline-aws-request-id";
    private static final int SQS_MAX_DELAY_SECONDS = 900;
    /** The MDC key of the SQS message id on every log line about a message (JSON logs carry it as a field). */
    public static final String MDC_MESSAGE_ID = "message_id";

    private final SqsClient sqs;
    private final QueueTopology topology;
    private final MessageProcessor processor;
    private final QueueProperties properties;
    private final Backoff backoff;
    private final ConsumerMetrics metrics;
    private final Semaphore permits;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final List<Thread> pollers = new ArrayList<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<ReceiveBatch, Boolean> openBatches = new ConcurrentHashMap<>();
    private final List<Consumer<Message>> deleteListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean started;

    public SqsConsumer(SqsClient sqs, QueueTopology topology, MessageProcessor processor, QueueProperties properties,
                       MeterRegistry meters) {
        this.sqs = sqs;
        this.topology = topology;
        this.processor = processor;
        this.properties = properties;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.permits = new Semaphore(properties.maxInFlight());
        this.metrics = new ConsumerMetrics(meters, inFlight::size);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.maxInFlight(), properties.maxInFlight(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "snapline-worker-" + n.incrementAndGet()));
        this.scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "snapline-heartbeat"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Called for every message this consumer deletes after handling it (benchmarks, tests). */
    public void addDeleteListener(Consumer<Message> listener) {
        deleteListeners.add(listener);
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        running = true;
        long beat = Math.max(500, topology.queue().visibilityTimeout().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::sweepBatches, 200, 200, TimeUnit.MILLISECONDS);
        for (int i = 0; i < properties.pollers(); i++) {
            Thread t = new Thread(this::pollLoop, "snapline-poller-" + (i + 1));
            t.setDaemon(true);
            pollers.add(t);
            t.start();
        }
        LOG.info("consuming {} with {} poller(s), at most {} in flight, dead-letter queue {}", topology.queueUrl(),
                properties.pollers(), properties.maxInFlight(), topology.dlqUrl().orElse("(none: redrive policy only)"));
    }

    public boolean running() {
        return running;
    }

    /** Messages being handled right now. */
    public int inFlight() {
        return inFlight.size();
    }

    private void pollLoop() {
        int waitSeconds = (int) Math.min(20, Math.max(0, properties.waitTime().toSeconds()));
        while (running) {
            int wanted;
            try {
                if (!permits.tryAcquire(1, 500, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                break;
            }
            wanted = 1;
            while (wanted < 10 && permits.tryAcquire()) {
                wanted++;
            }
            List<Message> messages;
            try {
                final int max = wanted;
                messages = sqs.receiveMessage(r -> r.queueUrl(topology.queueUrl()).maxNumberOfMessages(max)
                        .waitTimeSeconds(waitSeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP)
                        .messageAttributeNames(ATTR_RECHECK_ATTEMPT, ATTR_NOT_BEFORE, ATTR_FAILURE_REASON)).messages();
            } catch (RuntimeException e) {
                permits.release(wanted);
                if (running) {
                    LOG.warn("receive from {} failed, retrying in 1 s: {}", topology.queueUrl(), e.toString());
                    sleepQuietly(1000);
                }
                continue;
            }
            permits.release(wanted - messages.size());
            if (messages.isEmpty()) {
                continue;
            }
            if (!running) {
                makeVisible(messages);
                permits.release(messages.size());
                break;
            }
            ReceiveBatch batch = new ReceiveBatch(messages.size());
            openBatches.put(batch, Boolean.TRUE);
            for (Message message : messages) {
                InFlight entry = new InFlight(message, batch, Instant.now(), topology.queue().visibilityTimeout());
                inFlight.put(message.messageId(), entry);
                try {
                    workers.execute(() -> handle(entry));
                } catch (RuntimeException rejected) {
                    inFlight.remove(message.messageId());
                    makeVisible(List.of(message));
                    batch.done(null, this);
                    permits.release();
                }
            }
        }
    }

    private void handle(InFlight entry) {
        Message message = entry.message;
        Message toDelete = null;
        MDC.put(MDC_MESSAGE_ID, message.messageId());
        try {
            int attempt = intAttribute(message, ATTR_RECHECK_ATTEMPT);
            long notBefore = longAttribute(message, ATTR_NOT_BEFORE);
            long now = System.currentTimeMillis();
            if (notBefore > now) {
                Duration remaining = Duration.ofMillis(notBefore - now);
                toDelete = resend(message, remaining, attempt, notBefore) ? message : null;
                return;
            }
            // A message that carries Snapline's failure reason was redriven from the dead-letter queue:
            // an operator's request to run its permanently failed steps again.
            boolean redriven = m(message, ATTR_FAILURE_REASON) != null;
            Disposition disposition = processor.process(message.body(), attempt, redriven);
            metrics.latency(disposition.kind(), Duration.between(entry.receivedAt, Instant.now()));
            toDelete = apply(entry, disposition, attempt) ? message : null;
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure handling message {}, it will be retried: {}", message.messageId(), e.toString(), e);
            retryLater(message, "unexpected: " + e);
        } finally {
            MDC.remove(MDC_MESSAGE_ID);
            MDC.remove(MessageProcessor.MDC_KIND);
            MDC.remove(MessageProcessor.MDC_KEY);
            inFlight.remove(message.messageId());
            if (entry.released) {
                toDelete = null; // made visible at shutdown: another receive owns it now
            }
            entry.batch.done(toDelete, this);
            permits.release();
        }
    }

    /** Applies a disposition; true when the message is to be deleted. */
    private boolean apply(InFlight entry, Disposition disposition, int attempt) {
        Message message = entry.message;
        if (disposition instanceof Disposition.Delete delete) {
            metrics.message(delete.kind(), delete.outcome());
            if (LOG.isDebugEnabled()) {
                LOG.debug("message {} {}: {} ({})", message.messageId(), delete.kind().label(), delete.outcome(),
                        delete.reason());
            }
            return true;
        }
        if (disposition instanceof Disposition.Retry retry) {
            metrics.message(retry.kind(), "retry");
            LOG.warn("message_id={} kind={} key={} outcome=retry reason=\"{}\"{}", message.messageId(),
                    retry.kind().label(), retry.key(), retry.failure().reason(),
                    retry.failure().awsRequestId().map(id -> " aws_request_id=" + id).orElse(""));
            retryLater(message, retry.failure().reason());
            return false;
        }
        if (disposition instanceof Disposition.Recheck recheck) {
            metrics.message(recheck.kind(), "recheck_later");
            long notBefore = System.currentTimeMillis() + recheck.after().toMillis();
            LOG.info("message {} {} {}: re-check in {} ({})", message.messageId(), recheck.kind().label(), recheck.key(),
                    recheck.after(), recheck.reason());
            return resend(message, recheck.after(), attempt + 1, notBefore);
        }
        Disposition.DeadLetter dead = (Disposition.DeadLetter) disposition;
        metrics.message(dead.kind(), "dead_letter");
        LOG.error("message_id={} kind={} key={} outcome=dead_letter reason=\"{}\"{}", message.messageId(),
                dead.kind().label(), dead.key(), dead.reason(),
                dead.failure().awsRequestId().map(id -> " aws_request_id=" + id).orElse(""));
        if (topology.dlqUrl().isEmpty()) {
            LOG.error("no dead-letter queue known (set snapline.queue.dlq-url or a redrive policy); message {} stays "
                    + "on the queue until its redrive limit", message.messageId());
            retryLater(message, dead.reason());
            return false;
        }
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put(ATTR_FAILURE_REASON, string(truncate(dead.reason(), 4000)));
        attributes.put(ATTR_FAILURE_KIND, string(dead.kind().label()));
        attributes.put(ATTR_ORIGINAL_ID, string(message.messageId()));
        dead.failure().awsRequestId().ifPresent(id -> attributes.put(ATTR_AWS_REQUEST_ID, string(id)));
        try {
            sqs.sendMessage(r -> r.queueUrl(topology.dlqUrl().get()).messageBody(message.body())
                    .messageAttributes(attributes));
            metrics.deadLetter(dead.kind());
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not send message {} to the dead-letter queue, leaving it on the queue: {}",
                    message.messageId(), e.toString());
            retryLater(message, dead.reason());
            return false;
        }
    }

    private boolean resend(Message message, Duration after, int attempt, long notBefore) {
        int delay = (int) Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, (after.toMillis() + 999) / 1000));
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put(ATTR_RECHECK_ATTEMPT, MessageAttributeValue.builder().dataType("Number")
                .stringValue(Integer.toString(attempt)).build());
        if (after.toSeconds() > SQS_MAX_DELAY_SECONDS) {
            attributes.put(ATTR_NOT_BEFORE, MessageAttributeValue.builder().dataType("Number")
                    .stringValue(Long.toString(notBefore)).build());
        }
        try {
            sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(message.body()).delaySeconds(delay)
                    .messageAttributes(attributes));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not schedule the re-check of message {}, retrying it instead: {}", message.messageId(), e.toString());
            retryLater(message, "re-check could not be scheduled");
            return false;
        }
    }

    private void retryLater(Message message, String reason) {
        int receiveCount = intSystemAttribute(message, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        Duration delay = backoff.delay(Math.max(1, receiveCount));
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(topology.queueUrl()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) Math.max(1, (delay.toMillis() + 999) / 1000)));
        } catch (RuntimeException e) {
            LOG.warn("could not set the backoff of message {} ({}); it reappears after the visibility timeout",
                    message.messageId(), e.toString());
        }
    }

    void deleteBatch(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            var response = sqs.deleteMessageBatch(r -> r.queueUrl(topology.queueUrl()).entries(entries));
            for (BatchResultErrorEntry failed : response.failed()) {
                LOG.warn("delete of message {} failed ({} {}); it may be delivered again and is handled idempotently",
                        messages.get(Integer.parseInt(failed.id())).messageId(), failed.code(), failed.message());
            }
        } catch (RuntimeException e) {
            LOG.warn("delete of {} message(s) failed ({}); they may be delivered again and are handled idempotently",
                    messages.size(), e.toString());
        }
        if (!deleteListeners.isEmpty()) {
            for (Message m : messages) {
                deleteListeners.forEach(l -> l.accept(m));
            }
        }
    }

    private void heartbeat() {
        try {
            long extendTo = topology.queue().visibilityTimeout().toSeconds();
            Instant now = Instant.now();
            List<InFlight> due = new ArrayList<>();
            for (InFlight entry : inFlight.values()) {
                if (!entry.released && Duration.between(now, entry.visibleUntil).toMillis() < extendTo * 500
                        && Duration.between(entry.receivedAt, now).toSeconds() + extendTo < Backoff.SQS_MAX.toSeconds()) {
                    due.add(entry);
                }
            }
            for (int i = 0; i < due.size(); i += 10) {
                List<InFlight> chunk = due.subList(i, Math.min(due.size(), i + 10));
                changeVisibility(chunk, (int) extendTo);
                Instant until = Instant.now().plusSeconds(extendTo);
                chunk.forEach(e -> e.visibleUntil = until);
            }
        } catch (RuntimeException e) {
            LOG.warn("visibility heartbeat failed: {}", e.toString());
        }
    }

    private void changeVisibility(List<InFlight> entries, int seconds) {
        List<ChangeMessageVisibilityBatchRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            batch.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(entries.get(i).message.receiptHandle()).visibilityTimeout(seconds).build());
        }
        sqs.changeMessageVisibilityBatch(r -> r.queueUrl(topology.queueUrl()).entries(batch));
    }

    private void makeVisible(List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
            List<ChangeMessageVisibilityBatchRequestEntry> batch = new ArrayList<>();
            for (int j = 0; j < chunk.size(); j++) {
                batch.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(r -> r.queueUrl(topology.queueUrl()).entries(batch));
            } catch (RuntimeException e) {
                LOG.warn("could not release {} message(s) at shutdown ({}); they reappear after the visibility timeout",
                        chunk.size(), e.toString());
            }
        }
    }

    private void sweepBatches() {
        long now = System.nanoTime();
        for (ReceiveBatch batch : openBatches.keySet()) {
            batch.flushIfStale(now, this);
        }
    }

    /**
     * Graceful stop: no new receives; in-flight messages may finish until the shutdown deadline;
     * whatever is still running then is made visible again at once, so another consumer takes it
     * without waiting for the visibility timeout. Pending deletes are flushed.
     */
    public synchronized void stop() {
        if (!started || !running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + properties.shutdownDeadline().toNanos();
        LOG.info("stopping: {} message(s) in flight, deadline {}", inFlight.size(), properties.shutdownDeadline());
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(20);
        }
        List<InFlight> unfinished = new ArrayList<>();
        for (InFlight entry : inFlight.values()) {
            entry.released = true;
            unfinished.add(entry);
        }
        if (!unfinished.isEmpty()) {
            LOG.warn("shutdown deadline reached: releasing {} unfinished message(s) for redelivery", unfinished.size());
            makeVisible(unfinished.stream().map(e -> e.message).toList());
        }
        for (Thread poller : pollers) {
            try {
                poller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))
                        + properties.waitTime().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ReceiveBatch batch : openBatches.keySet()) {
            batch.flush(this);
        }
        workers.shutdownNow();
        scheduler.shutdownNow();
        LOG.info("stopped");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static MessageAttributeValue m(Message message, String name) {
        return message.hasMessageAttributes() ? message.messageAttributes().get(name) : null;
    }

    private static int intAttribute(Message m, String name) {
        return (int) longAttribute(m, name);
    }

    private static long longAttribute(Message m, String name) {
        MessageAttributeValue v = m.hasMessageAttributes() ? m.messageAttributes().get(name) : null;
        if (v == null || v.stringValue() == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.stringValue().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int intSystemAttribute(Message m, MessageSystemAttributeName name) {
        String v = m.hasAttributes() ? m.attributes().get(name) : null;
        try {
            return v == null ? 1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** One message being handled. */
    private static final class InFlight {
        final Message message;
        final ReceiveBatch batch;
        final Instant receivedAt;
        volatile Instant visibleUntil;
        volatile boolean released;

        InFlight(Message message, ReceiveBatch batch, Instant receivedAt, Duration visibility) {
            this.message = message;
            this.batch = batch;
            this.receivedAt = receivedAt;
            this.visibleUntil = receivedAt.plus(visibility);
        }
    }

    /**
     * The messages of one receive call: deleted together when the last one finishes, so the
     * consumer makes no more delete calls than a plain receive/delete loop.
     */
    static final class ReceiveBatch {
        private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
        private final List<Message> toDelete = new ArrayList<>(10);
        private int remaining;
        private long firstDoneAt;

        ReceiveBatch(int size) {
            this.remaining = size;
        }

        void done(Message deletable, SqsConsumer consumer) {
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
                    consumer.openBatches.remove(this);
                }
            }
            if (flush != null) {
                consumer.deleteBatch(flush);
            }
        }

        void flushIfStale(long now, SqsConsumer consumer) {
            List<Message> flush;
            synchronized (this) {
                if (toDelete.isEmpty() || now - firstDoneAt < STALE_NANOS) {
                    return;
                }
                flush = take();
            }
            consumer.deleteBatch(flush);
        }

        void flush(SqsConsumer consumer) {
            List<Message> flush;
            synchronized (this) {
                flush = take();
            }
            consumer.deleteBatch(flush);
        }

        private List<Message> take() {
            List<Message> out = new ArrayList<>(toDelete);
            toDelete.clear();
            return out;
        }
    }
}
