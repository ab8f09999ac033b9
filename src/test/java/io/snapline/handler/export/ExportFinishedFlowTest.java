package io.snapline.handler.export;

import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.Outcome;
import io.snapline.ledger.StepState;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportFinishedFlowTest {

    private static final String SNAP = "rds:orders-2024-03-01-00-00";
    private ExportFixture f;
    private String arn;
    private String taskId;

    @AfterEach
    void close() {
        f.close();
    }

    /** A started export of SNAP under the given policy, finished by RDS with {@code files} data files. */
    private void exportFinished(TestPolicies policy, String status, int files) throws Exception {
        f = new ExportFixture(policy.build());
        arn = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres").arn();
        f.created.handle(ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED));
        taskId = f.onlyTask().taskId();
        f.clock.advance(Duration.ofMinutes(30));
        f.aws.finishExport(taskId, status, status.equals("COMPLETE") ? null : "The S3 bucket isn't in the current Region", files);
        f.clock.advance(Duration.ofMinutes(1));
    }

    private Outcome finishedEvent() throws Exception {
        return f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.COMPLETED));
    }

    private String folder() {
        return f.onlyTask().s3Folder();
    }

    @Test
    void perObject_grantsEveryObject_includingTheJsonFiles_acrossPages() throws Exception {
        exportFinished(policy().aclMode("per-object").batchRoleArn(null), "COMPLETE", 7);
        f.aws.pageSize = 3;

        Outcome outcome = finishedEvent();

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.ungranted("exports-bucket", folder())).isEmpty();
        assertThat(f.aws.aclCalls).hasSize(9)
                .contains(folder() + "export_info_" + taskId + ".json",
                        folder() + "export_tables_info_" + taskId + "_from_1_to_1.json");
        assertThat(f.aws.listCalls).containsOnly("exports-bucket/" + folder());
        assertThat(f.ledger.step(arn, "acl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.DONE);
        assertThat(f.ledger.step(arn, "export:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.DONE);
    }

    @Test
    void duplicateFinishedEvent_hasNoSecondEffect() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 4);

        finishedEvent();
        f.aws.finishCrawl("orders-crawler");
        Outcome again = finishedEvent();

        assertThat(again.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.aws.aclCalls).hasSize(6);
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.aws.published).filteredOn(p -> p.body().contains("export-completed")).hasSize(1);
        assertThat(f.listenerCalls).containsExactly("analytics|orders|" + taskId);
    }

    @Test
    void auto_bucketOwnerEnforced_isAlreadyDone_withoutAclCalls() throws Exception {
        exportFinished(policy(), "COMPLETE", 4);
        f.aws.ownership.put("exports-bucket", "BucketOwnerEnforced");

        assertThat(f.acl.rewrite(f.pipeline.subject(f.policies.all().get(0), f.onlyTask()), f.onlyTask()).status())
                .isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.aws.aclCalls).isEmpty();
        assertThat(f.aws.listCalls).isEmpty();
        assertThat(f.aws.jobRequests).isEmpty();
    }

    @Test
    void auto_belowThreshold_isPerObject() throws Exception {
        exportFinished(policy().aclBatchThreshold(10L), "COMPLETE", 8);
        f.aws.ownership.put("exports-bucket", "ObjectWriter");

        finishedEvent();

        assertThat(f.aws.aclCalls).hasSize(10);
        assertThat(f.aws.jobRequests).isEmpty();
    }

    @Test
    void auto_aboveThreshold_isBatch_andStopsCountingAtTheThreshold() throws Exception {
        exportFinished(policy().aclBatchThreshold(10L), "COMPLETE", 50);
        f.aws.pageSize = 5;

        Outcome outcome = finishedEvent();

        assertThat(outcome.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.aws.aclCalls).isEmpty();
        assertThat(f.aws.jobRequests).singleElement().satisfies(r -> {
            assertThat(r.accountId()).isEqualTo("111111111111");
            assertThat(r.bucket()).isEqualTo("exports-bucket");
            assertThat(r.prefix()).isEqualTo(folder());
            assertThat(r.clientRequestToken()).isEqualTo("acl-" + taskId).hasSizeLessThanOrEqualTo(64);
            assertThat(r.reportPrefix()).isEqualTo(folder().substring(0, folder().length() - 1) + "-acl-report");
            assertThat(r.roleArn()).isEqualTo(policy().batchRoleArn);
        });
    }

    @Test
    void batch_waits_thenJobEventFinishesTheAclStep_andStartsTheCrawler() throws Exception {
        exportFinished(policy().aclMode("batch"), "COMPLETE", 5);

        Outcome first = finishedEvent();
        assertThat(first.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.ledger.step(arn, "acl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.WAITING);
        assertThat(f.aws.crawler("orders-crawler").starts).isEmpty();
        String jobId = f.aws.jobsByToken.get("acl-" + taskId);

        // the delayed re-check while the job still runs: no second job
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.aws.jobs).hasSize(1);

        f.aws.finishJob(jobId, "Complete", 7, 0);
        Outcome done = f.batchJobs.handle(new BatchJobStatusChanged(jobId, "Complete", Optional.of("111111111111"),
                List.of(), Instant.now()));

        assertThat(done.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.ledger.completed(AclRewriter.aclKey(taskId))).isTrue();
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.listenerCalls).hasSize(1);
    }

    @Test
    void batch_completeWithFailedTasks_isPermanent_andNotified() throws Exception {
        exportFinished(policy().aclMode("batch"), "COMPLETE", 5);
        finishedEvent();
        String jobId = f.aws.jobsByToken.get("acl-" + taskId);
        f.aws.finishJob(jobId, "Complete", 5, 2);

        assertThatThrownBy(() -> f.batchJobs.handle(new BatchJobStatusChanged(jobId, "Complete", Optional.empty(),
                List.of(), Instant.now())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("2 of 7 tasks failed");
        assertThat(f.ledger.step(arn, "acl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.FAILED);
        assertThat(f.aws.published).anySatisfy(p -> assertThat(p.body()).contains("pipeline-error").contains("2 of 7 tasks failed"));
        assertThat(f.aws.crawler("orders-crawler").starts).isEmpty();
        assertThat(f.listenerCalls).isEmpty();
    }

    @Test
    void batchEvent_forSomeoneElsesJob_isSkipped() throws Exception {
        exportFinished(policy(), "COMPLETE", 1);
        assertThat(f.batchJobs.handle(new BatchJobStatusChanged("other", "Complete", Optional.empty(), List.of(), Instant.now()))
                .status()).isEqualTo(Outcome.Status.SKIPPED);
    }

    @Test
    void crawlerRunning_waits_thenReCheckStartsItOnceReady() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 3);
        var crawler = f.aws.crawler("orders-crawler");
        crawler.state = "RUNNING";
        crawler.lastCrawlStart = Optional.of(f.clock.instant().minus(Duration.ofHours(1)));

        Outcome first = finishedEvent();
        assertThat(first.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.ledger.step(arn, "crawl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.WAITING);
        assertThat(f.ledger.held(CrawlerStarter.crawlKey(taskId))).isFalse();

        f.clock.advance(Duration.ofMinutes(2));
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(crawler.starts).isEmpty();

        f.aws.finishCrawl("orders-crawler");
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.DONE);
        assertThat(crawler.starts).hasSize(1);
        assertThat(f.ledger.step(arn, "crawl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.DONE);

        f.aws.finishCrawl("orders-crawler");
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(crawler.starts).hasSize(1);
    }

    @Test
    void crawlerSucceededEvent_startsTheCrawlForWaitingExports() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 3);
        var crawler = f.aws.crawler("orders-crawler");
        crawler.state = "RUNNING";
        finishedEvent();

        f.aws.finishCrawl("orders-crawler");
        f.clock.advance(Duration.ofMinutes(1));
        Outcome outcome = f.crawlerStates.handle(new CrawlerStateChanged("orders-crawler", "Succeeded", Optional.empty(), Instant.now()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(crawler.starts).hasSize(1);
        assertThat(f.ledger.completed(CrawlerStarter.crawlKey(taskId))).isTrue();
    }

    @Test
    void crawlStartedAfterTheFilesLanded_satisfiesTheExport() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 3);
        f.aws.ownership.put("exports-bucket", "ObjectWriter");
        f.acl.rewrite(f.pipeline.subject(f.policies.all().get(0), f.onlyTask()), f.onlyTask());
        f.clock.advance(Duration.ofMinutes(1));
        var crawler = f.aws.crawler("orders-crawler");
        crawler.state = "RUNNING";
        crawler.lastCrawlStart = Optional.of(f.clock.instant());
        f.clock.advance(Duration.ofMinutes(1));

        Outcome outcome = finishedEvent();

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(crawler.starts).isEmpty();
        assertThat(f.ledger.completed(CrawlerStarter.crawlKey(taskId))).isTrue();
    }

    @Test
    void missingCrawler_isPermanent() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 1);
        f.aws.crawlers.clear();

        assertThatThrownBy(this::finishedEvent).isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("EntityNotFoundException");
        assertThat(f.ledger.step(arn, "crawl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.FAILED);
    }

    @Test
    void failedExport_isRecordedWithCause_andNotifiedOnce() throws Exception {
        exportFinished(policy().webhookUrl("https://hooks.example.com/x"), "FAILED", 0);

        Outcome outcome = f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.FAILED));
        f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.FAILED));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.ledger.step(arn, "export:analytics")).get().satisfies(s -> {
            assertThat(s.state()).isEqualTo(StepState.FAILED);
            assertThat(s.detail()).contains("The S3 bucket isn't in the current Region");
        });
        assertThat(f.aws.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(policy().notificationTopic);
            assertThat(p.body()).contains("\"event\":\"export-failed\"").contains("\"failureCause\":\"The S3 bucket isn't in the current Region\"")
                    .contains("\"exportTaskId\":\"" + taskId + "\"");
        });
        assertThat(f.webhookPosts).singleElement().asString().contains("failed").contains("current Region");
        assertThat(f.aws.aclCalls).isEmpty();
    }

    @Test
    void completedNotification_hasLocationSizeAndDuration() throws Exception {
        exportFinished(policy().aclMode("none"), "COMPLETE", 2);

        finishedEvent();

        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body())
                .contains("\"event\":\"export-completed\"")
                .contains("\"source\":\"orders\"")
                .contains("\"snapshot\":\"" + SNAP + "\"")
                .contains("\"s3Location\":\"s3://exports-bucket/rds/orders/2024/03/01/" + taskId + "/\"")
                .contains("\"sizeGb\":12")
                .contains("\"durationSeconds\":1800"));
        assertThat(f.ledger.step(arn, "acl:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.SKIPPED);
    }

    @Test
    void eventSaysCompleted_butTaskNotYet_rechecksLater() throws Exception {
        exportFinished(policy(), "COMPLETE", 1);
        f.aws.setTaskStatus(taskId, "IN_PROGRESS");

        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.aws.aclCalls).isEmpty();
    }

    @Test
    void tasksNotOurs_areIgnored() throws Exception {
        f = new ExportFixture(policy().build());
        arn = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres").arn();
        f.aws.tasks.put("someone-elses", new io.snapline.gateway.ExportGateway.ExportTask("someone-elses", arn, "COMPLETE",
                "b", "p", Optional.empty(), Optional.empty(), Optional.empty(), 1));

        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(f.aws.aclCalls).isEmpty();
    }

    @Test
    void listenerFailure_isLogged_andThePipelineGoesOn() throws Exception {
        f = new ExportFixture(policy().aclMode("per-object").build());
        var failing = f.pipeline(List.of((p, s, t) -> {
            throw new IllegalStateException("boom");
        }));
        arn = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres").arn();
        failing.start(f.policies.all().get(0), f.aws.snapshots.get(arn));
        taskId = f.onlyTask().taskId();
        f.aws.finishExport(taskId, "COMPLETE", null, 1);

        Outcome outcome = failing.afterExport(failing.subject(f.policies.all().get(0), f.onlyTask()), f.onlyTask());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
    }

    @Test
    void canceledExport_isRecordedAndNotified() throws Exception {
        exportFinished(policy(), "CANCELED", 0);

        Outcome outcome = f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.CANCELED));

        assertThat(outcome.reason()).contains("CANCELED");
        assertThat(f.ledger.step(arn, "export:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.FAILED);
        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.subject()).contains("canceled"));
    }

    @Test
    void crossAccount_usesTheSourceRoleForRdsAndAcls_andOwnCredentialsForGlue() throws Exception {
        String role = "arn:aws:iam::111111111111:role/snapline-source";
        exportFinished(policy().sourceRoleArn(role).sourceExternalId("ext-1").aclMode("per-object"), "COMPLETE", 2);
        f.aws.accessesUsed.clear();

        finishedEvent();

        var assumed = io.snapline.gateway.AwsAccess.assume(role, "ext-1");
        assertThat(f.aws.accessesUsed).contains(assumed, io.snapline.gateway.AwsAccess.DEFAULT);
        assertThat(f.aws.accessesUsed.stream().filter(a -> a.equals(io.snapline.gateway.AwsAccess.DEFAULT))).hasSize(1);
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
    }

    @Test
    void bucketOwnerAccount_isExpectedOnEveryS3CallOfTheAclRewrite() throws Exception {
        exportFinished(policy().bucketOwnerAccount("333333333333").aclMode("per-object"), "COMPLETE", 2);
        f.aws.expectedBucketOwners.clear();

        finishedEvent();

        assertThat(f.aws.expectedBucketOwners).isNotEmpty().containsOnly(Optional.of("333333333333"));
    }

    @Test
    void crawlerInAnotherAccount_isStartedWithTheCrawlerRole() throws Exception {
        String role = "arn:aws:iam::222222222222:role/snapline-crawler";
        exportFinished(policy().crawlerRoleArn(role).crawlerExternalId("ext-2").aclMode("per-object"), "COMPLETE", 2);
        f.aws.accessesUsed.clear();

        finishedEvent();

        assertThat(f.aws.accessesUsed).contains(io.snapline.gateway.AwsAccess.assume(role, "ext-2"));
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
    }

    @Test
    void failedBatchJob_isReportedOnce_duplicatesStartNoJob_andOnlyAnOperatorsRetryTriesANewJob() throws Exception {
        exportFinished(policy().aclMode("batch"), "COMPLETE", 3);
        finishedEvent();
        String jobId = f.aws.jobsByToken.get("acl-" + taskId);
        f.aws.finishJob(jobId, "Failed", 0, 3);
        var event = new BatchJobStatusChanged(jobId, "Failed", Optional.empty(), List.of(), Instant.now());

        assertThatThrownBy(() -> f.batchJobs.handle(event)).isInstanceOf(PermanentProcessingException.class);
        // The failure stays failed for its duplicates (it used to be released and re-raised each time):
        // neither a new job nor a second notice.
        assertThat(f.batchJobs.handle(event).status()).isEqualTo(Outcome.Status.ALREADY_FAILED);
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.ALREADY_FAILED);
        assertThat(f.aws.jobs).hasSize(1);
        assertThat(f.aws.published).filteredOn(p -> p.body().contains("pipeline-error")).hasSize(1);

        // a scheduled reconcile leaves it failed, and says so
        Outcome scheduled = f.reconcile.run(new io.snapline.message.Command("reconcile", java.util.Map.of(), false,
                Optional.empty()));
        assertThat(scheduled.reason()).contains("failed before").contains("retryFailed=true");
        assertThat(f.aws.jobRequests).hasSize(1);

        // the operator fixes the batch role and retries: a new job with the next attempt's token
        f.reconcile.run(new io.snapline.message.Command("reconcile", java.util.Map.of("retryFailed", "true"), false,
                Optional.empty()));
        assertThat(f.aws.jobRequests).extracting(r -> r.clientRequestToken()).containsExactly("acl-" + taskId, "acl2-" + taskId);
        String second = f.aws.jobsByToken.get("acl2-" + taskId);
        f.aws.finishJob(second, "Complete", 5, 0);

        Outcome outcome = f.batchJobs.handle(new BatchJobStatusChanged(second, "Complete", Optional.empty(), List.of(), Instant.now()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.ledger.completed(AclRewriter.aclKey(taskId))).isTrue();
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
    }

    @Test
    void finishedEvent_whileOurTaskIsNotListedYet_rechecks() throws Exception {
        exportFinished(policy(), "COMPLETE", 1);
        var task = f.aws.tasks.remove(taskId);

        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.RECHECK_LATER);

        f.aws.tasks.put(taskId, task);
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void twoPolicies_oneFinished_rechecksUntilTheOtherFinishesToo() throws Exception {
        f = new ExportFixture(policy().name("a").aclMode("per-object").crawler(null).build(),
                policy().name("b").aclMode("per-object").crawler(null).build());
        arn = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres").arn();
        f.created.handle(ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED));
        String a = ExportTaskIds.forArn("a", arn);
        String b = ExportTaskIds.forArn("b", arn);
        f.aws.finishExport(a, "COMPLETE", null, 1);

        Outcome first = finishedEvent();

        assertThat(first.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(first.reason()).contains(b);
        assertThat(f.ledger.completed(AclRewriter.aclKey(a))).isTrue();
        assertThat(f.ledger.completed(AclRewriter.aclKey(b))).isFalse();

        f.aws.finishExport(b, "COMPLETE", null, 1);
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.ledger.completed(AclRewriter.aclKey(b))).isTrue();
    }

    @Test
    void terminalStatuses_areCountedOncePerTask() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 2);

        finishedEvent();
        finishedEvent();

        assertThat(f.exportTasks("analytics", "complete")).isEqualTo(1);
        assertThat(f.exportTasks("analytics", "failed")).isZero();
        assertThat(f.meters.counter("snapline.steps", "stage", "export", "policy", "analytics", "outcome", "done").count())
                .as("exports started").isEqualTo(1);
    }

    @Test
    void aFailedTask_isCountedAsFailed_once() throws Exception {
        exportFinished(policy(), "FAILED", 0);

        f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.FAILED));
        f.finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.FAILED));

        assertThat(f.exportTasks("analytics", "failed")).isEqualTo(1);
        assertThat(f.exportTasks("analytics", "complete")).isZero();
    }

    @Test
    void aNotificationThatFailsForGood_isRecordedFailed_butTheDataIsStillCrawled() throws Exception {
        exportFinished(policy().aclMode("per-object"), "COMPLETE", 2);
        f.aws.failPublishes = new PermanentProcessingException("NotFound: Topic does not exist");

        Outcome outcome = finishedEvent();

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.ledger.step(arn, "notify:analytics")).get().satisfies(st -> {
            assertThat(st.state()).isEqualTo(StepState.FAILED);
            assertThat(st.detail()).contains("Topic does not exist");
        });
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.listenerCalls).hasSize(1);
    }

    @Test
    void aNotificationClaimLeftByAKilledProcess_keepsTheMessage_untilTheLeaseLapses_thenNotifiesOnce() throws Exception {
        exportFinished(policy().aclMode("none"), "COMPLETE", 2);
        // a process claimed the notification, then was killed before it published
        f.ledger.claim(Notifier.notifyKey(taskId, "completed"), ExportFixture.LEASE);

        Outcome first = finishedEvent();

        assertThat(first.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(first.reason()).contains("being run by another delivery");
        assertThat(f.aws.published).isEmpty();
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);

        f.clock.advance(first.recheckAfter().orElseThrow());
        f.clock.advance(ExportFixture.LEASE);
        Outcome again = finishedEvent();

        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body())
                .contains("\"event\":\"export-completed\""));
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(finishedEvent().status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.aws.published).hasSize(1);
    }

    @Test
    void aTaskStartedBeforeTaskIdsHashedRegionAndAccount_isStillOurs_andCarriedOn() throws Exception {
        f = new ExportFixture(policy().aclMode("per-object").build());
        arn = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres").arn();
        // an export kicked off by the previous release: its id and its ledger record
        String legacy = ExportTaskIds.legacyForArn("analytics", arn);
        f.aws.tasks.put(legacy, new io.snapline.gateway.ExportGateway.ExportTask(legacy, arn, "STARTING",
                "exports-bucket", "rds/orders/2024/03/01", Optional.empty(), Optional.of(f.clock.instant()),
                Optional.empty(), 0));
        f.ledger.claim(ExportSubject.exportKey(arn, "analytics"), ExportFixture.LEASE);
        f.ledger.complete(ExportSubject.exportKey(arn, "analytics"), legacy + "|orders");

        // the upgrade: the snapshot's duplicate "created" event starts nothing new
        assertThat(f.created.handle(ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED)).status())
                .isEqualTo(Outcome.Status.ALREADY_DONE);
        f.aws.finishExport(legacy, "COMPLETE", null, 3);
        Outcome done = finishedEvent();

        assertThat(done.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.startRequests).isEmpty();
        assertThat(f.ledger.completed(AclRewriter.aclKey(legacy))).isTrue();
        assertThat(f.aws.crawler("orders-crawler").starts).hasSize(1);
        assertThat(f.reconcile.run(new io.snapline.message.Command("reconcile", java.util.Map.of(), false,
                Optional.empty())).reason()).contains("nothing missing");
    }

    @Test
    void reconcile_refusesARetryFailedThatIsNotABoolean() {
        f = new ExportFixture(policy().build());
        assertThatThrownBy(() -> f.reconcile.run(new io.snapline.message.Command("reconcile",
                java.util.Map.of("retryFailed", "yes"), false, Optional.empty())))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("retryFailed must be true or false");
    }
}
