package io.snapline.handler.clone;

import io.snapline.error.PermanentProcessingException;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The one place that decides whether a clone may reach its requester: only when the ledger holds the
 * clone's verification step ({@code clone#<id>#verify}) completed with the figure {@code unmasked=0},
 * which the verification step records only after the masking engine counted zero unmasked values
 * in every masked column. Nothing else makes a {@link VerifiedClone}, and the network opening, the
 * hand-over and the clone's connection details all need one.
 */
@Singleton
public class HandOverGate {

    /** The result the verification step records when it counted zero unmasked values. */
    public static final String ZERO = "unmasked=0";

    private final Ledger ledger;

    public HandOverGate(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The key of the verification step's record. */
    public static String verifyKey(String cloneId) {
        return CloneStore.key(cloneId, "verify");
    }

    /** The proof, when a verification of zero is recorded for the clone. */
    public Optional<VerifiedClone> verified(String cloneId) {
        return ledger.operation(verifyKey(cloneId)).filter(OperationRecord::completed)
                .flatMap(OperationRecord::result).filter(r -> r.equals(ZERO) || r.startsWith(ZERO + ";"))
                .map(r -> new VerifiedClone(cloneId, r));
    }

    /** The proof, or a permanent failure: a step that would hand over an unverified clone stops. */
    public VerifiedClone require(String cloneId) {
        return verified(cloneId).orElseThrow(() -> new PermanentProcessingException("clone " + cloneId
                + " has no recorded verification of zero unmasked values; it is not handed over"));
    }
}
