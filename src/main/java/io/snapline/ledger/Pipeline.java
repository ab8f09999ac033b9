package io.snapline.ledger;

import java.time.Instant;
import java.util.List;

/** Everything the ledger knows of one snapshot's pipeline, steps in the order first recorded. */
public record Pipeline(String id, String snapshotIdentifier, Instant firstSeen, Instant updatedAt, List<Step> steps) {

    public Pipeline {
        steps = List.copyOf(steps);
    }

    /**
     * One step: its name (e.g. {@code export:analytics}), state, when it was recorded and why, and
     * how many times the step has run.
     */
    public record Step(String name, StepState state, Instant at, String detail, int attempts) {
    }
}
