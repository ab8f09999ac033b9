package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;
import io.snapline.gateway.CloneGateway;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code extend} command: {@code {"command":"extend","clone":…,"ttl":"2d","requestedBy":…}}: the clone
 * now expires {@code ttl} from now, at most the policy's {@code max-ttl}. Only a clone of the service's
 * (its tags) is extended; anything else is refused, nothing changed.
 */
@Singleton
public class ExtendAction implements CommandAction {

    private final CloneLookup lookup;
    private final CloneRequests requests;
    private final CloneGateway clones;
    private final CloneNotifier notifier;
    private final Ledger ledger;
    private final CloneTime time;

    public ExtendAction(CloneLookup lookup, CloneRequests requests, CloneGateway clones, CloneNotifier notifier,
                        Ledger ledger, CloneTime time) {
        this.lookup = lookup;
        this.requests = requests;
        this.clones = clones;
        this.notifier = notifier;
        this.ledger = ledger;
        this.time = time;
    }

    @Override
    public String name() {
        return "extend";
    }

    @Override
    public Outcome run(Command command) {
        String id = command.arg("clone").orElseThrow(() -> new CloneRefusedException("no clone: name the clone to extend"));
        CloneLookup.Found clone = lookup.find(id).orElseThrow(() -> new CloneRefusedException("no clone "
                + SafeText.of(id, 80) + " of this service (no DB cluster or instance with its clone tag)"));
        ClonePolicy policy = requests.policy(clone.policy()).orElseThrow(() -> new CloneRefusedException("clone " + id
                + " belongs to clone policy '" + clone.policy() + "', which is not configured"));
        Duration ttl = requests.ttl(policy, command.arg("ttl").orElse(null));
        Optional<String> url = requests.responseUrl(command.arg("responseUrl").orElse(null));
        Instant expires = time.now().plus(ttl);
        String by = CloneRequests.requester(command.arg("requestedBy").orElse(null));
        if (command.dryRun()) {
            return Outcome.skipped("dry run: would extend clone " + id + " to " + expires);
        }
        clones.addTags(clone.arn(), Map.of(CloneGateway.TAG_EXPIRES_AT, expires.toString()));
        String detail = "extended by " + by + " to " + expires + " (" + Ttls.format(ttl) + " from now)";
        ledger.recordStep(id, id, "clone-extend:" + policy.name(), StepState.DONE, detail, true);
        notifier.send(Optional.of(policy), url, "clone-extended", id, "Snapline: clone " + id + " " + detail,
                Map.of("expiresAt", expires.toString(), "requestedBy", by));
        return Outcome.done("clone " + id + " " + detail);
    }
}
