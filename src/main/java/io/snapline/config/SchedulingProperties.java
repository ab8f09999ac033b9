package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Settings shared by every snapshot schedule ({@code snapline.scheduling.*}).
 *
 * @param manualSnapshotQuota the manual-snapshot quota per region and scope (100 unless AWS raised it), the
 *                            reference of the {@code snapline_manual_snapshots} gauge
 * @param localScheduler      in local mode, send each schedule's ticks into the embedded queue at its slots
 */
@ConfigurationProperties("snapline.scheduling")
public record SchedulingProperties(
        @Bindable(defaultValue = "100") int manualSnapshotQuota,
        @Bindable(defaultValue = "true") boolean localScheduler) {

    public static SchedulingProperties defaults() {
        return new SchedulingProperties(100, true);
    }
}
