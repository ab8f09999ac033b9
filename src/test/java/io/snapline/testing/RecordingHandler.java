package io.snapline.testing;

import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.message.SnaplineMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test's handler for one message kind: it keeps every message it is given and answers SKIPPED,
 * so consumer tests and benchmarks can build a complete {@link io.snapline.handler.HandlerRegistry}
 * without the export beans. Test code only: production has no stand-in handlers.
 */
public final class RecordingHandler<M extends SnaplineMessage> implements MessageHandler<M> {

    private final Class<M> type;
    private final List<M> handled = new CopyOnWriteArrayList<>();

    public RecordingHandler(Class<M> type) {
        this.type = type;
    }

    @Override
    public Class<M> messageType() {
        return type;
    }

    @Override
    public Outcome handle(M message) {
        handled.add(message);
        return Outcome.skipped("test handler for " + message.kind().label());
    }

    /** The messages handled so far, in order. */
    public List<M> handled() {
        return List.copyOf(handled);
    }
}
