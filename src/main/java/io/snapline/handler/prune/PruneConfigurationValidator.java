package io.snapline.handler.prune;

import io.snapline.config.ConfigurationCheck;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks every retention policy at start-up, one of the {@link ConfigurationCheck}s of the start-up
 * validation: the start stops with one message naming each bad key and its fix, rather than failing
 * at the first prune.
 */
@Singleton
public class PruneConfigurationValidator implements ConfigurationCheck {

    private final List<RetentionPolicy> policies;
    private final List<ExportRetentionProperties> exportPolicies;
    private final PruneProperties settings;

    public PruneConfigurationValidator(List<RetentionPolicy> policies, List<ExportRetentionProperties> exportPolicies,
                                       PruneProperties settings) {
        this.policies = policies;
        this.exportPolicies = exportPolicies;
        this.settings = settings;
    }

    @Override
    public List<String> problems() {
        return problems(policies, exportPolicies, settings);
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
