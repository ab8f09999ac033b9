package io.snapline.handler.prune;

import java.util.List;

/**
 * What a run did.
 *
 * @param deletedSnapshots snapshots deleted (or found already gone)
 * @param deletedExports   export folders fully deleted
 * @param failures         deletions that failed (the run then throws a retryable failure)
 */
public record PruneReport(RunPlan plan, int deletedSnapshots, int deletedExports, List<String> failures) {

    public PruneReport {
        failures = List.copyOf(failures);
    }

    /** One line for the outcome. */
    public String summary() {
        if (plan.dryRun()) {
            return "dry run: would delete " + plan.deleteCount() + " (plan " + plan.runId() + ", GET /prune/plan)";
        }
        return "deleted " + deletedSnapshots + " snapshot(s) and " + deletedExports + " export(s) across "
                + plan.policies().size() + " polic(ies)" + (failures.isEmpty() ? "" : "; " + failures.size()
                + " failed");
    }
}
