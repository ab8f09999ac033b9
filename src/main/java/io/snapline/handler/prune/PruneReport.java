package io.snapline.handler.prune;

import java.util.List;

/**
 * What a run did.
 *
 * @param deletedSnapshots snapshots deleted (or found already gone)
 * @param deletedExports   export folders fully deleted
 * @param failures         deletions that failed (the run then throws a retryable failure)
 * @param notRun           policies not run because another run held them ({@code kind:policy: why}); only
 *                         for a request that cannot be re-checked (a recheckable one waits instead)
 */
public record PruneReport(RunPlan plan, int deletedSnapshots, int deletedExports, List<String> failures,
                          List<String> notRun) {

    public PruneReport {
        failures = List.copyOf(failures);
        notRun = List.copyOf(notRun);
    }

    public PruneReport(RunPlan plan, int deletedSnapshots, int deletedExports, List<String> failures) {
        this(plan, deletedSnapshots, deletedExports, failures, List.of());
    }

    /** One line for the outcome. */
    public String summary() {
        String held = notRun.isEmpty() ? "" : "; not run, held by another run: " + String.join(", ", notRun);
        if (plan.dryRun()) {
            return "dry run: would delete " + plan.deleteCount() + " (plan " + plan.runId() + ", GET /prune/plan)" + held;
        }
        return "deleted " + deletedSnapshots + " snapshot(s) and " + deletedExports + " export(s) across "
                + plan.policies().size() + " polic(ies)" + (failures.isEmpty() ? "" : "; " + failures.size()
                + " failed") + held;
    }
}
