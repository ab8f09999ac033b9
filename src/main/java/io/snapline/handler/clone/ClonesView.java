package io.snapline.handler.clone;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * The read view of live clones, for {@code GET /clones} and the operator console: what RDS holds
 * under the service's clone tags, with the connection details only of clones whose verification of
 * zero is recorded ({@link HandOverGate}).
 */
@Singleton
public class ClonesView {

    private final CloneLookup lookup;
    private final CloneStore store;
    private final HandOverGate gate;
    private final ClonePipeline pipeline;

    public ClonesView(CloneLookup lookup, CloneStore store, HandOverGate gate, ClonePipeline pipeline) {
        this.lookup = lookup;
        this.store = store;
        this.gate = gate;
        this.pipeline = pipeline;
    }

    public List<LiveClone> live() {
        return lookup.all().stream().map(this::toLive).toList();
    }

    private LiveClone toLive(CloneLookup.Found f) {
        Optional<CloneRecord> record = store.record(f.id());
        String state = f.failed() ? "failed" : f.handedOver() ? "ready" : "setting-up";
        Optional<LiveClone.Access> access = Optional.empty();
        Optional<VerifiedClone> proof = gate.verified(f.id());
        if (proof.isPresent() && record.isPresent() && !f.failed() && "available".equals(f.status())) {
            try {
                access = Optional.of(pipeline.access(proof.get(), record.get()));
            } catch (RuntimeException e) {
                access = Optional.empty();
            }
        }
        return new LiveClone(f.id(), f.policy(), f.tags().getOrDefault(io.snapline.gateway.CloneGateway.TAG_CLONE_OF, ""),
                record.map(CloneRecord::requestedBy)
                        .orElse(f.tags().getOrDefault(io.snapline.gateway.CloneGateway.TAG_REQUESTED_BY, "")),
                record.map(CloneRecord::instanceClass).filter(c -> f.handedOver()).orElse(f.instanceClass()),
                state, f.status(), f.tags().getOrDefault(io.snapline.gateway.CloneGateway.TAG_EXPIRES_AT, ""), access);
    }
}
