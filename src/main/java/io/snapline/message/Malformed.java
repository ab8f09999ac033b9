package io.snapline.message;

/**
 * A body that cannot be understood: not JSON, truncated, wrong types, too large, a known envelope
 * with missing required fields, or an unknown command. It goes to the dead-letter queue with the
 * reason attached so nothing is lost, and never blocks the queue.
 */
public record Malformed(String reason) implements SnaplineMessage {

    @Override
    public MessageKind kind() {
        return MessageKind.MALFORMED;
    }

    @Override
    public String key() {
        return "malformed";
    }
}
