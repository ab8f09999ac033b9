package io.snapline.handler;

import io.snapline.message.SnaplineMessage;

/**
 * Handles one kind of message. Implementations are beans; the {@link HandlerRegistry} finds them
 * and fails the boot when a kind has none. Handlers must be idempotent: claim each business
 * operation in the ledger, kick work off and return (no sleeps), and signal failure by throwing
 * {@link io.snapline.error.RetryableProcessingException} or
 * {@link io.snapline.error.PermanentProcessingException} (anything else counts as retryable).
 *
 * @param <M> the message type handled
 */
public interface MessageHandler<M extends SnaplineMessage> {

    /** The message type this handler takes. */
    Class<M> messageType();

    /** Handles one message. */
    Outcome handle(M message) throws Exception;
}
