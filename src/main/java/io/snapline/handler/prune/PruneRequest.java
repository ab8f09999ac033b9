package io.snapline.handler.prune;

import java.util.Optional;

/**
 * What one prune run covers.
 *
 * @param policy    one policy name, or all
 * @param source    one source id or glob, or all
 * @param snapshots plan snapshot retention policies
 * @param exports   plan export retention
 * @param dryRun    plan only: nothing is deleted, locked, recorded as a step or notified (the plan is stored)
 * @param trigger   who asked ({@code command}, {@code export-completed:<taskId>}), for the plan
 * @param startCrawler start an export policy's crawler after deleting its exports; false when the
 *                     caller starts it itself (the export pipeline crawls right after its listeners)
 * @param recheckable  the caller can look again later (a message: the run's {@link io.snapline.error.NotReadyException}
 *                     becomes a delayed re-check). A policy another run holds then makes the whole run wait
 *                     until that run's lease can have lapsed. When false (a listener, which cannot be
 *                     re-checked), a held policy is not run: recorded SKIPPED, counted and logged, and the
 *                     next run of the policy catches up
 * @param subject      the pipeline in {@code /pipelines} the run's per-policy steps are recorded under (the
 *                     snapshot whose completed export triggered it), with its identifier; empty: each
 *                     policy's own pipeline {@code prune#<kind>#<policy>}
 */
public record PruneRequest(Optional<String> policy, Optional<String> source, boolean snapshots, boolean exports,
                           boolean dryRun, String trigger, boolean startCrawler, boolean recheckable,
                           Optional<Subject> subject) {

    /** The pipeline a run is recorded under: {@code id} (a snapshot ARN) and the identifier users know. */
    public record Subject(String id, String identifier) {
    }

    /** A request from a message: starts crawlers after deleting exports, waits for a held policy. */
    public PruneRequest(Optional<String> policy, Optional<String> source, boolean snapshots, boolean exports,
                        boolean dryRun, String trigger) {
        this(policy, source, snapshots, exports, dryRun, trigger, true);
    }

    /** A request from a message (it waits for a held policy). */
    public PruneRequest(Optional<String> policy, Optional<String> source, boolean snapshots, boolean exports,
                        boolean dryRun, String trigger, boolean startCrawler) {
        this(policy, source, snapshots, exports, dryRun, trigger, startCrawler, true, Optional.empty());
    }

    public PruneRequest {
        policy = policy == null ? Optional.empty() : policy.filter(p -> !p.isBlank());
        source = source == null ? Optional.empty() : source.filter(s -> !s.isBlank());
        subject = subject == null ? Optional.empty() : subject;
        trigger = trigger == null ? "" : trigger;
    }

    /** Every policy of both kinds. */
    public static PruneRequest all(boolean dryRun) {
        return new PruneRequest(Optional.empty(), Optional.empty(), true, true, dryRun, "command");
    }
}
