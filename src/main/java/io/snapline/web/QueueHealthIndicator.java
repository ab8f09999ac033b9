package io.snapline.web;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.context.annotation.Requires;
import io.snapline.consumer.ConsumerService;
import io.snapline.consumer.QueueOperations;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Readiness includes the queue: UP when the queue answers GetQueueAttributes and the consumer is
 * running, with the queue depth and in-flight count as details.
 */
@Singleton
@Readiness
@Requires(beans = HealthEndpoint.class)
public class QueueHealthIndicator implements HealthIndicator {

    private final QueueOperations queue;
    private final Optional<ConsumerService> consumer;

    public QueueHealthIndicator(QueueOperations queue, Optional<ConsumerService> consumer) {
        this.queue = queue;
        this.consumer = consumer;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queueUrl", queue.queueUrl());
        try {
            details.putAll(queue.depth());
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            return HealthResult.builder("queue", HealthStatus.DOWN).details(details).build();
        }
        boolean running = consumer.map(c -> c.consumer().running()).orElse(false);
        details.put("consumerRunning", running);
        consumer.ifPresent(c -> details.put("inFlight", c.consumer().inFlight()));
        return HealthResult.builder("queue", running ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}
