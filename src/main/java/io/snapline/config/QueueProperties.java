package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Optional;

/**
 * The consumed queue ({@code snapline.queue.*}).
 *
 * <p>There is deliberately no visibility setting that leases follow: the queue's own
 * {@code VisibilityTimeout} is read at start-up ({@link ConsumedQueue}), so a hand-configured value
 * can never silently disagree with the queue.
 *
 * @param url               queue URL; unset means local mode (embedded SQS)
 * @param dlqUrl            dead-letter queue URL; default: read from the queue's redrive policy
 * @param pollers           concurrent long-polling receivers
 * @param maxInFlight       messages being handled at once (permits)
 * @param waitTime          long-poll wait (0–20 s)
 * @param visibilityTimeout local mode: the {@code VisibilityTimeout} of the queue Snapline creates
 *                          (default {@link #LOCAL_VISIBILITY_TIMEOUT}); with a queue URL it is not
 *                          needed, and when set it must equal the queue's own, else the start fails
 * @param backoffBase       first retry delay; doubles with each receive, with full jitter
 * @param backoffMax        longest retry delay (at most 12 h)
 * @param shutdownDeadline  how long in-flight messages may run on SIGTERM before being released
 * @param recheckMaxAttempts how many delayed re-checks a message may take before it is a permanent failure
 */
@ConfigurationProperties("snapline.queue")
public record QueueProperties(
        @Nullable String url,
        @Nullable String dlqUrl,
        @Bindable(defaultValue = "2") int pollers,
        @Bindable(defaultValue = "64") int maxInFlight,
        @Bindable(defaultValue = "20s") Duration waitTime,
        Optional<Duration> visibilityTimeout,
        @Bindable(defaultValue = "10s") Duration backoffBase,
        @Bindable(defaultValue = "15m") Duration backoffMax,
        @Bindable(defaultValue = "30s") Duration shutdownDeadline,
        @Bindable(defaultValue = "200") int recheckMaxAttempts) {

    /** The visibility timeout of local mode's queue, and the leases' when no queue is consumed. */
    public static final Duration LOCAL_VISIBILITY_TIMEOUT = Duration.ofSeconds(300);

    public QueueProperties {
        visibilityTimeout = visibilityTimeout == null ? Optional.empty() : visibilityTimeout;
    }

    /** True when no queue is configured: the service starts its embedded SQS server. */
    public boolean localMode() {
        return url == null || url.isBlank();
    }

    /** The visibility timeout Snapline gives the queue it creates in local mode. */
    public Duration localVisibilityTimeout() {
        return visibilityTimeout.orElse(LOCAL_VISIBILITY_TIMEOUT);
    }
}
