package io.snapline.handler.prune;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces RDS delete calls at least {@code 1/rate} seconds apart, across threads. RDS throttles
 * control-plane calls per account; the SDK retries throttling, and this keeps a large prune from
 * provoking it (and from starving the export pipeline's calls) in the first place.
 */
public final class DeleteRateLimiter {

    /** Waits the given nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier ticker;
    private final Sleeper sleeper;
    private long next = Long.MIN_VALUE;

    public DeleteRateLimiter(double perSecond) {
        this(perSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    public DeleteRateLimiter(double perSecond, LongSupplier ticker, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    /** Blocks until the next call may go. */
    public synchronized void acquire() {
        long now = ticker.getAsLong();
        if (next != Long.MIN_VALUE && now < next) {
            try {
                sleeper.sleepNanos(next - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rate limiting deletes", e);
            }
            now = next;
        }
        next = now + intervalNanos;
    }
}
