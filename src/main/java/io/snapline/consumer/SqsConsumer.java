package io.snapline.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.QueueProperties;
import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * worker thread and its permit is released whatever its fate. Its parts: the receive loop and the
 * handling of one message (here), {@link InFlightMessages} (heartbeat, release at shutdown),
 * {@link BatchedDeletes} (acknowledgement), {@link QueueSender} (dead letters and re-checks).
 *
 * <ul>
 * <li>Success (DONE, ALREADY_DONE, SKIPPED, ignored): deleted, in one batch per receive.</li>
 * <li>Retryable failure: not deleted; its visibility is set to an exponential backoff with jitter
 *     from {@code ApproximateReceiveCount}. On the receive that spends the queue's
 *     {@code maxReceiveCount}, it is dead-lettered by Snapline instead, with "gave up after N
 *     receives: <last error>", before SQS would move it without a reason.</li>
 * <li>Permanent failure: one structured ERROR line, sent to the dead-letter queue at once with the
 *     reason in message attributes, then deleted; if the dead-letter queue does not take it, it is
 *     not deleted.</li>
 * <li>Re-check later: the body is sent again with an SQS delay (a durable timer) and the original
 *     deleted; delays above 15 minutes hop, carrying a not-before time.</li>
 * <li>{@link #stop()} (SIGTERM): stop polling, let in-flight messages finish until the deadline,
 *     make what is unfinished visible again at once, flush pending deletes.</li>
 * </ul>
 *
 * Every log line about a message carries the MDC key {@value #MDC_MESSAGE_ID} (and, once parsed,
 * {@code kind} and {@code key}); failure lines carry {@value #MDC_AWS_REQUEST_ID} when AWS gave one.
 * The MDC is cleared after every message, whatever its path.
 */
public final class SqsConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SqsConsumer.class);
    /** How long past the shutdown deadline the workers may take to send the deletes of finished messages. */
    static final Duration DELETE_GRACE = Duration.ofSeconds(5);
    static final String ATTR_RECHECK_ATTEMPT = SnaplineAttributes.RECHECK_ATTEMPT;
    static final String ATTR_NOT_BEFORE = SnaplineAttributes.NOT_BEFORE;
    static final String ATTR_FAILURE_REASON = SnaplineAttributes.FAILURE_REASON;
    static final String ATTR_FAILURE_KIND = SnaplineAttributes.FAILURE_KIND;
    static final String ATTR_ORIGINAL_ID = SnaplineAttributes.ORIGINAL_ID;
    static final String ATTR_AWS_REQUEST_ID = SnaplineAttributes.AWS_REQUEST_ID;
    /** The MDC key of the SQS message id on every log line about a message. */
    public static final String MDC_MESSAGE_ID = "message_id";
    /** The MDC key of the AWS request id on the failure lines of a message. */
    public static final String MDC_AWS_REQUEST_ID = "aws_request_id";
    /** The kind label of a message that failed before it was parsed. */
    static final String UNKNOWN_KIND = "unknown";

    private final SqsClient sqs;
    private final QueueTopology topology;
    private final MessageProcessor processor;
    private final QueueProperties properties;
    private final Backoff backoff;
    private final ConsumerMetrics metrics;
    private final Semaphore permits;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final InFlightMessages inFlight;
    private final BatchedDeletes deletes;
    private final QueueSender sender;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean started;
    private volatile DrainResult drain;

    public SqsConsumer(SqsClient sqs, QueueTopology topology, MessageProcessor processor, QueueProperties properties,
                       MeterRegistry meters) {
        this.sqs = sqs;
        this.topology = topology;
        this.processor = processor;
        this.properties = properties;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.permits = new Semaphore(properties.maxInFlight());
        this.inFlight = new InFlightMessages(sqs, topology.queueUrl(), topology.queue().visibilityTimeout());
        this.metrics = new ConsumerMetrics(meters, inFlight::size);
        this.deletes = new BatchedDeletes(sqs, topology.queueUrl(), metrics);
        this.sender = new QueueSender(sqs, topology);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.maxInFlight(), properties.maxInFlight(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "snapline-worker-" + n.incrementAndGet()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "snapline-heartbeat"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Called for every message this consumer deletes after handling it (benchmarks, tests). */
    public void addDeleteListener(Consumer<Message> listener) {
        deletes.addListener(listener);
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        running = true;
        long beat = inFlight.heartbeatMillis();
        scheduler.scheduleWithFixedDelay(inFlight::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(deletes::sweep, 200, 200, TimeUnit.MILLISECONDS);
        for (int i = 0; i < properties.pollers(); i++) {
            Thread t = new Thread(this::pollLoop, "snapline-poller-" + (i + 1));
            t.setDaemon(true);
            pollers.add(t);
            t.start();
        }
        OptionalInt budget = topology.queue().maxReceiveCount();
        LOG.info("consuming {} with {} poller(s), at most {} in flight; visibility timeout {} (the queue's), "
                        + "receive budget {}, dead-letter queue {}", topology.queueUrl(), properties.pollers(),
                properties.maxInFlight(), topology.queue().visibilityTimeout(),
                budget.isPresent() ? budget.getAsInt() : "(none: no redrive policy)",
                topology.dlqUrl().orElse("(none)"));
    }

    public boolean running() {
        return running;
    }

    /** Messages being handled right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** How the last {@link #stop()} ended, if it ran. */
    public Optional<DrainResult> drainResult() {
        return Optional.ofNullable(drain);
    }

    private void pollLoop() {
        int waitSeconds = (int) Math.min(20, Math.max(0, properties.waitTime().toSeconds()));
        while (running) {
            try {
                if (!permits.tryAcquire(1, 500, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                break;
            }
            int wanted = 1;
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
                        .messageAttributeNames(SnaplineAttributes.RECEIVED)).messages();
            } catch (RuntimeException e) {
                permits.release(wanted);
                if (running) {
                    LOG.warn("receive from {} failed, retrying in 1 s: {}", topology.queueUrl(),
                            SafeText.of(e.toString(), 1000));
                    sleepQuietly(1000);
                }
                continue;
            }
            permits.release(wanted - messages.size());
            if (messages.isEmpty()) {
                continue;
            }
            if (!running) {
                inFlight.makeVisible(messages);
                permits.release(messages.size());
                break;
            }
            BatchedDeletes.ReceiveBatch batch = deletes.open(messages.size());
            for (Message message : messages) {
                InFlightMessages.Entry entry = inFlight.add(message, batch);
                try {
                    workers.execute(() -> handle(entry));
                } catch (RuntimeException rejected) {
                    inFlight.remove(entry);
                    inFlight.makeVisible(List.of(message));
                    batch.done(null);
                    permits.release();
                }
            }
        }
    }

    private void handle(InFlightMessages.Entry entry) {
        Message message = entry.message;
        Message toDelete = null;
        MDC.clear();
        MDC.put(MDC_MESSAGE_ID, SafeText.of(message.messageId(), SnaplineAttributes.MAX_LABEL_CHARS));
        try {
            int receives = SnaplineAttributes.receiveCount(message);
            if (lastReceive(receives)) {
                LOG.warn("message_id={} receive {} of the queue's maxReceiveCount {}: should this attempt end without "
                        + "an outcome (the process dies), SQS moves the message to the dead-letter queue without a "
                        + "reason", SafeText.of(message.messageId(), 200), receives,
                        topology.queue().maxReceiveCount().getAsInt());
            }
            int attempt = SnaplineAttributes.intAttribute(message, SnaplineAttributes.RECHECK_ATTEMPT);
            long notBefore = SnaplineAttributes.longAttribute(message, SnaplineAttributes.NOT_BEFORE);
            long now = System.currentTimeMillis();
            if (notBefore > now) {
                toDelete = hop(entry, Duration.ofMillis(notBefore - now), attempt, notBefore) ? message : null;
                return;
            }
            // A message that carries Snapline's failure reason was redriven from the dead-letter queue:
            // an operator's request to run its permanently failed steps again.
            boolean redriven = SnaplineAttributes.carriesFailureReason(message);
            Disposition disposition = processor.process(message.body(), attempt, redriven);
            metrics.latency(disposition.kind().label(), Duration.between(entry.receivedAt, Instant.now()));
            toDelete = apply(entry, disposition, attempt) ? message : null;
        } catch (RuntimeException | Error e) {
            toDelete = unexpected(entry, e) ? message : null;
        } finally {
            MDC.clear();
            inFlight.remove(entry);
            if (entry.released) {
                toDelete = null; // made visible at shutdown: another receive owns it now
            }
            entry.batch.done(toDelete);
            permits.release();
        }
    }

    /** Applies a disposition; true when the message is to be deleted. */
    private boolean apply(InFlightMessages.Entry entry, Disposition disposition, int attempt) {
        Message message = entry.message;
        String kind = disposition.kind().label();
        if (disposition instanceof Disposition.Delete delete) {
            metrics.outcome(kind, delete.outcome());
            if (LOG.isDebugEnabled()) {
                LOG.debug("message_id={} kind={} outcome={} ({})", message.messageId(), kind, delete.outcome(),
                        SafeText.of(delete.reason(), 2000));
            }
            return true;
        }
        if (disposition instanceof Disposition.Retry retry) {
            if (retry.failure().awsTransient() && lastReceive(SnaplineAttributes.receiveCount(message))) {
                return sendOnAfterAwsFailures(entry, kind, retry, attempt);
            }
            return retryOrGiveUp(entry, kind, retry.key(), retry.failure().reason(), retry.failure().awsRequestId());
        }
        if (disposition instanceof Disposition.Recheck recheck) {
            long notBefore = System.currentTimeMillis() + recheck.after().toMillis();
            LOG.info("message_id={} kind={} key={} outcome=recheck_later after={} reason=\"{}\"", message.messageId(),
                    kind, SafeText.of(recheck.key(), 300), recheck.after(), SafeText.of(recheck.reason(), 2000));
            if (sender.recheck(message, recheck.after(), attempt + 1, notBefore)) {
                metrics.recheck(kind);
                return true;
            }
            return retryOrGiveUp(entry, kind, recheck.key(), "the re-check could not be scheduled: "
                    + recheck.reason(), Optional.empty());
        }
        Disposition.DeadLetter dead = (Disposition.DeadLetter) disposition;
        return deadLetter(entry, kind, dead.key(), dead.reason(), dead.failure().awsRequestId());
    }

    /**
     * A retryable failure: left for a backoff, unless this receive spends the queue's receive
     * budget, in which case Snapline dead-letters it with the reason (SQS would move it without).
     */
    private boolean retryOrGiveUp(InFlightMessages.Entry entry, String kind, String key, String reason,
                                  Optional<String> awsRequestId) {
        Message message = entry.message;
        int receives = SnaplineAttributes.receiveCount(message);
        if (lastReceive(receives) && topology.dlqUrl().isPresent()) {
            return deadLetter(entry, kind, key, "gave up after " + receives + " receives (the queue's maxReceiveCount): "
                    + reason, awsRequestId);
        }
        awsRequestId.ifPresent(id -> MDC.put(MDC_AWS_REQUEST_ID, SafeText.of(id, SnaplineAttributes.MAX_LABEL_CHARS)));
        LOG.warn("message_id={} kind={} key={} outcome=retry receive={} reason=\"{}\"{}", message.messageId(), kind,
                SafeText.of(key, 300), receives, SafeText.of(reason, 2000), requestIdField(awsRequestId));
        metrics.retry(kind);
        retryLater(message, receives);
        return false;
    }

    /**
     * A message whose last receive failed on AWS's side (throttling, 5xx, dropped connections) is not
     * poison: on the receive that would spend the queue's budget it is sent again
     * as a delayed copy (a fresh receive count, the re-check attempt counted), so a long throttling
     * storm does not dead-letter work that only needs time. Bounded by
     * {@code snapline.queue.recheck-max-attempts}; past it, or when the copy cannot be sent, the
     * usual give-up with the reason.
     */
    private boolean sendOnAfterAwsFailures(InFlightMessages.Entry entry, String kind, Disposition.Retry retry,
                                           int attempt) {
        Message message = entry.message;
        int receives = SnaplineAttributes.receiveCount(message);
        String reason = retry.failure().reason();
        if (attempt >= properties.recheckMaxAttempts()) {
            return retryOrGiveUp(entry, kind, retry.key(), "AWS kept failing after " + attempt
                    + " re-sends (snapline.queue.recheck-max-attempts): " + reason, retry.failure().awsRequestId());
        }
        Duration delay = backoff.delay(receives);
        retry.failure().awsRequestId().ifPresent(id -> MDC.put(MDC_AWS_REQUEST_ID,
                SafeText.of(id, SnaplineAttributes.MAX_LABEL_CHARS)));
        LOG.warn("message_id={} kind={} key={} outcome=retry receive={} reason=\"{}\"{}; the failure is AWS's and passing, "
                        + "so it is sent on as a delayed copy in {} (re-send {} of at most {}) instead of spending "
                        + "the queue's receive budget", message.messageId(), kind, SafeText.of(retry.key(), 300), receives,
                SafeText.of(reason, 2000), requestIdField(retry.failure().awsRequestId()), delay, attempt + 1,
                properties.recheckMaxAttempts());
        if (sender.recheck(message, delay, attempt + 1, System.currentTimeMillis() + delay.toMillis())) {
            metrics.retry(kind);
            return true;
        }
        return retryOrGiveUp(entry, kind, retry.key(), reason, retry.failure().awsRequestId());
    }

    /** Sends the message to the dead-letter queue with its reason; true when it may be deleted. */
    private boolean deadLetter(InFlightMessages.Entry entry, String kind, String key, String reason,
                               Optional<String> awsRequestId) {
        Message message = entry.message;
        awsRequestId.ifPresent(id -> MDC.put(MDC_AWS_REQUEST_ID, SafeText.of(id, SnaplineAttributes.MAX_LABEL_CHARS)));
        LOG.error("message_id={} kind={} key={} outcome=dead_letter reason=\"{}\"{}", message.messageId(), kind,
                SafeText.of(key, 300), SafeText.of(reason, 2000), requestIdField(awsRequestId));
        if (sender.deadLetter(message, kind, reason, awsRequestId)) {
            metrics.deadLetterSent(kind);
            return true;
        }
        metrics.deadLetterFailed(kind);
        int receives = SnaplineAttributes.receiveCount(message);
        if (lastReceive(receives)) {
            LOG.error("message_id={} was not dead-lettered on its last receive ({} of {}): SQS's redrive policy moves it "
                    + "to the dead-letter queue on the next one, without a reason", message.messageId(), receives,
                    topology.queue().maxReceiveCount().getAsInt());
        }
        retryLater(message, receives);
        return false;
    }

    /** A re-check whose time has not come: sent on with the longest delay, not handled. */
    private boolean hop(InFlightMessages.Entry entry, Duration remaining, int attempt, long notBefore) {
        if (sender.recheck(entry.message, remaining, attempt, notBefore)) {
            metrics.hop();
            return true;
        }
        return retryOrGiveUp(entry, UNKNOWN_KIND, "", "a re-check due at " + Instant.ofEpochMilli(notBefore)
                + " could not be sent on", Optional.empty());
    }

    /** A failure the processor should never let out (it answers every message): treated as retryable. */
    private boolean unexpected(InFlightMessages.Entry entry, Throwable e) {
        String kind = Optional.ofNullable(MDC.get(MessageProcessor.MDC_KIND)).orElse(UNKNOWN_KIND);
        String key = Optional.ofNullable(MDC.get(MessageProcessor.MDC_KEY)).orElse("");
        LOG.error("message_id={} unexpected failure while handling it: {}", entry.message.messageId(),
                SafeText.of(e.toString(), 2000), e);
        try {
            return retryOrGiveUp(entry, kind, key, "unexpected: " + e, Optional.empty());
        } catch (RuntimeException | Error again) {
            LOG.error("message_id={} could not be scheduled for a retry ({}); it reappears after the visibility "
                    + "timeout", entry.message.messageId(), SafeText.of(again.toString(), 1000));
            return false;
        }
    }

    private boolean lastReceive(int receives) {
        OptionalInt budget = topology.queue().maxReceiveCount();
        return budget.isPresent() && receives >= budget.getAsInt();
    }

    private static String requestIdField(Optional<String> awsRequestId) {
        return awsRequestId.map(id -> " aws_request_id=" + SafeText.of(id, SnaplineAttributes.MAX_LABEL_CHARS))
                .orElse("");
    }

    private void retryLater(Message message, int receives) {
        Duration delay = backoff.delay(receives);
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(topology.queueUrl()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) Math.max(1, (delay.toMillis() + 999) / 1000)));
        } catch (RuntimeException e) {
            LOG.warn("message_id={} could not set its backoff ({}); it reappears after the visibility timeout",
                    message.messageId(), SafeText.of(e.toString(), 1000));
        }
    }

    /**
     * Graceful stop: no new receives; in-flight messages may finish until the shutdown deadline;
     * whatever is still running then is made visible again at once, so another consumer takes it
     * without waiting for the visibility timeout. Pending deletes are flushed.
     */
    public synchronized DrainResult stop() {
        if (!started || !running) {
            return drain == null ? DrainResult.NOTHING : drain;
        }
        running = false;
        int deleteFailuresBefore = deletes.failures();
        int atStop = inFlight.size();
        long deadline = System.nanoTime() + properties.shutdownDeadline().toNanos();
        LOG.info("stopping: {} message(s) in flight, deadline {}", atStop, properties.shutdownDeadline());
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(20);
        }
        List<InFlightMessages.Entry> unfinished = inFlight.snapshot();
        int releaseFailures = 0;
        if (!unfinished.isEmpty()) {
            LOG.warn("shutdown deadline reached: releasing {} unfinished message(s) for redelivery", unfinished.size());
            releaseFailures = inFlight.releaseAll(unfinished);
            metrics.released(unfinished.size());
        }
        for (Thread poller : pollers) {
            try {
                poller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))
                        + properties.waitTime().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deletes.flushAll();
        // A worker whose message is finished may still be sending its batch's delete: let it end, then
        // stop the threads. Interrupting it would abort the delete and leave the message to come again.
        workers.shutdown();
        awaitQuietly(workers, Math.max(0, deadline - System.nanoTime()) + DELETE_GRACE.toNanos());
        workers.shutdownNow();
        scheduler.shutdownNow();
        drain = new DrainResult(atStop, unfinished.size(), releaseFailures, deletes.failures() - deleteFailuresBefore);
        if (drain.clean()) {
            LOG.info("stopped: every message in flight finished");
        } else {
            LOG.warn("stopped uncleanly: {} of {} in-flight message(s) released unfinished ({} not released), "
                    + "{} delete(s) failed; they will be delivered again", drain.released(), atStop,
                    drain.releaseFailures(), drain.deleteFailures());
        }
        return drain;
    }

    private static void awaitQuietly(ExecutorService executor, long nanos) {
        try {
            executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
