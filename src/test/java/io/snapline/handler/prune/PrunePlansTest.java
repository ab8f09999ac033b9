package io.snapline.handler.prune;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapline.config.PruneProperties;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.EmbeddedLedger;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import io.snapline.testing.PruneTestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.policy;
import static io.snapline.testing.PruneFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan store over the real embedded ledger on a journal file: a 10,000-snapshot plan is stored in
 * bounded pages, a new ledger and store over the same journal (a restart) read the whole plan back
 * equal, and the plan log line stays short and says where the plan is.
 */
class PrunePlansTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    Path journal;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger planLog = (Logger) LoggerFactory.getLogger("io.snapline.prune.plan");

    @BeforeEach
    void setUp() throws Exception {
        journal = Files.createTempDirectory("snapline-plans").resolve("ledger.jsonl");
        log.start();
        planLog.addAppender(log);
    }

    @AfterEach
    void tearDown() {
        planLog.detachAppender(log);
    }

    EmbeddedLedger ledger() {
        return new EmbeddedLedger(journal, Duration.ofDays(30), Clock.systemUTC());
    }

    /** 10,000 snapshots of 20 sources: a tenth managed; 200 to delete, the rest kept or protected. */
    static PruneTestGateways tenThousandSnapshots() {
        PruneTestGateways aws = new PruneTestGateways();
        for (int i = 0; i < 10_000; i++) {
            String src = "db-" + (i / 10 % 20);
            Instant t = NOW.minus(Duration.ofHours(i));
            if (i % 10 == 0) {
                aws.snapshots.add(managed("snapline-" + i, src, t));
            } else {
                aws.snapshots.add(snapshot("rds:" + src + "-" + i, src, "automated", "available", t, Map.of()));
            }
        }
        return aws;
    }

    static Pruner pruner(PruneTestGateways aws, Ledger ledger, PrunePlans plans) {
        return new Pruner(aws, ledger, List.of(policy("all").sources("db-*").scope("instance").keepLast(40)
                .maxDeletes(1000).build()), List.of(), PruneProperties.defaults(), false, plans,
                Clock.fixed(NOW, ZoneOffset.UTC), new DeleteRateLimiter(1e9, System::nanoTime, n -> { }));
    }

    @Test
    void aTenThousandSnapshotPlan_isStoredInBoundedPages_andReadBackWholeAfterARestart() throws Exception {
        PruneTestGateways aws = tenThousandSnapshots();
        PolicyPlan planned;
        try (EmbeddedLedger ledger = ledger()) {
            PruneReport report = pruner(aws, ledger, new PrunePlans(ledger)).run(PruneRequest.all(false));
            assertThat(report.deletedSnapshots()).isEqualTo(200);
            planned = report.plan().policies().get(0);
        }
        String document = PrunePlans.document(planned);
        assertThat(document.length()).as("about the 259,157 characters of the issue's one-line plan").isGreaterThan(240_000);

        // "restart": a new ledger replays the journal, a new store reads it
        try (EmbeddedLedger restarted = ledger()) {
            PrunePlans store = new PrunePlans(restarted);
            PrunePlans.Stored stored = store.latest("snapshots", "all").orElseThrow();
            assertThat(stored.pages()).isEqualTo((document.length() + PrunePlans.PAGE_CHARS - 1) / PrunePlans.PAGE_CHARS)
                    .isGreaterThan(3);
            for (int i = 0; i < stored.pages(); i++) {
                String page = store.page(stored, i).orElseThrow();
                assertThat(page.length()).isLessThanOrEqualTo(PrunePlans.PAGE_CHARS);
                assertThat(page.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
            }
            assertThat(store.of("all")).containsOnlyKeys("snapshots:all");
            assertThat(store.of("all").get("snapshots:all")).isEqualTo(planned);
            assertThat(store.document(stored)).isEqualTo(document);
            assertThat(store.run("snapshots", "all", stored.runId())).contains(stored);
        }
        // every journal line stays bounded: a page and its envelope
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(3 * PrunePlans.PAGE_CHARS);
        }
    }

    @Test
    void thePlanLogLine_isBounded_andNamesWhereThePlanIs() {
        PruneTestGateways aws = tenThousandSnapshots();
        try (EmbeddedLedger ledger = ledger()) {
            PrunePlans plans = new PrunePlans(ledger);
            PruneReport report = pruner(aws, ledger, plans).run(PruneRequest.all(true));

            assertThat(log.list).singleElement().satisfies(e -> {
                String line = e.getFormattedMessage();
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
                assertThat(line).doesNotContain("\n").contains(report.plan().runId())
                        .contains("plan#snapshots#all#" + report.plan().runId() + "#0..")
                        .contains("GET /prune/plan").contains("would delete 200");
            });
        }
    }

    @Test
    void thePlanLogLine_staysBounded_withManyPolicies() {
        List<PolicyPlan> many = new java.util.ArrayList<>();
        List<PrunePlans.Stored> stored = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = "policy-with-a-rather-long-name-" + i;
            many.add(new PolicyPlan(name, "snapshots", NOW, false, "command", List.of(), List.of(), List.of(), 0,
                    List.of(), List.of()));
            stored.add(new PrunePlans.Stored("snapshots", name, "r", NOW, "command", false, 0, 0, 0, 1, 10, "x"));
        }
        String line = Pruner.planLine(new RunPlan("r", NOW, "command", false, many), stored);
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
        assertThat(line).containsPattern("and 2\\d\\d more policies").contains("policy-with-a-rather-long-name-0");
    }

    @Test
    void hostileText_inAPlan_isStoredAsAscii_andReadBackEqual() {
        String hostile = "exports/x\uD800y/\"quoted\"\n\u0000nul/\uD83D\uDE00/ü/";
        PolicyPlan plan = new PolicyPlan("hostile", "exports", NOW, true, "command\u2028", List.of(), List.of(),
                List.of(hostile), 1, List.of(), List.of("note \uDFFF"));
        try (EmbeddedLedger ledger = ledger()) {
            new PrunePlans(ledger).put(new RunPlan("00000000-0000-0000-0000-000000000001", NOW, "command", true,
                    List.of(plan)));
        }
        try (EmbeddedLedger restarted = ledger()) {
            PrunePlans store = new PrunePlans(restarted);
            PrunePlans.Stored stored = store.latest("exports", "hostile").orElseThrow();
            assertThat(store.page(stored, 0).orElseThrow().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
            assertThat(store.plan(stored)).isEqualTo(plan);
        }
    }

    @Test
    void aPageThatIsGone_makesThePlanUnreadable_neverHalfRead() {
        Ledger ledger = new ForgetfulLedger(ledger(), "#1");
        PrunePlans store = new PrunePlans(ledger);
        PolicyPlan big = pruner(tenThousandSnapshots(), ledger, store).run(PruneRequest.all(true)).plan().policies().get(0);
        PrunePlans.Stored stored = store.latest("snapshots", "all").orElseThrow();

        assertThat(big.deleteCount()).isEqualTo(200);
        assertThatThrownBy(() -> store.plan(stored)).isInstanceOf(PrunePlans.UnreadablePlanException.class)
                .hasMessageContaining("page 1 of").hasMessageContaining(stored.pageKey(1));
    }

    @Test
    void aPlanThatCannotBeStored_stopsTheRunBeforeAnythingIsDeleted() {
        PruneTestGateways aws = tenThousandSnapshots();
        Ledger ledger = new FailingPlanWrites(ledger());
        Pruner pruner = pruner(aws, ledger, new PrunePlans(ledger));

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).hasMessageContaining("journal is full");

        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(ledger.operation(Pruner.lockKey("snapshots", "all"))).as("lock released").isEmpty();
    }

    @Test
    void aPolicyNameFromAUrl_thatIsNotAPlanKind_orTooLong_isNeverLookedUp() {
        try (EmbeddedLedger ledger = ledger()) {
            PrunePlans store = new PrunePlans(ledger);
            assertThat(store.latest("other", "daily")).isEmpty();
            assertThat(store.latest("snapshots", "x".repeat(10_000))).isEmpty();
            assertThat(store.run("snapshots", "daily", "../../etc")).isEmpty();
        }
    }

    /** A ledger whose completed records under keys ending in {@code suffix} are gone (expired, say). */
    static final class ForgetfulLedger extends Delegating {
        private final String suffix;

        ForgetfulLedger(Ledger delegate, String suffix) {
            super(delegate);
            this.suffix = suffix;
        }

        @Override
        public Optional<OperationRecord> operation(String operationKey) {
            return operationKey.endsWith(suffix) ? Optional.empty() : super.operation(operationKey);
        }
    }

    /** A ledger that cannot write plan pages. */
    static final class FailingPlanWrites extends Delegating {
        FailingPlanWrites(Ledger delegate) {
            super(delegate);
        }

        @Override
        public void complete(String operationKey, String result) {
            if (operationKey.startsWith("plan#")) {
                throw new java.io.UncheckedIOException(new java.io.IOException("the ledger journal is full"));
            }
            super.complete(operationKey, result);
        }
    }

    /** Passes everything to the real ledger; subclasses change one answer. */
    static class Delegating implements Ledger {
        private final Ledger delegate;

        Delegating(Ledger delegate) {
            this.delegate = delegate;
        }

        @Override
        public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
            return delegate.claim(operationKey, lease, retryFailed);
        }

        @Override
        public void complete(String operationKey, String result) {
            delegate.complete(operationKey, result);
        }

        @Override
        public void fail(String operationKey, String reason) {
            delegate.fail(operationKey, reason);
        }

        @Override
        public void release(String operationKey) {
            delegate.release(operationKey);
        }

        @Override
        public Optional<OperationRecord> operation(String operationKey) {
            return delegate.operation(operationKey);
        }

        @Override
        public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state,
                               String detail, boolean attempt) {
            delegate.recordStep(pipelineId, snapshotIdentifier, step, state, detail, attempt);
        }

        @Override
        public Optional<Pipeline> pipeline(String idOrIdentifier) {
            return delegate.pipeline(idOrIdentifier);
        }

        @Override
        public io.snapline.ledger.PipelinePage pipelines(io.snapline.ledger.PipelineQuery query) {
            return delegate.pipelines(query);
        }

        @Override
        public io.snapline.ledger.LedgerHealth health() {
            return delegate.health();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
