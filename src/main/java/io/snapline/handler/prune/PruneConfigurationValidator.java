package io.snapline.handler.prune;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks every retention policy at start-up and stops the start with one message naming each bad key
 * and its fix, rather than failing at the first prune.
 */
@Context
public class PruneConfigurationValidator {

    public PruneConfigurationValidator(List<RetentionPolicy> policies, List<ExportRetentionProperties> exportPolicies,
                                       PruneProperties settings) {
        List<String> problems = problems(policies, exportPolicies, settings);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid retention configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** Every problem found, each naming its key. */
    public static List<String> problems(List<RetentionPolicy> policies, List<ExportRetentionProperties> exportPolicies,
                                        PruneProperties settings) {
        List<String> out = new ArrayList<>();
        policies.forEach(p -> out.addAll(p.problems()));
        exportPolicies.forEach(p -> out.addAll(p.problems()));
        if (!(settings.rdsDeletesPerSecond() > 0)) {
            out.add("snapline.prune.rds-deletes-per-second: " + settings.rdsDeletesPerSecond()
                    + " must be more than 0 (default 5)");
        }
        if (settings.planListLimit() < 0) {
            out.add("snapline.prune.plan-list-limit: " + settings.planListLimit() + " must be 0 or more");
        }
        return out;
    }
}
