package io.snapline.consumer;

/**
 * How a graceful stop ended. Clean when every message in flight at the stop finished before the
 * shutdown deadline and every pending delete went through; otherwise some message will be
 * delivered again (nothing is lost, but the stop did not finish its work), and the process exits
 * non-zero.
 *
 * @param inFlightAtStop messages being handled when the stop began
 * @param released       unfinished at the deadline, made visible again for another consumer
 * @param releaseFailures released messages SQS did not make visible (they reappear after the timeout)
 * @param deleteFailures deletes refused while draining
 */
public record DrainResult(int inFlightAtStop, int released, int releaseFailures, int deleteFailures) {

    /** Nothing was in flight, nothing left undone. */
    public static final DrainResult NOTHING = new DrainResult(0, 0, 0, 0);

    public boolean clean() {
        return released == 0 && releaseFailures == 0 && deleteFailures == 0;
    }
}
