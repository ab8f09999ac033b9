package io.snapline.handler.clone;

import io.snapline.error.PermanentProcessingException;

/**
 * A clone request the service will not carry out (an unknown policy or source, a class or TTL
 * outside the policy, too many live clones): permanent, nothing is created, and the reason goes to
 * the requester as it is.
 */
public class CloneRefusedException extends PermanentProcessingException {

    public CloneRefusedException(String reason) {
        super(reason);
    }
}
