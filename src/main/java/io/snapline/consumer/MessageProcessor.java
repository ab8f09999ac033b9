package io.snapline.consumer;

import io.snapline.config.ConsumedQueue;
import io.snapline.config.QueueProperties;
import io.snapline.error.FailureClassifier;
import io.snapline.error.FailureClassifier.Failure;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.HandlerRegistry;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Delivery;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.Command;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.Ignored;
import io.snapline.message.Malformed;
import io.snapline.message.MessageParser;
import io.snapline.message.SafeText;
import io.snapline.message.SnaplineMessage;
import io.snapline.message.SnapshotCreated;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Clock clock;
    /** MDC keys set for the message being processed (the JSON log format carries them as fields). */
    public static final String MDC_KIND = "kind";
    public static final String MDC_KEY = "key";

    @Inject
    public MessageProcessor(MessageParser parser, HandlerRegistry registry, Ledger ledger, QueueProperties queue,
                            ConsumedQueue consumed) {
        this(parser, registry, ledger, queue, consumed, Clock.systemUTC());
    }

    /**
     * @param consumed the queue as SQS describes it: claims lease for its visibility timeout, so a
     *                 claim left by a dead process lapses when its message reappears
     */
    public MessageProcessor(MessageParser parser, HandlerRegistry registry, Ledger ledger, QueueProperties queue,
                            ConsumedQueue consumed, Clock clock) {
        this.clock = clock;
        this.parser = parser;
        this.registry = registry;
        this.ledger = ledger;
        this.lease = consumed.visibilityTimeout();
        this.recheckMaxAttempts = queue.recheckMaxAttempts();
    }

    /** As {@link #process(String, int, boolean)} for a first delivery (not a redriven dead letter). */
    public Disposition process(String body, int recheckAttempt) {
        return process(body, recheckAttempt, false);
    }

    /**
     * @param body           the SQS body
     * @param recheckAttempt how many delayed re-checks this body has already taken
     * @param redriven       true when the message was redriven from the dead-letter queue (it carries
     *                       Snapline's failure reason): an operator's request to retry, so steps that
     *                       failed permanently run again
     */
    public Disposition process(String body, int recheckAttempt, boolean redriven) {
        SnaplineMessage message = parser.parse(body);
        MDC.put(MDC_KIND, message.kind().label());
        MDC.put(MDC_KEY, SafeText.of(message.key(), 300));
        if (message instanceof Ignored ignored) {
            return new Disposition.Delete(message.kind(), "ignored", ignored.what() + ": " + ignored.reason());
        }
        if (message instanceof Malformed malformed) {
            PermanentProcessingException e = new PermanentProcessingException("malformed message: " + malformed.reason());
            return new Disposition.DeadLetter(message.kind(), message.key(), e.getMessage(), FailureClassifier.classify(e));
        }
        Optional<String> claimKey = eventKey(message).map(k -> "event#" + k);
        if (claimKey.isPresent()) {
            ClaimResult claim = ledger.claim(claimKey.get(), lease, redriven);
            switch (claim.status()) {
                case ALREADY_DONE -> {
                    return new Disposition.Delete(message.kind(), "already_done", "duplicate of a handled event");
                }
                case FAILED -> {
                    return new Disposition.Delete(message.kind(), "already_failed", "duplicate of an event that "
                            + "failed permanently (" + claim.result().orElse("no reason kept") + "); the first delivery "
                            + "is in the dead-letter queue: redrive it once the cause is fixed");
                }
                case IN_PROGRESS -> {
                    Instant until = claim.leaseUntil().orElseGet(() -> clock.instant().plus(lease));
                    Duration wait = StepRunner.waitForLease(until, lease, clock.instant());
                    return recheckOrGiveUp(message, recheckAttempt, wait, "another delivery is handling "
                            + claimKey.get() + " (lease until " + until + "); looking again in " + wait);
                }
                case ACQUIRED -> {
                    // go on
                }
            }
        }
        Outcome outcome;
        try {
            outcome = Delivery.handle(redriven, () -> dispatch(message));
        } catch (NotReadyException e) {
            outcome = Outcome.recheckLater(e.recheckAfter(), e.getMessage());
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            Throwable cause = e instanceof Dispatched d ? d.getCause() : e;
            Failure failure = FailureClassifier.classify(cause);
            if (failure.permanent()) {
                claimKey.ifPresent(k -> ledger.fail(k, failure.reason()));
                return new Disposition.DeadLetter(message.kind(), message.key(), failure.reason(), failure);
            }
            claimKey.ifPresent(ledger::release);
            return new Disposition.Retry(message.kind(), message.key(), failure);
        }
        if (outcome.status() == Outcome.Status.RECHECK_LATER) {
            claimKey.ifPresent(ledger::release);
            return recheckOrGiveUp(message, recheckAttempt, outcome.recheckAfter().orElseThrow(), outcome.reason());
        }
        Outcome result = outcome;
        if (result.status() == Outcome.Status.ALREADY_FAILED) {
            // Not completed: a later redrive of the first delivery must reach the failed step again.
            claimKey.ifPresent(ledger::release);
        } else {
            claimKey.ifPresent(k -> ledger.complete(k, result.label()));
        }
        return new Disposition.Delete(message.kind(), result.label(), result.reason());
    }

    private Outcome dispatch(SnaplineMessage message) {
        try {
            return registry.dispatch(message);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Dispatched(e);
        }
    }

    /** A checked exception from a handler, carried through {@link Delivery#handle}. */
    private static final class Dispatched extends RuntimeException {
        Dispatched(Exception cause) {
            super(cause);
        }
    }

    private Disposition recheckOrGiveUp(SnaplineMessage message, int recheckAttempt, Duration after, String reason) {
        if (recheckAttempt >= recheckMaxAttempts) {
            String why = "gave up after " + recheckAttempt + " re-checks (snapline.queue.recheck-max-attempts): " + reason;
            return new Disposition.DeadLetter(message.kind(), message.key(), why,
                    FailureClassifier.classify(new PermanentProcessingException(why)));
        }
        return new Disposition.Recheck(message.kind(), message.key(), after, reason);
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
