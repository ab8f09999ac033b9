package io.snapline.config;

import io.snapline.message.SnapshotCreated;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * All configured export policies, in name order, and the questions asked of them: which policies
 * could take a snapshot announced by an event (kind and account), and which take a described
 * snapshot (source identifier too).
 */
@Singleton
public class ExportPolicies {

    private final List<ExportPolicy> policies;

    public ExportPolicies(List<ExportPolicy> policies) {
        this.policies = policies.stream()
                .sorted(java.util.Comparator.comparing(ExportPolicy::name))
                .toList();
    }

    public List<ExportPolicy> all() {
        return policies;
    }

    public Optional<ExportPolicy> byName(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The policies that may take the announced snapshot before its source is known: the kind
     * matches, and for cross-account policies the snapshot ARN's account is the source role's
     * account.
     */
    public List<ExportPolicy> candidates(SnapshotCreated event) {
        ExportPolicy.Kind kind = ExportPolicy.Kind.of(event.origin());
        Optional<String> account = event.snapshot().accountId();
        return policies.stream()
                .filter(p -> p.kindSet().contains(kind))
                .filter(p -> accountFits(p, account))
                .toList();
    }

    /** The policies that take a snapshot of this kind, source and account. */
    public List<ExportPolicy> matching(ExportPolicy.Kind kind, String sourceId, Optional<String> accountId) {
        return policies.stream()
                .filter(p -> p.kindSet().contains(kind))
                .filter(p -> p.matchesSource(sourceId))
                .filter(p -> accountFits(p, accountId))
                .toList();
    }

    /** The policies that take the announced snapshot, once its source identifier is known. */
    public List<ExportPolicy> matching(SnapshotCreated event, String sourceId) {
        return matching(ExportPolicy.Kind.of(event.origin()), sourceId, event.snapshot().accountId());
    }

    private static boolean accountFits(ExportPolicy p, Optional<String> accountId) {
        return p.sourceAccountId().isEmpty() || accountId.isEmpty() || p.sourceAccountId().equals(accountId);
    }
}
