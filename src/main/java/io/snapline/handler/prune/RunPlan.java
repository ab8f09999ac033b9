package io.snapline.handler.prune;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** Everything one prune run planned: the JSON document logged on {@code io.snapline.prune.plan}. */
public record RunPlan(String runId, Instant at, String trigger, boolean dryRun, List<PolicyPlan> policies) {

    public RunPlan {
        policies = List.copyOf(policies);
    }

    @JsonProperty
    public int deleteCount() {
        return policies.stream().mapToInt(PolicyPlan::deleteCount).sum();
    }
}
