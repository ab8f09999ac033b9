package io.snapline.metrics;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Limits what Micrometer's CloudWatch registry publishes to Snapline's own meters ({@code snapline.*}).
 * CloudWatch bills every metric (name and dimension values) separately; the JVM, HTTP and executor
 * meters stay on {@code /prometheus}, where they cost nothing. The Terraform module's alarms and
 * dashboard read these meters as {@code <name>.<statistic>} (e.g. {@code snapline.messages.count}).
 *
 * <p>The filter is set when the registry bean is created, before Micronaut adds it to the composite
 * registry (which copies every meter already bound there, the JVM binders' included): a Micrometer
 * filter only holds for meters registered after it. The registry itself is Micronaut's
 * ({@code micronaut-micrometer-registry-cloudwatch}), enabled only where
 * {@code micronaut.metrics.export.cloudwatch.enabled=true} (the task definition sets it).
 */
@Singleton
@Requires(classes = CloudWatchMeterRegistry.class)
@Requires(property = "micronaut.metrics.export.cloudwatch.enabled", value = "true")
public class CloudWatchMeters implements BeanCreatedEventListener<CloudWatchMeterRegistry> {

    /** The prefix of every meter Snapline publishes to CloudWatch. */
    public static final String PREFIX = "snapline.";

    @Override
    public CloudWatchMeterRegistry onCreated(BeanCreatedEvent<CloudWatchMeterRegistry> event) {
        CloudWatchMeterRegistry registry = event.getBean();
        registry.config().meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith(PREFIX)));
        return registry;
    }
}
