package io.snapline.error;

/**
 * Processing failed for a reason that retrying cannot fix (bad input, missing configuration, the
 * subject no longer exists): the message goes to the dead-letter queue at once, with the reason.
 */
public class PermanentProcessingException extends RuntimeException {

    public PermanentProcessingException(String reason) {
        super(reason);
    }

    public PermanentProcessingException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
