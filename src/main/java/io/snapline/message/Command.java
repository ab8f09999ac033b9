package io.snapline.message;

import java.util.Map;
import java.util.Optional;

/**
 * One of Snapline's own command messages, sent by schedules and operators:
 * <pre>{@code {"command":"prune","source":"orders-*","policy":"daily","dryRun":true,"requestId":"…"}}</pre>
 * {@code command} is required; {@code dryRun} defaults to false; {@code requestId}, when given,
 * makes the command run once however often it is delivered; every other top-level string,
 * number or boolean field is an argument.
 */
public record Command(String name, Map<String, String> args, boolean dryRun, Optional<String> requestId)
        implements SnaplineMessage {

    public Command {
        args = args == null ? Map.of() : Map.copyOf(args);
        requestId = requestId == null ? Optional.empty() : requestId;
    }

    /** An argument, if given. */
    public Optional<String> arg(String name) {
        return Optional.ofNullable(args.get(name));
    }

    @Override
    public MessageKind kind() {
        return MessageKind.COMMAND;
    }

    @Override
    public String key() {
        return name + requestId.map(id -> "#" + id).orElse("");
    }
}
