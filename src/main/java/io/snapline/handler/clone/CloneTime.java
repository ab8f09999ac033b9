package io.snapline.handler.clone;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * The clock of the clone service (expiry, warnings, the setup deadline). A bean of its own so that a
 * test can let time pass ({@code @Replaces(CloneTime.class)}) without a clock for the whole application.
 */
@Singleton
public class CloneTime {

    private final Clock clock;

    public CloneTime() {
        this(Clock.systemUTC());
    }

    public CloneTime(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }
}
