package io.snapline.consumer;

import io.snapline.config.ConsumedQueue;
import io.snapline.config.QueueProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import io.snapline.message.MessageParser;
import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;
import io.snapline.testing.TestRegistries;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The claim rule at the event level: the same as the step runner's. */
class MessageProcessorTest {

    static final Duration LEASE = Duration.ofSeconds(300);
    static final String BODY = "{\"command\":\"work\",\"requestId\":\"r-1\"}";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final TestLedger ledger = new TestLedger(clock);
    final AtomicInteger runs = new AtomicInteger();
    final AtomicReference<RuntimeException> fail = new AtomicReference<>();
    final CommandAction work = new CommandAction() {
        @Override
        public String name() {
            return "work";
        }

        @Override
        public Outcome run(Command command) {
            runs.incrementAndGet();
            RuntimeException e = fail.get();
            if (e != null) {
                throw e;
            }
            return Outcome.done("worked");
        }
    };
    final QueueProperties queue = new QueueProperties("https://sqs.us-east-1.amazonaws.com/1/q", null, 2, 64,
            Duration.ofSeconds(20), Optional.empty(), Duration.ofSeconds(10), Duration.ofMinutes(15), Duration.ofSeconds(30), 200);
    final MessageProcessor processor = new MessageProcessor(new MessageParser(), TestRegistries.withCommands(work),
            ledger, queue, ConsumedQueue.withVisibility(LEASE), clock);

    @Test
    void aClaimLeftByADeadProcess_makesTheMessageWaitForTheLease_withoutSpendingAReceive_thenRunsIt() {
        ledger.claim("event#command#work#r-1", LEASE); // the process that held it was killed
        clock.advance(Duration.ofSeconds(60));

        Instant leaseEnd = Instant.parse("2026-12-01T10:05:00Z");
        int rechecks = 0;
        Disposition d = processor.process(BODY, 0);
        while (d instanceof Disposition.Recheck recheck) {
            assertThat(runs).as("not run while the dead process's lease lasts").hasValue(0);
            rechecks++;
            clock.advance(recheck.after());
            d = processor.process(BODY, rechecks);
        }

        assertThat(d).isInstanceOf(Disposition.Delete.class);
        assertThat(((Disposition.Delete) d).outcome()).isEqualTo("done");
        assertThat(runs).hasValue(1);
        assertThat(clock.instant()).isAfterOrEqualTo(leaseEnd);
        assertThat(rechecks).as("a handful of re-checks, no receive spent").isBetween(1, 6);
    }

    @Test
    void aDuplicateOfADeliveryInProgress_looksAgainSoon_notAfterTheWholeLease() {
        ledger.claim("event#command#work#r-1", LEASE); // the first delivery, just started

        Disposition d = processor.process(BODY, 0);

        assertThat(d).isInstanceOf(Disposition.Recheck.class);
        assertThat(((Disposition.Recheck) d).after()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPermanentFailure_staysFailedForDuplicates_butARedriveRunsItAgain() {
        fail.set(new PermanentProcessingException("the bucket belongs to another account"));
        Disposition first = processor.process(BODY, 0);
        assertThat(first).isInstanceOf(Disposition.DeadLetter.class);

        Disposition duplicate = processor.process(BODY, 0);
        assertThat(duplicate).isInstanceOf(Disposition.Delete.class);
        assertThat(((Disposition.Delete) duplicate).outcome()).isEqualTo("already_failed");
        assertThat(((Disposition.Delete) duplicate).reason()).contains("the bucket belongs to another account");
        assertThat(runs).as("a duplicate does not run the handler again").hasValue(1);

        fail.set(null);
        Disposition redriven = processor.process(BODY, 0, true);
        assertThat(redriven).isInstanceOf(Disposition.Delete.class);
        assertThat(((Disposition.Delete) redriven).outcome()).isEqualTo("done");
        assertThat(runs).hasValue(2);
    }

    @Test
    void aWaitingClaimGivesUp_afterTheRecheckBudget_withAReason() {
        ledger.claim("event#command#work#r-1", LEASE);

        Disposition last = processor.process(BODY, 200);

        assertThat(last).isInstanceOf(Disposition.DeadLetter.class);
        assertThat(((Disposition.DeadLetter) last).reason()).contains("gave up after 200 re-checks")
                .contains("another delivery is handling");
    }
}
