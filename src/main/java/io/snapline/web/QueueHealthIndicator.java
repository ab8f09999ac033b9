package io.snapline.web;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.context.annotation.Requires;
import io.snapline.consumer.ConsumerService;
import io.snapline.consumer.QueueTopology;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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

    private final SqsClient sqs;
    private final QueueTopology topology;
    private final Optional<ConsumerService> consumer;

    public QueueHealthIndicator(SqsClient sqs, QueueTopology topology, Optional<ConsumerService> consumer) {
        this.sqs = sqs;
        this.topology = topology;
        this.consumer = consumer;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queueUrl", topology.queueUrl());
        try {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(topology.queueUrl()).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            details.put("visible", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            details.put("notVisible", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
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
