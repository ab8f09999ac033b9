package io.snapline.consumer;

import io.snapline.config.QueueProperties;
import io.snapline.error.FailureClassifier;
import io.snapline.error.FailureClassifier.Failure;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.HandlerRegistry;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.Command;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.Ignored;
import io.snapline.message.Malformed;
import io.snapline.message.MessageParser;
import io.snapline.message.SnaplineMessage;
import io.snapline.message.SnapshotCreated;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * Turns one SQS body into a {@link Disposition}: parse once, claim the event in the ledger (keyed
 * by what the event is about, never the SQS message id, so a re-published duplicate is caught
 * too), dispatch to the kind's handler, and translate the result. Never throws for a message.
 */
@Singleton
public class MessageProcessor {

    private final MessageParser parser;
    private final HandlerRegistry registry;
    private final Ledger ledger;
    private final Duration lease;
    private final int recheckMaxAttempts;

    public MessageProcessor(MessageParser parser, HandlerRegistry registry, Ledger ledger, QueueProperties queue) {
        this.parser = parser;
        this.registry = registry;
        this.ledger = ledger;
        this.lease = queue.visibilityTimeout();
        this.recheckMaxAttempts = queue.recheckMaxAttempts();
    }

    /**
     * @param body           the SQS body
     * @param recheckAttempt how many delayed re-checks this body has already taken
     */
    public Disposition process(String body, int recheckAttempt) {
        SnaplineMessage message = parser.parse(body);
        if (message instanceof Ignored ignored) {
            return new Disposition.Delete(message.kind(), "ignored", ignored.what() + ": " + ignored.reason());
        }
        if (message instanceof Malformed malformed) {
            PermanentProcessingException e = new PermanentProcessingException("malformed message: " + malformed.reason());
            return new Disposition.DeadLetter(message.kind(), message.key(), e.getMessage(), FailureClassifier.classify(e));
        }
        Optional<String> claimKey = eventKey(message).map(k -> "event#" + k);
        if (claimKey.isPresent()) {
            ClaimResult claim = ledger.claim(claimKey.get(), lease);
            if (claim.status() == ClaimResult.Status.ALREADY_DONE) {
                return new Disposition.Delete(message.kind(), "already_done", "duplicate of a handled event");
            }
            if (claim.status() == ClaimResult.Status.IN_PROGRESS) {
                return new Disposition.Retry(message.kind(), message.key(), FailureClassifier.classify(
                        new io.snapline.error.RetryableProcessingException("another consumer is handling " + claimKey.get())));
            }
        }
        Outcome outcome;
        try {
            outcome = registry.dispatch(message);
        } catch (NotReadyException e) {
            outcome = Outcome.recheckLater(e.recheckAfter(), e.getMessage());
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            claimKey.ifPresent(ledger::release);
            Failure failure = FailureClassifier.classify(e);
            return failure.permanent()
                    ? new Disposition.DeadLetter(message.kind(), message.key(), failure.reason(), failure)
                    : new Disposition.Retry(message.kind(), message.key(), failure);
        }
        if (outcome.status() == Outcome.Status.RECHECK_LATER) {
            claimKey.ifPresent(ledger::release);
            if (recheckAttempt >= recheckMaxAttempts) {
                String reason = "gave up after " + recheckAttempt + " re-checks (snapline.queue.recheck-max-attempts): "
                        + outcome.reason();
                return new Disposition.DeadLetter(message.kind(), message.key(), reason,
                        FailureClassifier.classify(new PermanentProcessingException(reason)));
            }
            return new Disposition.Recheck(message.kind(), message.key(), outcome.recheckAfter().orElseThrow(),
                    outcome.reason());
        }
        Outcome result = outcome;
        claimKey.ifPresent(k -> ledger.complete(k, result.label()));
        return new Disposition.Delete(message.kind(), result.label(), result.reason());
    }

    /**
     * The event's business identity. Commands without a {@code requestId} have none: a schedule
     * sends the same body every time, and each run must happen. Export-finished events have none
     * either: RDS sends one per task but names only the snapshot, so two policies' exports of one
     * snapshot produce identical events; the export pipeline's own per-task claims make them
     * idempotent.
     */
    static Optional<String> eventKey(SnaplineMessage message) {
        if (message instanceof SnapshotCreated m) {
            return Optional.of("snapshot-created#" + m.snapshot().id() + "#" + m.eventId());
        }
        if (message instanceof BatchJobStatusChanged m) {
            return Optional.of("batch-job#" + m.jobId() + "#" + m.status());
        }
        if (message instanceof CrawlerStateChanged m) {
            return Optional.of("crawler#" + m.crawlerName() + "#" + m.state() + "#" + m.eventTime().toEpochMilli());
        }
        if (message instanceof Command m) {
            return m.requestId().map(id -> "command#" + m.name() + "#" + id);
        }
        return Optional.empty();
    }
}
