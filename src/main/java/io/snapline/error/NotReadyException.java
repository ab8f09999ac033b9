package io.snapline.error;

import java.time.Duration;

/**
 * The subject is not ready yet (a snapshot still creating, the concurrent-export limit reached, a
 * crawler still running): not a fault. Handlers turn it into
 * {@link io.snapline.handler.Outcome#recheckLater(Duration, String)}; if it escapes a handler the
 * consumer does the same.
 */
public class NotReadyException extends RetryableProcessingException {

    private final Duration recheckAfter;

    public NotReadyException(String reason, Duration recheckAfter) {
        super(reason);
        this.recheckAfter = recheckAfter;
    }

    public NotReadyException(String reason, Duration recheckAfter, Throwable cause) {
        super(reason, cause);
        this.recheckAfter = recheckAfter;
    }

    public Duration recheckAfter() {
        return recheckAfter;
    }
}
