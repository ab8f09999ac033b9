package io.snapline.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.snapline.message.MessageKind;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The consumer's meters, looked up once and cached (the hot path never builds a meter):
 * {@code snapline_messages_total{kind,outcome}}, {@code snapline_handler_latency_seconds{kind}}
 * (histogram), {@code snapline_inflight} and {@code snapline_dlq_sends_total{kind}}.
 */
final class ConsumerMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final Map<MessageKind, Timer> latency = new ConcurrentHashMap<>();
    private final Map<MessageKind, Counter> dlq = new ConcurrentHashMap<>();

    ConsumerMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        Gauge.builder("snapline.inflight", inFlight).description("messages being handled now").register(registry);
    }

    void message(MessageKind kind, String outcome) {
        messages.computeIfAbsent(kind.label() + '|' + outcome, k -> Counter.builder("snapline.messages")
                .description("messages by kind and outcome").tag("kind", kind.label()).tag("outcome", outcome)
                .register(registry)).increment();
    }

    void latency(MessageKind kind, Duration took) {
        latency.computeIfAbsent(kind, k -> Timer.builder("snapline.handler.latency")
                .description("time from receive to outcome").tag("kind", k.label())
                .publishPercentileHistogram().register(registry)).record(took);
    }

    void deadLetter(MessageKind kind) {
        dlq.computeIfAbsent(kind, k -> Counter.builder("snapline.dlq.sends")
                .description("messages sent to the dead-letter queue").tag("kind", k.label())
                .register(registry)).increment();
    }
}
