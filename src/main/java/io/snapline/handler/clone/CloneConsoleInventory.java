package io.snapline.handler.clone;

import io.snapline.handler.CloneInventory;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live clones as the operator console shows them, and its extend and delete actions. The actions
 * run the same {@code extend} and {@code delete} commands the queue, {@code POST /clones} and Slack run,
 * with every check of theirs (the clone's tag, the policy's maximum TTL), so the console is no fourth
 * way around the rules.
 */
@Singleton
public class CloneConsoleInventory implements CloneInventory {

    private final ClonesView view;
    private final CloneLookup lookup;
    private final ExtendAction extend;
    private final DeleteAction delete;

    public CloneConsoleInventory(ClonesView view, CloneLookup lookup, ExtendAction extend, DeleteAction delete) {
        this.view = view;
        this.lookup = lookup;
        this.extend = extend;
        this.delete = delete;
    }

    @Override
    public List<LiveClone> clones() {
        return view.live().stream()
                .map(c -> new LiveClone(c.id(), c.source(), c.requestedBy(), c.instanceClass(),
                        lookup.find(c.id()).flatMap(CloneLookup.Found::createTime).orElse(null),
                        instant(c.expiresAt()), c.state() + " (" + c.status() + ")"))
                .sorted(Comparator.comparing(LiveClone::expiresAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /** Sets the clone's expiry to {@code by} from now (the commands' meaning of a TTL), within the policy's maximum. */
    @Override
    public Instant extend(String cloneId, Duration by) {
        Outcome o = extend.run(new Command("extend", Map.of("clone", cloneId, "ttl", by.toString(),
                "requestedBy", "operator console"), false, Optional.empty()));
        return view.live().stream().filter(c -> c.id().equals(cloneId)).findFirst()
                .map(c -> instant(c.expiresAt()))
                .orElseThrow(() -> new IllegalStateException("clone " + cloneId + " was extended (" + o.reason()
                        + ") but is no longer listed"));
    }

    @Override
    public void delete(String cloneId) {
        delete.run(new Command("delete", Map.of("clone", cloneId, "requestedBy", "operator console"), false,
                Optional.empty()));
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
