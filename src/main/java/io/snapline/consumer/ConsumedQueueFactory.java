package io.snapline.consumer;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.snapline.config.ConsumedQueue;
import io.snapline.config.QueueProperties;
import jakarta.inject.Singleton;

/**
 * The {@link ConsumedQueue} everyone's leases follow. With a queue URL and the consumer enabled it
 * is what the queue says ({@link QueueTopology} reads it); in local mode it is what Snapline creates
 * its embedded queue with, so nothing needs the server to be up; with the consumer disabled no
 * queue is read and local mode's values stand in.
 */
@Factory
public class ConsumedQueueFactory {

    @Singleton
    ConsumedQueue consumedQueue(QueueProperties properties, BeanProvider<QueueTopology> topology,
                                @Value("${snapline.consumer.enabled:true}") String consumerEnabled) {
        if (properties.localMode() || "false".equalsIgnoreCase(consumerEnabled.trim())) {
            return ConsumedQueue.local(properties);
        }
        return topology.get().queue();
    }
}
