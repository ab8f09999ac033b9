package io.snapline.handler;

import io.micronaut.context.annotation.Context;
import io.snapline.message.MessageKind;
import io.snapline.message.SnaplineMessage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps each message kind to its one handler, built from the {@link MessageHandler} beans and
 * checked when the application starts: a kind without a handler, or with two handlers, fails the
 * boot rather than the first message. There is no fallback: a kind whose handler bean is missing
 * must never be skipped, deleted and marked done.
 */
@Context
public class HandlerRegistry {

    private final Map<MessageKind, MessageHandler<?>> handlers = new EnumMap<>(MessageKind.class);

    public HandlerRegistry(List<MessageHandler<?>> beans) {
        List<String> problems = new ArrayList<>();
        for (MessageKind kind : MessageKind.values()) {
            if (!kind.needsHandler()) {
                continue;
            }
            List<MessageHandler<?>> forKind = beans.stream().filter(h -> h.messageType() == kind.type()).toList();
            if (forKind.size() > 1) {
                problems.add(kind + " has " + forKind.size() + " handlers ("
                        + forKind.stream().map(h -> h.getClass().getSimpleName()).collect(Collectors.joining(", "))
                        + "); exactly one may handle a kind");
            } else if (forKind.size() == 1) {
                handlers.put(kind, forKind.get(0));
            } else {
                problems.add(kind + " has no handler: add a MessageHandler<" + kind.type().getSimpleName() + "> bean");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Snapline cannot start, the handler registry is incomplete: "
                    + String.join("; ", problems));
        }
    }

    /** Dispatches a message to its kind's handler. */
    @SuppressWarnings("unchecked")
    public <M extends SnaplineMessage> Outcome dispatch(M message) throws Exception {
        MessageHandler<M> handler = (MessageHandler<M>) handlers.get(message.kind());
        if (handler == null) {
            throw new IllegalArgumentException("no handler for " + message.kind());
        }
        return handler.handle(message);
    }

    /** The handler chosen for a kind (for the status page and tests). */
    public MessageHandler<?> handlerFor(MessageKind kind) {
        return handlers.get(kind);
    }
}
