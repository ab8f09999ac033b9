package io.snapline.ledger;

import io.snapline.testing.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every ledger must do, run against each implementation: {@code EmbeddedLedger},
 * {@code DynamoDbLedger} (DynamoDB Local), {@code DryRunLedger} around one, and the tests' own
 * {@code TestLedger}. {@link #clock} is the clock the ledger under test reads; the ledgers keep
 * completed records for one day.
 *
 * <p>Hostile strings are the point of half of it: whatever a message can carry must be stored
 * under a key and found again under that key only, with results read back exactly and names in the
 * stored form {@link LedgerKeys} defines.
 */
abstract class LedgerContract {

    static final Duration LEASE = Duration.ofMinutes(5);
    static final String BIG = "k".repeat(256 * 1024);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<Ledger> opened = new CopyOnWriteArrayList<>();

    /** A new, empty ledger on {@link #clock}, with a one-day completed-record TTL. */
    abstract Ledger create();

    /** The detail a step recorded with {@code given} reads back with. */
    String storedDetail(String given) {
        return LedgerValues.detail(given);
    }

    final Ledger ledger() {
        Ledger ledger = create();
        opened.add(ledger);
        return ledger;
    }

    @AfterEach
    @AfterTry
    void closeLedgers() {
        opened.forEach(Ledger::close);
        opened.clear();
    }

    // ---- claims ----

    @Test
    void claim_isGrantedOnce_andCompletedWorkAnswersAlreadyDone() {
        Ledger ledger = ledger();
        assertThat(ledger.claim("export#arn:a#p", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim("export#arn:a#p", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);

        ledger.complete("export#arn:a#p", "task-1");

        ClaimResult again = ledger.claim("export#arn:a#p", LEASE);
        assertThat(again.status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
        assertThat(again.result()).contains("task-1");
        assertThat(ledger.operation("export#arn:a#p")).get().extracting(OperationRecord::completed).isEqualTo(true);
    }

    @Test
    void inProgress_answersWhenItsLeaseLapses_andALapsedLeaseIsTakenOver() {
        Ledger ledger = ledger();
        Instant claimedAt = clock.instant();
        ledger.claim("k", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));

        ClaimResult held = ledger.claim("k", Duration.ofSeconds(30));
        assertThat(held.status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(held.leaseUntil()).contains(claimedAt.plusSeconds(30));
        assertThat(ledger.operation("k")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(OperationRecord.State.IN_PROGRESS);
            assertThat(r.expiresAt()).isEqualTo(claimedAt.plusSeconds(30));
        });

        clock.advance(Duration.ofSeconds(2));
        assertThat(ledger.claim("k", Duration.ofSeconds(30)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim("k", Duration.ofSeconds(30)).leaseUntil()).contains(clock.instant().plusSeconds(30));
    }

    @Test
    void release_letsARetryClaimAtOnce_butNeverUndoesCompletedOrFailedWork() {
        Ledger ledger = ledger();
        ledger.claim("a", LEASE);
        ledger.release("a");
        assertThat(ledger.claim("a", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        ledger.complete("a", "done");
        ledger.release("a");
        assertThat(ledger.claim("a", LEASE).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);

        ledger.claim("b", LEASE);
        ledger.fail("b", "bucket owner mismatch");
        ledger.release("b");
        assertThat(ledger.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.FAILED);
    }

    @Test
    void failed_staysFailedForItsDuplicates_withItsReason_untilAClaimAsksToRetry() {
        Ledger ledger = ledger();
        ledger.claim("export#arn:s#p", LEASE);
        ledger.fail("export#arn:s#p", "ExportTaskAlreadyExists for another source");

        ClaimResult duplicate = ledger.claim("export#arn:s#p", LEASE);
        assertThat(duplicate.status()).isEqualTo(ClaimResult.Status.FAILED);
        assertThat(duplicate.result()).contains("ExportTaskAlreadyExists for another source");
        assertThat(ledger.claim("export#arn:s#p", LEASE, false).status()).isEqualTo(ClaimResult.Status.FAILED);
        assertThat(ledger.operation("export#arn:s#p")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(OperationRecord.State.FAILED);
            assertThat(r.result()).contains("ExportTaskAlreadyExists for another source");
        });

        assertThat(ledger.claim("export#arn:s#p", LEASE, true).status())
                .as("a redriven dead letter retries").isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim("export#arn:s#p", LEASE, true).status())
                .as("and holds the lease like any claim").isEqualTo(ClaimResult.Status.IN_PROGRESS);
        ledger.complete("export#arn:s#p", "task-2");
        assertThat(ledger.claim("export#arn:s#p", LEASE, true).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
    }

    @Test
    void retryFailed_neverTakesOverALiveLease_norRedoesCompletedWork() {
        Ledger ledger = ledger();
        ledger.claim("held", LEASE);
        assertThat(ledger.claim("held", LEASE, true).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        ledger.claim("done", LEASE);
        ledger.complete("done", "r");
        assertThat(ledger.claim("done", LEASE, true).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
    }

    @Test
    void completedAndFailedRecords_expireAfterTheirTtl() {
        Ledger ledger = ledger();
        ledger.claim("old", LEASE);
        ledger.complete("old", "x");
        ledger.claim("broken", LEASE);
        ledger.fail("broken", "why");
        clock.advance(Duration.ofDays(2));
        assertThat(ledger.operation("old")).isEmpty();
        assertThat(ledger.operation("broken")).isEmpty();
        assertThat(ledger.claim("old", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim("broken", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
    }

    @Test
    void concurrentClaims_grantExactlyOne() throws Exception {
        Ledger ledger = ledger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> ledger.claim("race", LEASE)));
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

    // ---- pipelines ----

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
                .satisfies(s -> assertThat(s.detail()).isEqualTo(storedDetail("no policy matched")));
        assertThat(ledger.pipeline("a")).get().extracting(Pipeline::id).isEqualTo("arn:aws:rds:us-east-1:1:snapshot:a");
        assertThat(ledger.pipeline("arn:aws:rds:us-east-1:1:snapshot:b")).isPresent();
        assertThat(ledger.pipeline("nope")).isEmpty();
    }

    /** Every page in turn, from the first, until a page has no next cursor. */
    static List<List<Pipeline>> allPages(Ledger ledger, PipelineQuery first) {
        List<List<Pipeline>> pages = new ArrayList<>();
        PipelineQuery query = first;
        for (int guard = 0; guard < 1000; guard++) {
            PipelinePage page = ledger.pipelines(query);
            pages.add(page.pipelines());
            if (page.next().isEmpty()) {
                return pages;
            }
            query = query.after(page.next().get());
        }
        throw new AssertionError("the pages never end");
    }

    @Test
    void pages_listEveryPipelineOnce_newestFirst_acrossDays_andInPagesOfTheLimit() {
        Ledger ledger = ledger();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = "arn:aws:rds:us-east-1:1:snapshot:s" + i;
            ledger.recordStep(id, "s" + i, "export:p", StepState.DONE, "ok");
            written.add(0, id);
            // two at the same instant now and then, and midnight crossed (within the one-day TTL)
            clock.advance(i % 4 == 0 ? Duration.ZERO : Duration.ofMinutes(50));
        }

        List<List<Pipeline>> pages = allPages(ledger, PipelineQuery.first(5));
        assertThat(pages).allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(5));
        assertThat(pages.get(0)).hasSize(5);
        List<Pipeline> all = pages.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(Pipeline::id).containsExactlyInAnyOrderElementsOf(written).doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).updatedAt()).isBeforeOrEqualTo(all.get(i - 1).updatedAt());
        }
        assertThat(pages.get(0).get(0).id()).isEqualTo(written.get(0));
    }

    @Test
    void pages_followAnUpdatedPipeline_toTheTop() {
        Ledger ledger = ledger();
        ledger.recordStep("arn:old", "old", "export:p", StepState.STARTED, "t");
        clock.advance(Duration.ofDays(2));
        ledger.recordStep("arn:new", "new", "export:p", StepState.STARTED, "t");
        clock.advance(Duration.ofMinutes(1));
        ledger.recordStep("arn:old", "old", "export:p", StepState.DONE, "complete");

        assertThat(ledger.pipelines(PipelineQuery.first(50)).pipelines()).extracting(Pipeline::id)
                .containsExactly("arn:old", "arn:new");
    }

    @Test
    void pages_searchTheIdAndIdentifier_caseInsensitively_andFilterFailedOrWaiting() {
        Ledger ledger = ledger();
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:rds:orders-db-2026-11-23", "rds:orders-db-2026-11-23",
                "export:p", StepState.FAILED, "KMS key disabled");
        clock.advance(Duration.ofSeconds(1));
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:rds:users-db-2026-11-23", "rds:users-db-2026-11-23",
                "export:p", StepState.WAITING, "snapshot not available yet");
        clock.advance(Duration.ofSeconds(1));
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:manual-orders", "manual-orders",
                "export:p", StepState.DONE, "complete");

        assertThat(ids(ledger, "ORDERS", PipelineQuery.Filter.ALL)).containsExactly("manual-orders",
                "rds:orders-db-2026-11-23");
        assertThat(ids(ledger, null, PipelineQuery.Filter.FAILED)).containsExactly("rds:orders-db-2026-11-23");
        assertThat(ids(ledger, null, PipelineQuery.Filter.WAITING)).containsExactly("rds:users-db-2026-11-23");
        assertThat(ids(ledger, "users", PipelineQuery.Filter.FAILED)).isEmpty();
        assertThat(ids(ledger, "snapshot:manual", PipelineQuery.Filter.ALL)).containsExactly("manual-orders");
    }

    @Test
    void pages_refuseACursorTheyDidNotWrite() {
        Ledger ledger = ledger();
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "ok");
        assertThatThrownBy(() -> ledger.pipelines(new PipelineQuery(5, java.util.Optional.of("not a cursor\ud800"),
                java.util.Optional.empty(), PipelineQuery.Filter.ALL))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> ids(Ledger ledger, String search, PipelineQuery.Filter filter) {
        return allPages(ledger, new PipelineQuery(2, java.util.Optional.empty(), java.util.Optional.ofNullable(search),
                filter)).stream().flatMap(List::stream).map(Pipeline::snapshotIdentifier).toList();
    }

    @Test
    void stepAttempts_countTheRunsOfAStep_andOtherRecordsKeepTheCount() {
        Ledger ledger = ledger();
        ledger.recordStep("arn:s", "s", "export:p", StepState.WAITING, "snapshot not available yet", true);
        clock.advance(Duration.ofSeconds(1));
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "task t", true);
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "complete");
        ledger.recordStep("arn:s", "s", "acl:p", StepState.DONE, "ok", true);

        Pipeline p = ledger.pipeline("arn:s").orElseThrow();
        assertThat(p.steps()).filteredOn(s -> s.name().equals("export:p")).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(StepState.DONE);
            assertThat(s.attempts()).isEqualTo(2);
        });
        assertThat(p.steps()).filteredOn(s -> s.name().equals("acl:p")).singleElement()
                .extracting(Pipeline.Step::attempts).isEqualTo(1);
        assertThat(p.firstSeen()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(p.updatedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:01Z"));
    }

    @Test
    void health_isUp_andNamesTheStore() {
        LedgerHealth health = ledger().health();
        assertThat(health.up()).isTrue();
        assertThat(health.store()).isNotBlank();
        assertThat(health.problem()).isEmpty();
    }

    // ---- hostile keys and values ----

    static Stream<String> hostile() {
        return Stream.of(
                "\ud800",
                "snapshot-created#arn:aws:rds:us-east-1:1:snapshot:\ud800#RDS-EVENT-0042",
                "half a pair \ud83d at the end \udbff",
                "nul\u0000byte",
                "line\nbreak\r\nand\ttab",
                "../../etc/passwd",
                "arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-23-10-00",
                "",
                "\ufffe\uffff\u007f\u0085\u2028",
                "emoji 😀 and ideographs 日本語",
                BIG,
                BIG.substring(1) + "\ud800",
                "é".repeat(100_000),
                LedgerKeys.of("a\ud800"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void anyKeyAndResult_areStored_andReadBackExactly(String text) {
        Ledger ledger = ledger();
        assertThat(ledger.claim(text, LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim(text, LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        ledger.complete(text, text);

        ClaimResult done = ledger.claim(text, LEASE);
        assertThat(done.status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
        assertThat(done.result()).as("a result is read back by code: exactly").contains(text);
        assertThat(ledger.operation(text)).get().satisfies(r -> {
            assertThat(r.key()).isEqualTo(text);
            assertThat(r.result()).contains(text);
        });

        ledger.claim("failed#" + text, LEASE);
        ledger.fail("failed#" + text, text);
        assertThat(ledger.claim("failed#" + text, LEASE).result()).contains(LedgerValues.reason(text));
        ledger.claim("released#" + text, LEASE);
        ledger.release("released#" + text);
        assertThat(ledger.claim("released#" + text, LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.health().up()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void anyPipelineId_identifier_stepAndDetail_areStored_andReadBackInTheirStoredForm(String text) {
        Ledger ledger = ledger();
        ledger.recordStep(text, text, text, StepState.STARTED, text, true);
        ledger.recordStep(text, text, "acl", StepState.DONE, "ok");

        Pipeline p = ledger.pipeline(text).orElseThrow();
        assertThat(p.id()).isEqualTo(LedgerKeys.of(text));
        assertThat(p.snapshotIdentifier()).isEqualTo(LedgerKeys.of(text));
        assertThat(p.steps()).filteredOn(s -> !s.name().equals("acl")).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(LedgerKeys.of(text));
            assertThat(s.detail()).isEqualTo(storedDetail(text));
            assertThat(s.attempts()).isEqualTo(1);
        });
        assertThat(ledger.pipeline(p.id())).as("found by the id /pipelines lists").get()
                .extracting(Pipeline::id).isEqualTo(p.id());
        assertThat(ledger.pipelines(10)).extracting(Pipeline::id).containsExactly(p.id());
        assertThat(ledger.health().up()).isTrue();
    }

    @Test
    void keysThatDifferOnlyInALoneSurrogate_orAfterALongPrefix_neverShareARecord() {
        List<String> keys = List.of("a\ud800", "a\udbff", "a\udc00", "a?", "a\ufffd", "a",
                LedgerKeys.of("a\ud800"), LedgerKeys.of(LedgerKeys.of("a\ud800")),
                BIG, BIG.substring(0, 255 * 1024), BIG + "\ud800", BIG.substring(1) + "j",
                "x".repeat(LedgerKeys.MAX_PLAIN_BYTES), "x".repeat(LedgerKeys.MAX_PLAIN_BYTES + 1));
        Ledger ledger = ledger();
        for (int i = 0; i < keys.size(); i++) {
            assertThat(ledger.claim(keys.get(i), LEASE).status()).as("key %d is new", i).isEqualTo(ClaimResult.Status.ACQUIRED);
            ledger.complete(keys.get(i), "result " + i);
            ledger.recordStep(keys.get(i), "identifier " + i, "step", StepState.DONE, "detail " + i);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(ledger.claim(keys.get(i), LEASE).result()).as("key %d", i).contains("result " + i);
            String detail = storedDetail("detail " + i);
            assertThat(ledger.pipeline(keys.get(i))).as("pipeline %d", i).get().satisfies(p ->
                    assertThat(p.steps()).singleElement().extracting(Pipeline.Step::detail).isEqualTo(detail));
        }
        assertThat(ledger.pipelines(100)).hasSize(keys.size());
    }

    @Test
    void aResultTooLongToKeepExactly_isRefused_andTheClaimStaysAsItWas() {
        Ledger ledger = ledger();
        ledger.claim("big", LEASE);
        String tooLong = "日".repeat(LedgerValues.MAX_RESULT_BYTES / 3 + 1);

        assertThatThrownBy(() -> ledger.complete("big", tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(LedgerValues.MAX_RESULT_BYTES));
        assertThat(ledger.claim("big", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        ledger.complete("big", "日".repeat(LedgerValues.MAX_RESULT_BYTES / 3));
        assertThat(ledger.claim("big", LEASE).result()).contains("日".repeat(LedgerValues.MAX_RESULT_BYTES / 3));
    }

    /**
     * Whatever is stored under a key is found again under it, and a key never stored before finds
     * nothing: if two different keys met in the store, the second claim would find the first's record.
     */
    @Property(tries = 60)
    void whateverIsStoredUnderAKey_isFoundUnderThatKey_andNoOtherKeyMeetsIt(@ForAll("relatedKeys") List<String> keys) {
        Ledger ledger = ledger();
        List<String> distinct = keys.stream().distinct().toList();
        for (int i = 0; i < distinct.size(); i++) {
            String key = distinct.get(i);
            assertThat(ledger.claim(key, LEASE).status()).as("new key %d", i).isEqualTo(ClaimResult.Status.ACQUIRED);
            ledger.complete(key, i + "|" + key);
            ledger.recordStep(key, key, key, StepState.DONE, "detail " + i);
        }
        for (int i = 0; i < distinct.size(); i++) {
            String key = distinct.get(i);
            assertThat(ledger.claim(key, LEASE).result()).as("key %d", i).contains(i + "|" + key);
            assertThat(ledger.operation(key)).get().extracting(OperationRecord::key).isEqualTo(key);
            Pipeline p = ledger.pipeline(key).orElseThrow();
            assertThat(p.id()).isEqualTo(LedgerKeys.of(key));
            assertThat(p.steps()).singleElement().extracting(Pipeline.Step::detail).isEqualTo(storedDetail("detail " + i));
        }
        assertThat(ledger.pipelines(1_000)).hasSize(distinct.size());
    }

    /** Random strings (any UTF-16 unit, lone surrogates included) and the near-misses that break stores. */
    @Provide
    Arbitrary<List<String>> relatedKeys() {
        Arbitrary<String> base = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("a:#/.\u0000\n\ud800\udc00\udbff?\ufffd😀").ofMaxLength(12),
                Arbitraries.strings().ascii().ofMinLength(LedgerKeys.MAX_PLAIN_BYTES - 2).ofMaxLength(LedgerKeys.MAX_PLAIN_BYTES + 2),
                Arbitraries.integers().between(200_000, 262_144).map("z"::repeat));
        Arbitrary<String> other = Arbitraries.strings().all().ofMaxLength(20);
        return Combinators.combine(base, other).as((b, o) -> List.of(b,
                b + "\ud800", b + "\udbff", b + "?", b + "\ufffd", b + "\u0000",
                b.isEmpty() ? "\udc00" : b.substring(0, b.length() - 1),
                LedgerKeys.of(b), LedgerKeys.of(b + "\ud800"), o));
    }
}
