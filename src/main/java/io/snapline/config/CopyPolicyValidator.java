package io.snapline.config;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks every copy policy at start-up (one of the {@link ConfigurationCheck}s), each bad key named with
 * its fix, all at once. What only AWS knows (whether a source is encrypted, so needs
 * {@code destination-kms-key-id}; whether it uses a non-default option group) is checked when a copy is
 * made: a permanent, notified failure that names the key to set.
 */
@Singleton
public class CopyPolicyValidator implements ConfigurationCheck {

    private final List<CopyPolicy> policies;
    private final List<RetentionPolicy> retention;
    private final Optional<String> serviceRegion;

    public CopyPolicyValidator(List<CopyPolicy> policies, List<RetentionPolicy> retention, SnaplineProperties snapline) {
        this.policies = policies;
        this.retention = retention;
        this.serviceRegion = Optional.ofNullable(snapline.region()).filter(r -> !r.isBlank());
    }

    @Override
    public List<String> problems() {
        return problems(policies, retention, serviceRegion);
    }

    public static List<String> problems(List<CopyPolicy> policies, List<RetentionPolicy> retention,
                                        Optional<String> serviceRegion) {
        List<String> out = new ArrayList<>();
        for (CopyPolicy p : policies) {
            out.addAll(p.problems(serviceRegion));
            if (p.hasRetention() && retention.stream().anyMatch(r -> r.name().equals(p.retentionName()))) {
                out.add("snapline.retention." + p.retentionName() + ": the name is taken by the destination retention "
                        + "of snapline.copies." + p.name() + " (keep-days / keep-last); rename the retention policy");
            }
        }
        return out;
    }
}
