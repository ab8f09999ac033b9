package io.snapline.error;

/** Processing failed for a reason that may pass: the message is retried with backoff. */
public class RetryableProcessingException extends RuntimeException {

    public RetryableProcessingException(String reason) {
        super(reason);
    }

    public RetryableProcessingException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
