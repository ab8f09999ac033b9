package io.snapline.consumer;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.snapline.config.ConfigurationCheck;
import io.snapline.config.InvalidConfigurationException;
import io.snapline.config.QueueProperties;
import io.snapline.config.ServiceConfigurationValidator;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The queue's part of the start-up validation: with a queue URL, the queue and its dead-letter
 * queue are read at start-up ({@link QueueTopology}) and every problem (cannot be read, a
 * {@code snapline.queue.visibility-timeout} that disagrees with the queue, a redrive policy that
 * names no readable queue) joins the one report. Local mode's queues are Snapline's own; with the
 * consumer disabled no queue is used.
 */
@Singleton
@Requires(property = "snapline.consumer.enabled", notEquals = "false")
public class QueueCheck implements ConfigurationCheck {

    private final QueueProperties properties;
    private final BeanProvider<QueueTopology> topology;

    public QueueCheck(QueueProperties properties, BeanProvider<QueueTopology> topology) {
        this.properties = properties;
        this.topology = topology;
    }

    @Override
    public List<String> problems() {
        if (properties.localMode() || !ServiceConfigurationValidator.validQueueUrl(properties.url())) {
            return List.of(); // local mode's queues are created as configured; a bad URL is named by the service check
        }
        try {
            topology.get();
            return List.of();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidConfigurationException invalid) {
                    return invalid.problems();
                }
            }
            throw e;
        }
    }
}
