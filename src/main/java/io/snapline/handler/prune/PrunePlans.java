package io.snapline.handler.prune;

import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest plan of each policy (dry run or not), in memory, for {@code GET /prune/plan}. Lost on
 * restart: the plan log ({@code io.snapline.prune.plan}) is the durable record.
 */
@Singleton
public class PrunePlans {

    private final Map<String, PolicyPlan> latest = new ConcurrentHashMap<>();

    public void put(RunPlan run) {
        for (PolicyPlan p : run.policies()) {
            latest.put(p.kind() + ":" + p.policy(), p);
        }
    }

    /** Every policy's latest plan, keyed {@code snapshots:<policy>} / {@code exports:<policy>}. */
    public Map<String, PolicyPlan> all() {
        return new TreeMap<>(latest);
    }

    /** The latest plans of one policy name (both kinds if both exist). */
    public Map<String, PolicyPlan> of(String policy) {
        Map<String, PolicyPlan> out = new TreeMap<>();
        Optional.ofNullable(latest.get("snapshots:" + policy)).ifPresent(p -> out.put("snapshots:" + policy, p));
        Optional.ofNullable(latest.get("exports:" + policy)).ifPresent(p -> out.put("exports:" + policy, p));
        return out;
    }
}
