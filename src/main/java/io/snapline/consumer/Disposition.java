package io.snapline.consumer;

import io.snapline.error.FailureClassifier.Failure;
import io.snapline.message.MessageKind;

import java.time.Duration;

/** What the consumer does with a processed message: the SQS side of a handler's result. */
public sealed interface Disposition {

    MessageKind kind();

    /** The handler succeeded (DONE, ALREADY_DONE, SKIPPED) or the message is ignored: delete it. */
    record Delete(MessageKind kind, String outcome, String reason) implements Disposition {
    }

    /** A retryable failure: leave it, invisible for a backoff driven by the receive count. */
    record Retry(MessageKind kind, String key, Failure failure) implements Disposition {
    }

    /** A permanent failure: send it to the dead-letter queue with the reason, then delete it. */
    record DeadLetter(MessageKind kind, String key, String reason, Failure failure) implements Disposition {
    }

    /** Not ready yet: re-send the body with a delay (a durable timer), then delete the original. */
    record Recheck(MessageKind kind, String key, Duration after, String reason) implements Disposition {
    }
}
