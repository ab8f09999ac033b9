package io.snapline.handler.clone;

/**
 * Proof that the ledger holds a verification figure of zero for this clone. Only {@link HandOverGate}
 * makes one (the constructor is private to this package and the gate is its only caller), and
 * everything that lets a requester near a clone (opening its network, the hand-over notice, its
 * endpoint and secret in {@code GET /clones}) takes one: what cannot get a {@code VerifiedClone}
 * cannot hand anything over.
 *
 * @param figure the recorded verification ({@code unmasked=0} and its summary)
 */
public final class VerifiedClone {

    private final String cloneId;
    private final String figure;

    VerifiedClone(String cloneId, String figure) {
        this.cloneId = cloneId;
        this.figure = figure;
    }

    public String cloneId() {
        return cloneId;
    }

    public String figure() {
        return figure;
    }
}
