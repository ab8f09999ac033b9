package io.snapline.handler.clone;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * The clock of the clone service (expiry, warnings, the setup deadline): the application's {@link Clock}
 * bean, so a test that replaces that clock lets time pass for the clones too.
 */
@Singleton
public class CloneTime {

    private final Clock clock;

    public CloneTime() {
        this(Clock.systemUTC());
    }

    @Inject
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
