package io.snapline.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.snapline.config.QueueProperties;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Optional;

/**
 * Runs the {@link SqsConsumer} for the life of the application: it starts once the HTTP server
 * is up, and stops gracefully when the context closes (SIGTERM runs Micronaut's shutdown hook).
 * {@code snapline.consumer.enabled=false} leaves the queue alone (tests, one-off tools).
 */
@Singleton
@Requires(property = "snapline.consumer.enabled", notEquals = "false")
public class ConsumerService implements ApplicationEventListener<ServerStartupEvent> {

    private final SqsConsumer consumer;

    public ConsumerService(SqsClient sqs, QueueTopology topology, MessageProcessor processor, QueueProperties properties,
                           MeterRegistry meters) {
        this.consumer = new SqsConsumer(sqs, topology, processor, properties, meters);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        consumer.start();
    }

    public SqsConsumer consumer() {
        return consumer;
    }

    /** How the shutdown drain ended, once the context has closed; empty before. */
    public Optional<DrainResult> drainResult() {
        return consumer.drainResult();
    }

    @PreDestroy
    void stop() {
        consumer.stop();
    }
}
