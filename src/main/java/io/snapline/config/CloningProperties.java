package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the clone service that no single policy owns ({@code snapline.cloning.*}).
 *
 * @param recheckInterval  how often a clone step waiting on RDS (cluster or instance available, a
 *                         class change, a new secret) looks again, as a delayed queue message
 * @param warnBefore       how long before a clone expires its requester is warned (by the reap run)
 * @param maxDeletesPerRun at most this many clones deleted by one reap run; more, and the run deletes none
 * @param maxSetupTime     a clone not handed over this long after it was created is deleted by the reap run
 *                         (a pipeline that died: it must not be left running unmasked and unaccounted for)
 */
@ConfigurationProperties("snapline.cloning")
public record CloningProperties(
        @Bindable(defaultValue = "60s") Duration recheckInterval,
        @Bindable(defaultValue = "2h") Duration warnBefore,
        @Bindable(defaultValue = "20") int maxDeletesPerRun,
        @Bindable(defaultValue = "12h") Duration maxSetupTime,
        @Bindable(defaultValue = "true") boolean tls) {

    /** Defaults, for code built without a context. */
    public static CloningProperties defaults() {
        return new CloningProperties(Duration.ofSeconds(60), Duration.ofHours(2), 20, Duration.ofHours(12), true);
    }
}
