package io.snapline.handler.prune;

import java.util.List;

/** The plan for the exports of one source under one export policy. */
public record ExportSourcePlan(String policy, String sourceId, List<ExportDecision> decisions) {

    public ExportSourcePlan {
        decisions = List.copyOf(decisions);
    }
}
