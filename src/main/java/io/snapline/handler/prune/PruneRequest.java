package io.snapline.handler.prune;

import java.util.Optional;

/**
 * What one prune run covers.
 *
 * @param policy    one policy name, or all
 * @param source    one source id or glob, or all
 * @param snapshots plan snapshot retention policies
 * @param exports   plan export retention
 * @param dryRun    plan only: nothing is deleted, recorded or notified
 * @param trigger   who asked ({@code command}, {@code export-completed:<taskId>}), for the plan
 * @param startCrawler start an export policy's crawler after deleting its exports; false when the
 *                     caller starts it itself (the export pipeline crawls right after its listeners)
 */
public record PruneRequest(Optional<String> policy, Optional<String> source, boolean snapshots, boolean exports,
                           boolean dryRun, String trigger, boolean startCrawler) {

    /** A request that starts crawlers after deleting exports. */
    public PruneRequest(Optional<String> policy, Optional<String> source, boolean snapshots, boolean exports,
                        boolean dryRun, String trigger) {
        this(policy, source, snapshots, exports, dryRun, trigger, true);
    }

    public PruneRequest {
        policy = policy == null ? Optional.empty() : policy.filter(p -> !p.isBlank());
        source = source == null ? Optional.empty() : source.filter(s -> !s.isBlank());
    }

    /** Every policy of both kinds. */
    public static PruneRequest all(boolean dryRun) {
        return new PruneRequest(Optional.empty(), Optional.empty(), true, true, dryRun, "command");
    }
}
