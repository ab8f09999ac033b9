package io.snapline.handler.step;

import java.util.function.Supplier;

/**
 * What the step runner must know about the delivery being handled on this thread: whether an
 * operator asked for it to be retried. A message redriven from the dead-letter queue (it carries
 * Snapline's failure attributes) is such a request, so its permanently failed steps run again;
 * a plain duplicate of a failed event is not, so it never repeats the AWS call or the notification.
 *
 * <p>The consumer sets it around the dispatch of one message ({@link #handle}); steps run on the
 * same thread. Outside a delivery (tests, reconciliation without {@code retryFailed}) it is false.
 */
public final class Delivery {

    private static final ThreadLocal<Boolean> RETRY_FAILED = ThreadLocal.withInitial(() -> false);

    private Delivery() {
    }

    /** Runs {@code work} as a delivery that does (or does not) retry permanently failed steps. */
    public static <T> T handle(boolean retryFailed, Supplier<T> work) {
        boolean before = RETRY_FAILED.get();
        RETRY_FAILED.set(retryFailed);
        try {
            return work.get();
        } finally {
            RETRY_FAILED.set(before);
        }
    }

    /** True when this delivery asks failed steps to run again. */
    public static boolean retriesFailedSteps() {
        return RETRY_FAILED.get();
    }
}
