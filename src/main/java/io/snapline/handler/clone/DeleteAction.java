package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;
import io.snapline.config.CloningProperties;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code delete} command: {@code {"command":"delete","clone":…,"requestedBy":…,"dryRun":false}}:
 * deletes the clone now (instances, then the cluster, no final snapshot). Only a clone of the
 * service's (its tags); a dry run lists what it would delete. While RDS still deletes the instance the
 * command comes back as a delayed re-check to delete the cluster.
 */
@Singleton
public class DeleteAction implements CommandAction {

    private final CloneLookup lookup;
    private final CloneRequests requests;
    private final CloneCleanup cleanup;
    private final CloneNotifier notifier;
    private final CloningProperties cloning;

    public DeleteAction(CloneLookup lookup, CloneRequests requests, CloneCleanup cleanup, CloneNotifier notifier,
                        CloningProperties cloning) {
        this.lookup = lookup;
        this.requests = requests;
        this.cleanup = cleanup;
        this.notifier = notifier;
        this.cloning = cloning;
    }

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public Outcome run(Command command) {
        String id = command.arg("clone").orElseThrow(() -> new CloneRefusedException("no clone: name the clone to delete"));
        Optional<CloneLookup.Found> clone = lookup.find(id);
        if (clone.isEmpty()) {
            return Outcome.alreadyDone("no clone " + SafeText.of(id, 80) + " of this service is left");
        }
        String by = CloneRequests.requester(command.arg("requestedBy").orElse(null));
        if (command.dryRun()) {
            return Outcome.skipped("dry run: would delete clone " + id + " (" + (clone.get().aurora() ? "cluster and"
                    + " its instances" : "instance") + ")");
        }
        Optional<ClonePolicy> policy = requests.policy(clone.get().policy());
        CloneCleanup.Deletion d = cleanup.delete(id, clone.get().policy(), "deleted on request of " + by);
        if (!d.complete()) {
            return Outcome.recheckLater(cloning.recheckInterval(), "clone " + id + ": " + d.summary());
        }
        notifier.send(policy, requests.responseUrl(command.arg("responseUrl").orElse(null)), "clone-deleted", id,
                "Snapline: clone " + id + " deleted on request of " + by, Map.of("requestedBy", by));
        return Outcome.done("clone " + id + ": " + d.summary());
    }
}
