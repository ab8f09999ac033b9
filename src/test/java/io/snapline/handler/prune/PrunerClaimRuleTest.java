package io.snapline.handler.prune;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.testing.MutableClock;
import io.snapline.testing.PruneTestGateways;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.snapline.testing.PruneFixtures.exportPolicy;
import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.policy;
import static io.snapline.testing.PruneFixtures.snapshot;
import static io.snapline.testing.PruneFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pruning under the step runner's rule: a policy another run holds is waited for until the lease can
 * have lapsed, then taken over, never skipped silently; a cap is a permanent failure of the policy's
 * step, notified once; and every deletion, skip and give-up is recorded, counted and logged.
 */
class PrunerClaimRuleTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:snapline-prune";
    static final Duration LEASE = Duration.ofMinutes(5);
    static final String BUCKET = "exports-bucket";

    final MutableClock clock = new MutableClock(NOW);
    final PruneTestGateways aws = new PruneTestGateways();
    final TestLedger ledger = new TestLedger(clock);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final PrunePlans plans = new PrunePlans(ledger);
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger prunerLog = (Logger) LoggerFactory.getLogger(Pruner.class);

    @BeforeEach
    void captureLog() {
        log.start();
        prunerLog.addAppender(log);
        aws.crawlers.clock = clock;
    }

    @AfterEach
    void releaseLog() {
        prunerLog.detachAppender(log);
    }

    Pruner pruner(List<RetentionPolicy> policies, List<ExportRetentionProperties> exports) {
        return new Pruner(aws, ledger, meters, policies, exports, new PruneProperties(1000, TOPIC, 1000, LEASE), false,
                plans, clock, new DeleteRateLimiter(1_000_000, System::nanoTime, n -> { }));
    }

    Pruner pruner(RetentionPolicy... policies) {
        return pruner(List.of(policies), List.of());
    }

    /** orders: 10 managed daily snapshots (days 0..9); keep-last 5 deletes 5. */
    void orders() {
        for (int d = 0; d < 10; d++) {
            aws.snapshots.add(managed("snapline-orders-" + d, "orders", NOW.minus(Duration.ofDays(d))));
        }
    }

    static RetentionPolicy daily() {
        return policy("daily").sources("orders").keepLast(5).maxDeletePercent(60).build();
    }

    double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    Optional<Pipeline.Step> step(String pipelineId, String step) {
        return ledger.step(pipelineId, step);
    }

    List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aPolicyHeldByAnotherRun_isWaitedFor_untilTheLeaseCanHaveLapsed_thenTakenOver() {
        orders();
        Pruner pruner = pruner(daily());
        ledger.claim("prune#snapshots#daily", LEASE); // a run in another task, still within its lease
        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> new PruneAction(pruner).run(new Command("prune", Map.of(), false, Optional.empty())))
                .isInstanceOfSatisfying(NotReadyException.class, e -> {
                    assertThat(e.recheckAfter()).isEqualTo(Duration.ofMinutes(4).plus(Pruner.LEASE_MARGIN));
                    assertThat(e.getMessage()).contains("prune#snapshots#daily is held by another run")
                            .contains("lease until 2026-11-23T12:05:00Z");
                });

        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(plans.latest("snapshots", "daily")).as("nothing planned while waiting").isEmpty();
        assertThat(step("prune#snapshots#daily", "prune-snapshots:daily")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.WAITING);
            assertThat(s.detail()).contains("held by another run").contains("lease until 2026-11-23T12:05:00Z");
        });
        assertThat(count("snapline.steps", "stage", "prune-snapshots", "policy", "daily", "outcome", "recheck_later"))
                .isEqualTo(1);
        assertThat(lines(Level.INFO)).filteredOn(l -> l.contains("waits")).hasSize(1);

        // the re-check, once the holder's lease has lapsed: taken over
        clock.advance(Duration.ofMinutes(4).plus(Pruner.LEASE_MARGIN));
        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(report.deletedSnapshots()).isEqualTo(5);
        assertThat(step("prune#snapshots#daily", "prune-snapshots:daily")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.DONE);
            assertThat(s.detail()).contains("5 of 5 planned deleted").contains(report.plan().runId());
            assertThat(s.attempts()).isEqualTo(1);
        });
        assertThat(ledger.operation("prune#snapshots#daily")).as("lock released").isEmpty();
        assertThat(count("snapline.steps", "stage", "prune-snapshots", "policy", "daily", "outcome", "done")).isEqualTo(1);
        assertThat(count("snapline.prune.deletions", "kind", "snapshots", "policy", "daily", "result", "deleted"))
                .isEqualTo(5);
    }

    @Test
    void aRunWithOneHeldPolicy_takesNoneOfItsLocks_andDeletesNothing() {
        orders();
        for (int d = 0; d < 4; d++) {
            aws.snapshots.add(managed("snapline-billing-" + d, "billing", NOW.minus(Duration.ofDays(d))));
        }
        Pruner pruner = pruner(daily(), policy("billing").sources("billing").keepLast(2).build());
        ledger.claim("prune#snapshots#billing", LEASE);

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).isInstanceOf(NotReadyException.class)
                .hasMessageContaining("prune#snapshots#billing");

        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(ledger.operation("prune#snapshots#daily")).as("the free policy's lock is given back").isEmpty();
        assertThat(step("prune#snapshots#daily", "prune-snapshots:daily")).isEmpty();
    }

    @Test
    void theExportCompletedListener_cannotWait_soAHeldPolicyIsRecordedSkipped_countedAndLoggedOnce() {
        ExportTask old = export("exp-1", Duration.ofDays(3));
        ExportTask done = export("exp-2", Duration.ofDays(1));
        ExportRetentionProperties policy = exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"),
                null, 1, null);
        PruneOnExportCompleted listener = new PruneOnExportCompleted(pruner(List.of(), List.of(policy)), List.of(policy));
        ledger.claim("prune#exports#analytics", LEASE);

        listener.exportCompleted("analytics", "orders", done);

        assertThat(aws.objects.keys(BUCKET)).anyMatch(k -> k.startsWith(old.s3Folder()));
        assertThat(step(done.sourceArn(), "prune-exports:analytics")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.SKIPPED);
            assertThat(s.detail()).contains("export-completed:exp-2").contains("held by another run")
                    .contains("lease until 2026-11-23T12:05:00Z").contains("catches up");
        });
        assertThat(count("snapline.steps", "stage", "prune-exports", "policy", "analytics", "outcome", "skipped"))
                .isEqualTo(1);
        assertThat(lines(Level.WARN)).singleElement().satisfies(l -> assertThat(l).contains("not run, held by another run"));

        // once free, the next completed export prunes, and says so in its snapshot's pipeline
        ledger.release("prune#exports#analytics");
        listener.exportCompleted("analytics", "orders", done);
        assertThat(aws.objects.keys(BUCKET)).noneMatch(k -> k.startsWith(old.s3Folder()));
        assertThat(step(done.sourceArn(), "prune-exports:analytics")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.DONE);
            assertThat(s.detail()).contains("1 of 1 planned deleted");
        });
    }

    @Test
    void aCapExceeded_failsThatPolicysStepPermanently_notifiesOnce_andSkipsTheOthersWithTheReason() {
        orders();
        for (int d = 0; d < 4; d++) {
            aws.snapshots.add(managed("snapline-billing-" + d, "billing", NOW.minus(Duration.ofDays(d))));
        }
        Pruner pruner = pruner(policy("orders").sources("orders").keepLast(5).maxDeletes(2).build(),
                policy("billing").sources("billing").keepLast(2).build());

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.retention.orders.max-deletes");

        assertThat(aws.snapshots.deleteCalls.get()).isZero();
        assertThat(step("prune#snapshots#orders", "prune-snapshots:orders")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.FAILED);
            assertThat(s.detail()).contains("deleted nothing").contains("the cap is 2");
        });
        assertThat(step("prune#snapshots#billing", "prune-snapshots:billing")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.SKIPPED);
            assertThat(s.detail()).contains("refused because snapshots:orders exceeded a cap");
        });
        assertThat(aws.notifications.published).singleElement()
                .satisfies(n -> assertThat(n.subject()).contains("orders").contains("cap exceeded"));
        assertThat(count("snapline.steps", "stage", "prune-snapshots", "policy", "orders", "outcome", "failed"))
                .isEqualTo(1);
        assertThat(count("snapline.steps", "stage", "prune-snapshots", "policy", "billing", "outcome", "skipped"))
                .isEqualTo(1);
    }

    @Test
    void everyPlannedDeletion_isCountedByWhatBecameOfIt_andEachFailureIsLogged() {
        orders();
        aws.snapshots.describedAs.put("snapline-orders-6", snapshot("snapline-orders-6", "orders", "manual",
                "available", NOW.minus(Duration.ofDays(6)), Map.of())); // untagged since it was planned
        aws.snapshots.failDeletes.add("snapline-orders-7");
        Pruner pruner = pruner(daily());

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).isInstanceOf(RetryableProcessingException.class)
                .hasMessageContaining("snapline-orders-7");

        assertThat(count("snapline.prune.deletions", "kind", "snapshots", "policy", "daily", "result", "deleted"))
                .isEqualTo(3);
        assertThat(count("snapline.prune.deletions", "kind", "snapshots", "policy", "daily", "result", "changed"))
                .isEqualTo(1);
        assertThat(count("snapline.prune.deletions", "kind", "snapshots", "policy", "daily", "result", "failed"))
                .isEqualTo(1);
        assertThat(lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("snapline-orders-6").contains("untagged"))
                .anySatisfy(l -> assertThat(l).contains("deleting snapline-orders-7 failed"));
        assertThat(step("prune#snapshots#daily", "prune-snapshots:daily")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(StepState.WAITING);
            assertThat(s.detail()).startsWith("retrying: ").contains("3 of 5 planned deleted")
                    .contains("1 not deleted: changed since planning").contains("1 failed");
        });
        assertThat(count("snapline.steps", "stage", "prune-snapshots", "policy", "daily", "outcome", "retry"))
                .isEqualTo(1);
    }

    @Test
    void aFailedSummaryNotification_isCounted_andShownInThePolicysStep() {
        orders();
        aws.notifications.failWith = new IllegalStateException("SNS is down");

        assertThat(pruner(daily()).run(PruneRequest.all(false)).deletedSnapshots()).isEqualTo(5);

        assertThat(step("prune#snapshots#daily", "prune-snapshots:daily")).hasValueSatisfying(s ->
                assertThat(s.detail()).contains("the summary notification failed: SNS is down"));
        assertThat(count("snapline.prune.notifications", "kind", "snapshots", "policy", "daily", "result", "failed"))
                .isEqualTo(1);
        assertThat(lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("notification").contains("SNS is down"));
    }

    @Test
    void anExactSourceThatListsNothing_isNotedInThePlan() {
        orders();
        pruner(policy("daily").sources("orders", "ordrs").keepLast(5).maxDeletePercent(60).build())
                .run(PruneRequest.all(true));

        assertThat(plans.of("daily").get("snapshots:daily").notes()).singleElement()
                .satisfies(n -> assertThat(n).contains("ordrs").contains("listed no snapshot"));
    }

    // ------------------------------------------------------------ the crawl after export deletions

    ExportTask export(String taskId, Duration age) {
        String snapshotId = "snapline-" + taskId;
        aws.snapshots.add(managed(snapshotId, "orders", NOW.minus(age).minusSeconds(7200)));
        ExportTask t = task(taskId, snapshotId, "COMPLETE", BUCKET, "exports/orders", NOW.minus(age));
        aws.exports.add(t);
        aws.objects.put(BUCKET, t.s3Folder() + "db/public.t/1/part-0.gz.parquet");
        aws.objects.put(BUCKET, t.s3Folder() + "export_info_" + taskId + ".json");
        return t;
    }

    ExportRetentionProperties latestOnly() {
        return exportPolicy("analytics", BUCKET, "exports/{source}", List.of("orders"), null, 1, "lake-crawler");
    }

    @Test
    void aCrawlerThatCouldNotBeStarted_isStartedByTheNextRun_evenWithNothingLeftToDelete() {
        export("exp-1", Duration.ofDays(3));
        export("exp-2", Duration.ofDays(1));
        aws.crawlers.failStarts.add(new IllegalStateException("Glue is throttling"));
        Pruner pruner = pruner(List.of(), List.of(latestOnly()));

        assertThatThrownBy(() -> pruner.run(PruneRequest.all(false))).isInstanceOf(RetryableProcessingException.class)
                .hasMessageContaining("crawler lake-crawler not started").hasMessageContaining("Glue is throttling");
        assertThat(aws.crawlers.started).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        PruneReport retry = pruner.run(PruneRequest.all(false));
        assertThat(retry.deletedExports()).as("already deleted").isZero();
        assertThat(aws.crawlers.started).containsExactly("lake-crawler");

        aws.crawlers.finish("lake-crawler");
        pruner.run(PruneRequest.all(false));
        assertThat(aws.crawlers.started).as("paid: not started again").containsExactly("lake-crawler");
        assertThat(count("snapline.prune.crawls", "policy", "analytics", "result", "failed")).isEqualTo(1);
        assertThat(count("snapline.prune.crawls", "policy", "analytics", "result", "started")).isEqualTo(1);
    }

    @Test
    void aCrawlerBusyWithACrawlThatStartedBeforeTheDeletions_leavesTheCrawlOwed_untilTheNextRunStartsIt() {
        export("exp-1", Duration.ofDays(3));
        export("exp-2", Duration.ofDays(1));
        aws.crawlers.running.add("lake-crawler");
        aws.crawlers.lastStart.put("lake-crawler", NOW.minus(Duration.ofMinutes(10)));
        Pruner pruner = pruner(List.of(), List.of(latestOnly()));

        assertThat(pruner.run(PruneRequest.all(false)).deletedExports()).isEqualTo(1);
        assertThat(step("prune#exports#analytics", "prune-exports:analytics")).hasValueSatisfying(s ->
                assertThat(s.detail()).contains("crawl owed").contains("started before the deletions"));
        assertThat(count("snapline.prune.crawls", "policy", "analytics", "result", "owed")).isEqualTo(1);

        aws.crawlers.finish("lake-crawler");
        clock.advance(Duration.ofHours(1));
        pruner.run(PruneRequest.all(false));
        assertThat(aws.crawlers.lastStart.get("lake-crawler")).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(count("snapline.prune.crawls", "policy", "analytics", "result", "started")).isEqualTo(1);
    }

    @Test
    void afterAnExportTriggeredPrune_aCrawlThatStartedAfterTheDeletions_paysTheCrawl_withoutAnotherStart() {
        export("exp-1", Duration.ofDays(3));
        ExportTask done = export("exp-2", Duration.ofDays(1));
        Pruner pruner = pruner(List.of(), List.of(latestOnly()));
        new PruneOnExportCompleted(pruner, List.of(latestOnly())).exportCompleted("analytics", "orders", done);
        assertThat(aws.crawlers.started).as("the export pipeline starts it").isEmpty();
        aws.crawlers.lastStart.put("lake-crawler", NOW.plus(Duration.ofSeconds(30))); // the pipeline's crawl

        clock.advance(Duration.ofHours(1));
        pruner.run(PruneRequest.all(false));

        assertThat(aws.crawlers.started).isEmpty();
        assertThat(count("snapline.prune.crawls", "policy", "analytics", "result", "found")).isEqualTo(1);
    }
}
