package io.snapline.handler;

import io.snapline.message.Command;

/**
 * A part of the {@code reconcile} command that is not about exports (e.g. catching up missed snapshot
 * slots). The reconcile action runs every extension after its own work and appends their summaries.
 */
public interface ReconcileExtension {

    /** True when {@code policy} names one of this extension's policies (so reconcile does not refuse it). */
    boolean knowsPolicy(String policy);

    /**
     * Reconciles with the command's arguments ({@code policy}, {@code dryRun}, …); answers a one-line summary.
     * Throws as a handler does (retryable errors are retried with the command).
     */
    String reconcile(Command command);
}
