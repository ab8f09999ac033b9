package io.snapline.masking;

import io.snapline.error.PermanentProcessingException;

/**
 * Verification found values that are not masks: the clone still holds personal data and must not
 * be handed over (delete it). The figures are in {@link #verification()}.
 */
public class UnmaskedDataException extends PermanentProcessingException {

    private final Verification verification;

    public UnmaskedDataException(Verification verification) {
        super("masking verification failed: " + verification.summary());
        this.verification = verification;
    }

    public Verification verification() {
        return verification;
    }
}
