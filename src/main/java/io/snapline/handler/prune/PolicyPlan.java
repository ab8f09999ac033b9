package io.snapline.handler.prune;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * One policy's plan in one run: per source, every candidate with the rule that deletes, keeps or
 * protects it. {@code kind} is {@code snapshots} ({@code snapline.retention.<policy>}) or
 * {@code exports} ({@code snapline.exports.<policy>.retention}).
 *
 * @param capViolations the caps this plan would exceed (then the run deletes nothing)
 * @param notes         anything else worth knowing (a source skipped because another run holds it, …)
 */
public record PolicyPlan(String policy, String kind, Instant at, boolean dryRun, String trigger,
                         List<SnapshotSourcePlan> snapshotSources, List<ExportSourcePlan> exportSources,
                         List<String> unrecognisedFolders, int unrecognisedCount,
                         List<String> capViolations, List<String> notes) {

    public PolicyPlan {
        snapshotSources = List.copyOf(snapshotSources);
        exportSources = List.copyOf(exportSources);
        unrecognisedFolders = List.copyOf(unrecognisedFolders);
        capViolations = List.copyOf(capViolations);
        notes = List.copyOf(notes);
    }

    /** How many deletions the plan makes. */
    @JsonProperty
    public int deleteCount() {
        return snapshotSources.stream().mapToInt(s -> s.deletions().size()).sum()
                + exportSources.stream().mapToInt(e -> (int) e.decisions().stream()
                .filter(d -> d.verdict() == Verdict.DELETE).count()).sum();
    }

    /** How many were kept. */
    @JsonProperty
    public int keptCount() {
        return snapshotSources.stream().mapToInt(SnapshotSourcePlan::keptCount).sum()
                + exportSources.stream().mapToInt(e -> (int) e.decisions().stream()
                .filter(d -> d.verdict() == Verdict.KEEP).count()).sum();
    }

    /** How many were protected. */
    @JsonProperty
    public int protectedCount() {
        return snapshotSources.stream().mapToInt(SnapshotSourcePlan::protectedCount).sum()
                + exportSources.stream().mapToInt(e -> (int) e.decisions().stream()
                .filter(d -> d.verdict() == Verdict.PROTECTED).count()).sum();
    }

    PolicyPlan withCapViolations(List<String> violations) {
        return new PolicyPlan(policy, kind, at, dryRun, trigger, snapshotSources, exportSources, unrecognisedFolders,
                unrecognisedCount, violations, notes);
    }
}
