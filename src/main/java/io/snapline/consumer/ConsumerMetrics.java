package io.snapline.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The consumer's meters, looked up once and cached (the hot path never builds a meter). Each
 * message's outcome is counted once, when it has one; what happens on the way is counted apart:
 *
 * <ul>
 * <li>{@code snapline_messages_total{kind,outcome}}: one per message at its outcome: {@code done},
 *     {@code already_done}, {@code skipped}, {@code ignored}, {@code already_failed}, or
 *     {@code dead_letter} once the dead-letter queue took it. A retried message counts once, at the
 *     end; a re-check's outcome is its re-sent message's.</li>
 * <li>{@code snapline_message_retries_total{kind}}: a retryable failure left on the queue for a backoff.</li>
 * <li>{@code snapline_message_rechecks_total{kind}}: a "not ready yet" re-sent with a delay.</li>
 * <li>{@code snapline_message_hops_total}: a re-check received before its time, sent on unhandled.</li>
 * <li>{@code snapline_dlq_sends_total{kind}}: messages the dead-letter queue took.</li>
 * <li>{@code snapline_dlq_send_failures_total{kind}}: dead-letter sends SQS refused (the message stays).</li>
 * <li>{@code snapline_delete_failures_total}: deletes SQS refused (the message may come again).</li>
 * <li>{@code snapline_messages_released_total}: unfinished messages released at shutdown.</li>
 * <li>{@code snapline_handler_latency_seconds{kind}} (histogram): receive to outcome; {@code snapline_inflight}.</li>
 * </ul>
 */
final class ConsumerMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    ConsumerMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        Gauge.builder("snapline.inflight", inFlight).description("messages being handled now").register(registry);
    }

    /** The message's outcome: counted once per message. */
    void outcome(String kind, String outcome) {
        counters.computeIfAbsent("messages|" + kind + '|' + outcome, k -> Counter.builder("snapline.messages")
                .description("messages by kind and outcome, each message once").tag("kind", kind)
                .tag("outcome", outcome).register(registry)).increment();
    }

    void retry(String kind) {
        byKind("snapline.message.retries", "retryable failures left on the queue for a backoff", kind).increment();
    }

    void recheck(String kind) {
        byKind("snapline.message.rechecks", "re-checks sent with a delay", kind).increment();
    }

    void hop() {
        plain("snapline.message.hops", "re-checks received before their time and sent on").increment();
    }

    void deadLetterSent(String kind) {
        outcome(kind, "dead_letter");
        byKind("snapline.dlq.sends", "messages the dead-letter queue took", kind).increment();
    }

    void deadLetterFailed(String kind) {
        byKind("snapline.dlq.send.failures", "dead-letter sends refused; the message stays on the queue", kind)
                .increment();
    }

    void deleteFailed(int count) {
        plain("snapline.delete.failures", "deletes refused; the message may be delivered again").increment(count);
    }

    void released(int count) {
        plain("snapline.messages.released", "unfinished messages released at shutdown").increment(count);
    }

    void latency(String kind, Duration took) {
        latency.computeIfAbsent(kind, k -> Timer.builder("snapline.handler.latency")
                .description("time from receive to outcome").tag("kind", k)
                .publishPercentileHistogram().register(registry)).record(took);
    }

    private Counter byKind(String name, String description, String kind) {
        return counters.computeIfAbsent(name + '|' + kind, k -> Counter.builder(name).description(description)
                .tag("kind", kind).register(registry));
    }

    private Counter plain(String name, String description) {
        return counters.computeIfAbsent(name, k -> Counter.builder(name).description(description).register(registry));
    }
}
