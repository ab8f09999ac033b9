package io.snapline.handler.step;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepRunnerTest {

    static final Duration LEASE = Duration.ofMinutes(5);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final TestLedger ledger = new TestLedger(clock);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final StepRunner runner = new StepRunner(ledger, LEASE, meters, clock);
    final List<String> notices = new ArrayList<>();
    final Step step = Step.of("export#arn:aws:rds:r:1:snapshot:s#daily", "export", "daily",
            "arn:aws:rds:r:1:snapshot:s", "s", (st, reason) -> notices.add(st.name() + ": " + reason));
    final AtomicInteger runs = new AtomicInteger();

    @Test
    void done_completesTheClaim_recordsTheStep_andARepeatDoesNotRunTheBody() {
        Outcome first = runner.run(step, () -> {
            runs.incrementAndGet();
            return StepResult.done("task-1", "started export task-1");
        });
        Outcome second = runner.run(step, () -> {
            runs.incrementAndGet();
            return StepResult.done("task-2", "again");
        });

        assertThat(first.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(second.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(second.reason()).contains("task-1");
        assertThat(runs).hasValue(1);
        Pipeline.Step recorded = ledger.step("arn:aws:rds:r:1:snapshot:s", "export:daily").orElseThrow();
        assertThat(recorded.state()).isEqualTo(StepState.DONE);
        assertThat(recorded.attempts()).isEqualTo(1);
        assertThat(meters.counter("snapline.steps", "stage", "export", "policy", "daily", "outcome", "done").count())
                .isEqualTo(1);
    }

    @Test
    void inProgress_waitsUntilTheLeaseCanHaveLapsed_thenTakesItOver() {
        assertThat(ledger.claim(step.key(), LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED); // a dead process
        clock.advance(Duration.ofSeconds(100));

        Outcome waiting = runner.run(step, () -> StepResult.done("x", "should not run"));

        assertThat(waiting.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(waiting.recheckAfter()).as("as long as it has been held").contains(Duration.ofSeconds(100));
        clock.advance(waiting.recheckAfter().orElseThrow());
        Outcome again = runner.run(step, () -> StepResult.done("x", "should not run"));
        assertThat(again.recheckAfter()).as("never past the lease's end").contains(Duration.ofSeconds(100)
                .plus(StepRunner.LEASE_MARGIN));
        clock.advance(again.recheckAfter().orElseThrow());
        Outcome taken = runner.run(step, () -> StepResult.done("x", "took the lapsed lease over"));
        assertThat(taken.status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void waitForLease_growsWithTheClaimsAge_boundedByTheLeaseEnd() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(StepRunner.waitForLease(now.plus(LEASE), LEASE, now)).isEqualTo(StepRunner.LEASE_MARGIN);
        assertThat(StepRunner.waitForLease(now.plusSeconds(60), LEASE, now)).isEqualTo(Duration.ofSeconds(62));
        assertThat(StepRunner.waitForLease(now.minusSeconds(5), LEASE, now)).isEqualTo(StepRunner.LEASE_MARGIN);
        assertThat(StepRunner.waitForLease(now.plusSeconds(280), LEASE, now)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void waitingAndNotReady_releaseTheClaim_andRecordWaiting() {
        Outcome waiting = runner.run(step, () -> StepResult.waiting(Duration.ofMinutes(2), "snapshot is creating"));
        Outcome notReady = runner.run(step, () -> {
            throw new NotReadyException("export limit reached", Duration.ofMinutes(5));
        });

        assertThat(waiting.recheckAfter()).contains(Duration.ofMinutes(2));
        assertThat(notReady.recheckAfter()).contains(Duration.ofMinutes(5));
        assertThat(ledger.held(step.key())).as("released").isFalse();
        Pipeline.Step recorded = ledger.step("arn:aws:rds:r:1:snapshot:s", "export:daily").orElseThrow();
        assertThat(recorded.state()).isEqualTo(StepState.WAITING);
        assertThat(recorded.detail()).isEqualTo("export limit reached");
        assertThat(recorded.attempts()).isEqualTo(2);
    }

    @Test
    void permanent_failsTheStepForGood_notifiesOnce_andDuplicatesNeitherRunNorNotify() {
        assertThatThrownBy(() -> runner.run(step, () -> {
            runs.incrementAndGet();
            throw new PermanentProcessingException("bucket belongs to 999999999999, not 111111111111");
        })).isInstanceOf(PermanentProcessingException.class);

        Outcome duplicate = runner.run(step, () -> {
            runs.incrementAndGet();
            return StepResult.done("x", "must not run");
        });

        assertThat(runs).hasValue(1);
        assertThat(duplicate.status()).isEqualTo(Outcome.Status.ALREADY_FAILED);
        assertThat(duplicate.reason()).contains("bucket belongs to 999999999999");
        assertThat(notices).containsExactly("export:daily: bucket belongs to 999999999999, not 111111111111");
        assertThat(ledger.step("arn:aws:rds:r:1:snapshot:s", "export:daily").orElseThrow().state())
                .isEqualTo(StepState.FAILED);
    }

    @Test
    void aRedrivenDelivery_runsAFailedStepAgain() {
        assertThatThrownBy(() -> runner.run(step, () -> {
            throw new PermanentProcessingException("role missing");
        })).isInstanceOf(PermanentProcessingException.class);

        Outcome retried = Delivery.handle(true, () -> runner.run(step, () -> StepResult.done("t", "fixed")));

        assertThat(retried.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(Delivery.retriesFailedSteps()).as("reset after the delivery").isFalse();
    }

    @Test
    void anAwsErrorTheClassifierCallsPermanent_failsTheStep() {
        AwsServiceException denied = AwsServiceException.builder().statusCode(403).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build()).build();

        assertThatThrownBy(() -> runner.run(step, () -> {
            throw denied;
        })).isInstanceOf(PermanentProcessingException.class).hasCause(denied);

        assertThat(ledger.operation(step.key()).orElseThrow().failed()).isTrue();
    }

    @Test
    void retryable_releasesTheClaim_recordsRetrying_andRethrowsTheSameError() {
        RetryableProcessingException throttled = new RetryableProcessingException("Rate exceeded");

        assertThatThrownBy(() -> runner.run(step, () -> {
            throw throttled;
        })).isSameAs(throttled);

        assertThat(ledger.held(step.key())).isFalse();
        assertThat(ledger.step("arn:aws:rds:r:1:snapshot:s", "export:daily").orElseThrow().detail())
                .startsWith("retrying: ");
        assertThat(runner.run(step, () -> StepResult.done("t", "ok")).status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void skipped_isRemembered_soTheBodyDoesNotRunAgain() {
        Outcome skipped = runner.run(step, () -> StepResult.skipped("no crawler configured"));
        Outcome again = runner.run(step, () -> {
            runs.incrementAndGet();
            return StepResult.done("x", "y");
        });

        assertThat(skipped.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(again.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(runs).hasValue(0);
    }

    @Test
    void aFailureNoticeThatCannotBeSent_doesNotHideTheFailure_andIsSentByTheNextFailure() {
        AtomicInteger attempts = new AtomicInteger();
        Step flaky = Step.of("k", "acl", "p", "pipe", "s", (st, reason) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("SNS down");
            }
            notices.add(reason);
        });

        assertThatThrownBy(() -> runner.run(flaky, () -> {
            throw new PermanentProcessingException("first");
        })).isInstanceOf(PermanentProcessingException.class);
        assertThatThrownBy(() -> Delivery.handle(true, () -> runner.run(flaky, () -> {
            throw new PermanentProcessingException("second");
        }))).isInstanceOf(PermanentProcessingException.class);

        assertThat(notices).containsExactly("second");
    }

    @Test
    void started_completesTheClaim_butShowsTheStepStarted_andAlreadyStartedIsAlreadyDone() {
        Outcome started = runner.run(step, () -> StepResult.started("task-1|orders", "export task task-1 started"));
        Step other = Step.of("export#b#daily", "export", "daily", "arn:b", "b", Step.FailureNotice.NONE);
        Outcome adopted = runner.run(other, () -> StepResult.alreadyStarted("task-2|orders", "task-2 already exists"));

        assertThat(started.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(adopted.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(ledger.completed(step.key())).isTrue();
        assertThat(ledger.operation(step.key()).orElseThrow().result()).contains("task-1|orders");
        assertThat(ledger.step("arn:aws:rds:r:1:snapshot:s", "export:daily").orElseThrow().state())
                .isEqualTo(StepState.STARTED);
        assertThat(ledger.step("arn:b", "export:daily").orElseThrow().state()).isEqualTo(StepState.STARTED);
    }
}
