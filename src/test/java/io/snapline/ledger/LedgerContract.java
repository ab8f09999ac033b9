package io.snapline.ledger;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every ledger must do, run against each implementation. {@link #clock} is a settable
 * clock the implementation under test reads.
 */
abstract class LedgerContract {

    static final class MutableClock extends java.time.Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    final MutableClock clock = new MutableClock();

    abstract Ledger ledger();

    @Test
    void claim_isGrantedOnce_andCompletedWorkAnswersAlreadyDone() {
        Ledger ledger = ledger();
        assertThat(ledger.claim("export#arn:a#p", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim("export#arn:a#p", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);

        ledger.complete("export#arn:a#p", "task-1");

        ClaimResult again = ledger.claim("export#arn:a#p", Duration.ofMinutes(5));
        assertThat(again.status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
        assertThat(again.result()).contains("task-1");
        assertThat(ledger.operation("export#arn:a#p")).get().extracting(OperationRecord::completed).isEqualTo(true);
    }

    @Test
    void lapsedLease_canBeClaimedAgain() {
        Ledger ledger = ledger();
        ledger.claim("k", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(ledger.claim("k", Duration.ofSeconds(30)).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(2));
        assertThat(ledger.claim("k", Duration.ofSeconds(30)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
    }

    @Test
    void release_letsARetryClaimAtOnce_butNeverUndoesCompletedWork() {
        Ledger ledger = ledger();
        ledger.claim("a", Duration.ofMinutes(5));
        ledger.release("a");
        assertThat(ledger.claim("a", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        ledger.complete("a", "done");
        ledger.release("a");
        assertThat(ledger.claim("a", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
    }

    @Test
    void completedRecords_expireAfterTheirTtl() {
        Ledger ledger = ledger();
        ledger.claim("old", Duration.ofMinutes(5));
        ledger.complete("old", "x");
        clock.advance(Duration.ofDays(2)); // the contract ledgers use a 1-day TTL
        assertThat(ledger.operation("old")).isEmpty();
        assertThat(ledger.claim("old", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
    }

    @Test
    void concurrentClaims_grantExactlyOne() throws Exception {
        Ledger ledger = ledger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ClaimResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> ledger.claim("race", Duration.ofMinutes(5))));
            }
            long acquired = 0;
            for (Future<ClaimResult> f : results) {
                acquired += f.get().status() == ClaimResult.Status.ACQUIRED ? 1 : 0;
            }
            assertThat(acquired).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pipelines_listEverySnapshotNewestFirst_withEachStep() {
        Ledger ledger = ledger();
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:a", "a", "policy", StepState.SKIPPED, "no policy matched");
        clock.advance(Duration.ofSeconds(1));
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:b", "b", "export:analytics", StepState.STARTED, "task t1");
        clock.advance(Duration.ofSeconds(1));
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:b", "b", "export:analytics", StepState.DONE, "complete");
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:b", "b", "acl:analytics", StepState.DONE, "12 objects");

        List<Pipeline> all = ledger.pipelines(10);
        assertThat(all).extracting(Pipeline::snapshotIdentifier).containsExactly("b", "a");
        Pipeline b = all.get(0);
        assertThat(b.steps()).extracting(Pipeline.Step::name).containsExactlyInAnyOrder("export:analytics", "acl:analytics");
        assertThat(b.steps()).filteredOn(s -> s.name().equals("export:analytics"))
                .singleElement().extracting(Pipeline.Step::state).isEqualTo(StepState.DONE);
        assertThat(ledger.pipelines(10).get(1).steps()).singleElement()
                .satisfies(s -> assertThat(s.detail()).isEqualTo("no policy matched"));
        assertThat(ledger.pipeline("a")).get().extracting(Pipeline::id).isEqualTo("arn:aws:rds:us-east-1:1:snapshot:a");
        assertThat(ledger.pipeline("arn:aws:rds:us-east-1:1:snapshot:b")).isPresent();
        assertThat(ledger.pipeline("nope")).isEmpty();
    }
}
