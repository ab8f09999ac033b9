package io.snapline.masking;

import io.snapline.error.RetryableProcessingException;

/**
 * The masking could not go on now but may later: another run holds a unit of this clone (its lease
 * lapses if that run died), or the database failed in a way that passes (lost connection,
 * serialization failure, deadlock, shortage of resources). Retry the whole call: finished ranges
 * are not done again.
 */
public class MaskingBusyException extends RetryableProcessingException {

    public MaskingBusyException(String reason) {
        super(reason);
    }

    public MaskingBusyException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
