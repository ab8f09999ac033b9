package io.snapline.consumer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Visibility backoff for retryable failures: exponential in the message's
 * {@code ApproximateReceiveCount}, with "equal jitter" (half fixed, half random) so that a burst
 * of failures spreads out but never retries at once.
 */
public final class Backoff {

    /** SQS caps visibility at 12 h counted from the receive; stay just below it. */
    static final Duration SQS_MAX = Duration.ofSeconds(43_195);

    private final Duration base;
    private final Duration max;

    public Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max.compareTo(SQS_MAX) > 0 ? SQS_MAX : max;
    }

    /** The delay before the next attempt of a message received {@code receiveCount} times (≥ 1). */
    public Duration delay(int receiveCount) {
        int exponent = Math.max(0, Math.min(30, receiveCount - 1));
        long ceiling = Math.min(max.toMillis(), base.toMillis() << exponent);
        if (ceiling <= 0) {
            ceiling = max.toMillis();
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
