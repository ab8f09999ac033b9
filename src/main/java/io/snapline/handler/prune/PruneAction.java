package io.snapline.handler.prune;

import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import jakarta.inject.Singleton;

/**
 * The {@code prune} command: <pre>{@code {"command":"prune","source":"orders-*","policy":"daily","dryRun":true}}</pre>
 * {@code source} (one id or glob) and {@code policy} (one snapshot or export retention policy name)
 * narrow the run; both default to all. {@code dryRun}, or {@code snapline.dry-run}, plans without
 * deleting. A cap exceeded throws a permanent failure; failed deletions a retryable one.
 */
@Singleton
public class PruneAction implements CommandAction {

    private final Pruner pruner;

    public PruneAction(Pruner pruner) {
        this.pruner = pruner;
    }

    @Override
    public String name() {
        return "prune";
    }

    @Override
    public Outcome run(Command command) {
        PruneRequest request = new PruneRequest(command.arg("policy"), command.arg("source"), true, true,
                command.dryRun() || command.arg("dryRun").map(Boolean::parseBoolean).orElse(false), "command");
        PruneReport report = pruner.run(request);
        return Outcome.done(report.summary());
    }
}
