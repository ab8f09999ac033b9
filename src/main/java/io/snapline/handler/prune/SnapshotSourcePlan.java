package io.snapline.handler.prune;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.snapline.message.SnapshotRef;

import java.util.List;
import java.util.Map;

/**
 * The plan for the snapshots of one source (DB instance or cluster) under one policy.
 *
 * @param seen             every snapshot listed for the source, of any kind
 * @param managed          the manual, prefixed, tagged snapshots: the percentage cap's denominator
 * @param deletions        every snapshot the plan deletes (never truncated)
 * @param kept             kept snapshots with their rules, at most the plan list limit
 * @param keptCount        how many were kept in all
 * @param protectedListed  protected snapshots with their reason, at most the plan list limit
 * @param protectedCounts  protected snapshots counted by reason
 */
public record SnapshotSourcePlan(String policy, String sourceId, SnapshotRef.Scope scope, int seen, int managed,
                                 List<SnapshotDecision> deletions, List<SnapshotDecision> kept, int keptCount,
                                 List<SnapshotDecision> protectedListed, Map<String, Integer> protectedCounts) {

    public SnapshotSourcePlan {
        deletions = List.copyOf(deletions);
        kept = List.copyOf(kept);
        protectedListed = List.copyOf(protectedListed);
        protectedCounts = Map.copyOf(protectedCounts);
    }

    /** How many were protected in all. */
    @JsonProperty
    public int protectedCount() {
        return protectedCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** True when the kept or protected lists were cut at the list limit. */
    @JsonProperty
    public boolean truncated() {
        return kept.size() < keptCount || protectedListed.size() < protectedCount();
    }
}
