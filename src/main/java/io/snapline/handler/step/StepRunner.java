package io.snapline.handler.step;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.ConsumedQueue;
import io.snapline.error.FailureClassifier;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one pipeline step exactly once: claim → run → record or release → notify. Every step of
 * every pipeline goes through here, so "in progress", "not ready yet" and "permanent" mean one
 * thing everywhere:
 *
 * <table>
 *   <caption>The ledger's answer to the claim, and what follows</caption>
 *   <tr><th>claim</th><th>what the runner does</th><th>outcome</th></tr>
 *   <tr><td>ALREADY_DONE</td><td>nothing (the body does not run)</td><td>ALREADY_DONE</td></tr>
 *   <tr><td>IN_PROGRESS</td><td>nothing: another delivery holds the lease. The message waits until
 *       the lease can have expired, as delayed re-checks ({@link #waitForLease}), without spending the
 *       queue's receive count; then a lapsed lease is taken over</td><td>RECHECK_LATER</td></tr>
 *   <tr><td>FAILED</td><td>nothing: the step failed permanently before; a duplicate neither repeats
 *       the AWS call nor the notification. A redriven dead letter ({@link Delivery}) runs it again</td>
 *       <td>ALREADY_FAILED</td></tr>
 *   <tr><td>ACQUIRED</td><td>runs the body, then by its answer:</td><td></td></tr>
 * </table>
 *
 * <ul>
 *   <li>{@link StepResult.Done} / {@link StepResult.AlreadyDone} / {@link StepResult.Skipped}: the claim is
 *       completed, the step recorded DONE or SKIPPED, one INFO line; outcome DONE / ALREADY_DONE /
 *       SKIPPED;</li>
 *   <li>{@link StepResult.Started}: the claim is completed, the step recorded STARTED (AWS carries the
 *       work on; its end is another event), one INFO line; outcome DONE, or ALREADY_DONE when AWS had
 *       it already;</li>
 *   <li>{@link StepResult.Waiting} or a {@link NotReadyException}: the claim is released, the step
 *       recorded WAITING; outcome RECHECK_LATER;</li>
 *   <li>a {@link PermanentProcessingException}, or an error the {@link FailureClassifier} calls
 *       permanent: the claim is marked FAILED with the reason, the step recorded FAILED, one ERROR
 *       line, the step's {@link Step.FailureNotice} told once; the exception is rethrown (the
 *       message goes to the dead-letter queue with the reason);</li>
 *   <li>any other error (throttling, 5xx, I/O, unknown): the claim is released, the step recorded
 *       WAITING ("retrying: …"); rethrown, so the consumer retries with backoff.</li>
 * </ul>
 * Every run of a body counts as one attempt of the step in {@code /pipelines}, and one
 * {@code snapline_steps_total{stage,policy,outcome}}.
 */
@Singleton
public class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** Added to a lease's end before a waiting message looks again, so the lease has surely lapsed. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

    private final Ledger ledger;
    private final Duration lease;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    public StepRunner(Ledger ledger, ConsumedQueue queue, MeterRegistry meters) {
        this(ledger, queue.visibilityTimeout(), meters, Clock.systemUTC());
    }

    public StepRunner(Ledger ledger, Duration lease, MeterRegistry meters, Clock clock) {
        this.ledger = ledger;
        this.lease = lease;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * How long a message waits before it looks again at a claim another delivery holds until
     * {@code until}: as long as the claim has been held already (so the looks thin out, doubling the
     * claim's age each time: a holder that finishes in a second is seen after about a second, a dead
     * one costs a handful of re-checks), at least {@link #LEASE_MARGIN}, and never past the lease's end
     * plus the margin, when a lapsed lease is taken over.
     */
    public static Duration waitForLease(Instant until, Duration lease, Instant now) {
        Duration remaining = Duration.between(now, until);
        Duration held = lease.minus(remaining);
        Duration latest = remaining.isNegative() ? LEASE_MARGIN : remaining.plus(LEASE_MARGIN);
        Duration wait = held.compareTo(LEASE_MARGIN) < 0 ? LEASE_MARGIN : held;
        return wait.compareTo(latest) > 0 ? latest : wait;
    }

    /** The lease of a claim: the queue's visibility timeout. */
    public Duration lease() {
        return lease;
    }

    /** The body of a step: its work, answered as a {@link StepResult} or by throwing. */
    @FunctionalInterface
    public interface Body {
        StepResult run() throws Exception;
    }

    /** Runs the step once, by the rules above. */
    public Outcome run(Step step, Body body) {
        ClaimResult claim = ledger.claim(step.key(), lease, Delivery.retriesFailedSteps());
        switch (claim.status()) {
            case ALREADY_DONE -> {
                return count(step, Outcome.alreadyDone(step.name() + " already done"
                        + claim.result().map(r -> ": " + r).orElse("")));
            }
            case FAILED -> {
                String reason = step.name() + " failed permanently before (" + claim.result().orElse("no reason kept")
                        + "); not repeated for a duplicate: redrive the dead letter, or reconcile with retryFailed, "
                        + "once the cause is fixed";
                LOG.info("step {} {}: {}", step.key(), "already_failed", reason);
                return count(step, Outcome.alreadyFailed(reason));
            }
            case IN_PROGRESS -> {
                Instant until = claim.leaseUntil().orElseGet(() -> clock.instant().plus(lease));
                Duration wait = waitForLease(until, lease, clock.instant());
                return count(step, Outcome.recheckLater(wait, step.name() + " is being run by another delivery "
                        + "(lease until " + until + "); looking again in " + wait));
            }
            case ACQUIRED -> {
                return runClaimed(step, body);
            }
            default -> throw new IllegalStateException("unknown claim status " + claim.status());
        }
    }

    private Outcome runClaimed(Step step, Body body) {
        StepResult result;
        try {
            result = body.run();
            if (result == null) {
                throw new IllegalStateException("step " + step.name() + " answered nothing");
            }
        } catch (NotReadyException e) {
            result = StepResult.waiting(e.recheckAfter(), e.getMessage());
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            FailureClassifier.Failure failure = FailureClassifier.classify(e);
            if (failure.permanent()) {
                throw failed(step, e instanceof PermanentProcessingException p ? p
                        : new PermanentProcessingException(failure.reason(), e), failure);
            }
            ledger.release(step.key());
            record(step, StepState.WAITING, "retrying: " + failure.reason());
            count(step, "retry");
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new RetryableProcessingException(step.name() + ": " + failure.reason(), e);
        }
        if (result instanceof StepResult.Done d) {
            return complete(step, d.result(), StepState.DONE, d.detail(), Outcome.done(d.detail()));
        }
        if (result instanceof StepResult.Started st) {
            return complete(step, st.result(), StepState.STARTED, st.detail(),
                    st.already() ? Outcome.alreadyDone(st.detail()) : Outcome.done(st.detail()));
        }
        if (result instanceof StepResult.AlreadyDone d) {
            return complete(step, d.result(), StepState.DONE, d.detail(), Outcome.alreadyDone(d.detail()));
        }
        if (result instanceof StepResult.Skipped sk) {
            return complete(step, "skipped: " + sk.detail(), StepState.SKIPPED, sk.detail(), Outcome.skipped(sk.detail()));
        }
        StepResult.Waiting w = (StepResult.Waiting) result;
        ledger.release(step.key());
        record(step, StepState.WAITING, w.detail());
        return count(step, Outcome.recheckLater(w.after(), w.detail()));
    }

    private Outcome complete(Step step, String stored, StepState state, String detail, Outcome outcome) {
        ledger.complete(step.key(), stored);
        record(step, state, detail);
        LOG.info("step {} {}: {}", step.name(), outcome.label(), detail);
        return count(step, outcome);
    }

    private PermanentProcessingException failed(Step step, PermanentProcessingException e,
                                                FailureClassifier.Failure failure) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        ledger.fail(step.key(), reason);
        record(step, StepState.FAILED, reason);
        LOG.error("step={} key={} outcome=failed reason=\"{}\"{}", step.name(), step.key(), reason,
                failure.awsRequestId().map(id -> " aws_request_id=" + id).orElse(""));
        count(step, "failed");
        notifyOnce(step, reason);
        return e;
    }

    /** The failure notice, claimed under {@code notify#<key>#failed} so it goes out once per failure. */
    private void notifyOnce(Step step, String reason) {
        String key = "notify#" + step.key() + "#failed";
        if (ledger.claim(key, lease, true).status() != ClaimResult.Status.ACQUIRED) {
            return;
        }
        try {
            step.onFailure().stepFailed(step, reason);
            ledger.complete(key, "notified");
        } catch (RuntimeException notifyError) {
            ledger.release(key);
            LOG.warn("step {}: the failure notice could not be sent ({}); the failure itself is recorded",
                    step.name(), notifyError.toString());
        }
    }

    private void record(Step step, StepState state, String detail) {
        step.pipelineId().ifPresent(id -> ledger.recordStep(id, step.pipelineIdentifier(), step.name(), state, detail,
                true));
    }

    private Outcome count(Step step, Outcome outcome) {
        count(step, outcome.label());
        return outcome;
    }

    private void count(Step step, String outcome) {
        counters.computeIfAbsent(step.stage() + '|' + step.policy() + '|' + outcome, k -> Counter
                .builder("snapline.steps").description("pipeline step runs by stage, policy and outcome")
                .tag("stage", step.stage()).tag("policy", step.policy()).tag("outcome", outcome)
                .register(meters)).increment();
    }
}
