package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Retention pruning service settings ({@code snapline.prune.*}).
 *
 * @param rdsDeletesPerSecond at most this many DeleteDB[Cluster]Snapshot calls per second
 * @param notificationTopic   SNS topic for run summaries when a policy names none
 * @param planListLimit       at most this many kept / protected snapshots listed by id per source in a plan
 * @param lease               how long one run holds its per-policy, per-source lock in the ledger
 */
@ConfigurationProperties("snapline.prune")
public record PruneProperties(
        @Bindable(defaultValue = "5") double rdsDeletesPerSecond,
        @Nullable String notificationTopic,
        @Bindable(defaultValue = "1000") int planListLimit,
        @Bindable(defaultValue = "5m") Duration lease) {

    /** Defaults, for tests and for code built without a context. */
    public static PruneProperties defaults() {
        return new PruneProperties(5, null, 1000, Duration.ofMinutes(5));
    }
}
