package io.snapline.error;

/**
 * What an AWS error code means to Snapline, whatever operation answered it. The gateways turn a
 * meaning into a Snapline result for their operation (an existing export task is adopted, a missing
 * snapshot is {@code Optional.empty()}); {@link FailureClassifier} turns the meaning of an error that
 * reached it into "retry" or "give up".
 */
public enum AwsErrorMeaning {

    /**
     * What was asked for exists or holds already (an export task with this identifier, a running
     * crawler's start, ACLs on a bucket where the owner owns every object): adopt it, or check that
     * it is the same thing. Repeating the call gives the same answer, so it is permanent if nothing
     * handled it.
     */
    ALREADY_EXISTS(true),

    /** The subject does not exist (a snapshot, a bucket, a crawler, a job, a topic): permanent. */
    NOT_FOUND(true),

    /**
     * Not ready yet, or a limit is reached (a snapshot still creating, five exports running, a crawler
     * busy): re-check later. Retryable when nothing turned it into a delayed re-check.
     */
    NOT_READY(false),

    /** Bad input or configuration (a role, a key, a bucket, a parameter): retrying cannot help. */
    PERMANENT(true),

    /** Transient (throttling, a timeout, the service's own error): retry. */
    RETRYABLE(false);

    private final boolean permanent;

    AwsErrorMeaning(boolean permanent) {
        this.permanent = permanent;
    }

    /** True when retrying the same call cannot succeed. */
    public boolean permanent() {
        return permanent;
    }
}
