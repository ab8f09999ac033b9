package io.snapline.handler.export;

import io.snapline.testing.TestLedger;
import io.snapline.aws.AwsClientFactory;
import io.snapline.aws.SdkGateways;
import io.snapline.config.AwsProperties;
import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.fake.LoggedRequest;
import io.snapline.gateway.AwsAccess;
import io.snapline.handler.Outcome;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.Command;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export pipeline over the real SDK gateways and {@link FakeAws} (RDS query, S3 and S3 Control
 * REST-XML, Glue JSON, SNS, STS on the wire): exact requests, error codes and the state the fake
 * ends in. Handlers are called directly (the queue is the consumer's business), each event twice.
 */
class ExportPipelineFakeAwsIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private static final String ACCT = FakeAws.ACCOUNT;
    private static final String TOPIC = "arn:aws:sns:us-east-1:" + ACCT + ":exports";
    private static final String SNAP = "rds:orders-2024-03-01-00-00";

    private final FakeAws fake = new FakeAws();
    private final QueueProperties queue = new QueueProperties("https://sqs.us-east-1.amazonaws.com/" + ACCT + "/q", null,
            2, 64, Duration.ofSeconds(20), Optional.empty(), Duration.ofSeconds(10), Duration.ofMinutes(15),
            Duration.ofSeconds(30), 200);
    private final AwsClientFactory factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
            new AwsProperties(fake.endpoint().toString()), queue, Optional.empty());
    private final SdkGateways gateways = new SdkGateways(factory, factory.snsClient());
    private final TestLedger ledger = new TestLedger(Clock.systemUTC());
    private AclRewriter acl;
    private SnapshotCreatedHandler created;
    private ExportTaskFinishedHandler finished;
    private BatchJobStatusChangedHandler batch;
    private ReconcileAction reconcile;

    private void wire(ExportPolicy p) {
        ExportPolicies policies = new ExportPolicies(List.of(p));
        Duration lease = Duration.ofMinutes(5);
        Notifier notifier = new Notifier(gateways, ledger, lease, (u, t) -> { });
        acl = new AclRewriter(gateways, ledger, lease, notifier);
        CrawlerStarter crawler = new CrawlerStarter(gateways, ledger, lease, notifier, Clock.systemUTC());
        ExportPipeline pipeline = new ExportPipeline(gateways, ledger, lease, acl, crawler, notifier, List.of());
        created = new SnapshotCreatedHandler(policies, gateways, ledger, pipeline);
        finished = new ExportTaskFinishedHandler(policies, gateways, ledger, pipeline);
        batch = new BatchJobStatusChangedHandler(policies, gateways, ledger, pipeline);
        reconcile = new ReconcileAction(policies, gateways, ledger, pipeline);
    }

    private static TestPolicies base() {
        return policy().kmsKey("arn:aws:kms:us-east-1:" + ACCT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .exportRoleArn("arn:aws:iam::" + ACCT + ":role/rds-export")
                .batchRoleArn("arn:aws:iam::" + ACCT + ":role/batch")
                .notificationTopic(TOPIC);
    }

    private static SnapshotCreated createdEvent(String arn) {
        return ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED);
    }

    private static ExportTaskFinished finishedEvent(String arn) {
        return ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.COMPLETED);
    }

    @AfterEach
    void close() {
        if (acl != null) {
            acl.close();
        }
        factory.closeAll();
        fake.close();
    }

    @Test
    void perObject_onceOverTheWire_everyObjectGranted_oneCrawlAfterTheFiles_oneNotification() throws Exception {
        wire(base().aclMode("auto").build());
        fake.s3().createBucket("exports-bucket", ACCT, "ObjectWriter");
        fake.glue().addCrawler("orders-crawler", "s3://exports-bucket/rds/");
        String arn = fake.rds().addDbSnapshot(SNAP, "orders").arn();

        assertThat(created.handle(createdEvent(arn)).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(created.handle(createdEvent(arn)).status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        FakeRds.ExportTask task = fake.rds().exportTasks().get(0);
        assertThat(fake.rds().exportTasks()).hasSize(1);
        LoggedRequest start = fake.requests("StartExportTask").get(0);
        assertThat(start.params()).containsEntry("ExportTaskIdentifier", ExportTaskIds.of("analytics", SNAP))
                .containsEntry("SourceArn", arn)
                .containsEntry("S3BucketName", "exports-bucket")
                .containsEntry("IamRoleArn", "arn:aws:iam::" + ACCT + ":role/rds-export");
        assertThat(task.prefix()).startsWith("rds/orders/");

        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        List<String> keys = fake.rds().completeExport(task.taskId(), ACCT, 3, 2);
        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.ALREADY_DONE);

        assertThat(keys).hasSize(7).anyMatch(k -> k.contains("export_info_")).anyMatch(k -> k.contains("export_tables_info_"));
        for (String k : keys) {
            assertThat(fake.s3().object("exports-bucket", k).orElseThrow().acl()).as(k).isEqualTo("bucket-owner-full-control");
        }
        assertThat(fake.requests("PutObjectAcl")).hasSize(7);
        assertThat(fake.glue().crawls("orders-crawler")).singleElement()
                .satisfies(c -> assertThat(c.objects()).hasSize(7));
        assertThat(fake.sns().messages(TOPIC)).singleElement().satisfies(m -> assertThat(m.body())
                .contains("\"event\":\"export-completed\"").contains("s3://exports-bucket/" + task.folder()));
        assertThat(reconcile.run(new Command("reconcile", Map.of(), false, Optional.empty())).reason()).contains("nothing missing");
    }

    @Test
    void batch_oneJobWithTheTaskToken_finishedByItsEvent() throws Exception {
        wire(base().aclMode("auto").aclBatchThreshold(3L).build());
        fake.s3().createBucket("exports-bucket", ACCT, null);
        fake.glue().addCrawler("orders-crawler", "s3://exports-bucket/rds/");
        String arn = fake.rds().addDbSnapshot(SNAP, "orders").arn();
        created.handle(createdEvent(arn));
        String taskId = fake.rds().exportTasks().get(0).taskId();
        List<String> keys = fake.rds().completeExport(taskId, ACCT, 10);

        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.RECHECK_LATER);

        assertThat(fake.s3Control().jobs()).singleElement().satisfies(job -> {
            assertThat(job.accountId()).isEqualTo(ACCT);
            assertThat(job.cannedAcl()).isEqualTo("bucket-owner-full-control");
            assertThat(job.clientRequestToken()).isEqualTo("acl-" + taskId);
            assertThat(job.prefix()).endsWith(taskId + "/");
            assertThat(job.reportPrefix()).endsWith(taskId + "-acl-report");
        });
        String jobId = fake.s3Control().jobs().get(0).jobId();
        fake.s3Control().runJob(jobId);
        var event = new BatchJobStatusChanged(jobId, "Complete", Optional.of(ACCT), List.of(), Instant.now());

        assertThat(batch.handle(event).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(batch.handle(event).status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        for (String k : keys) {
            assertThat(fake.s3().object("exports-bucket", k).orElseThrow().acl()).as(k).isEqualTo("bucket-owner-full-control");
        }
        assertThat(fake.glue().crawls("orders-crawler")).hasSize(1);
    }

    @Test
    void invalidExportSourceState_rechecks_andABusyCrawlerIsStartedAgainOnceReady() throws Exception {
        wire(base().aclMode("per-object").build());
        fake.s3().createBucket("exports-bucket");
        fake.glue().addCrawler("orders-crawler", "s3://exports-bucket/rds/");
        String arn = fake.rds().addDbSnapshot(SNAP, "orders").arn();
        fake.failNext("StartExportTask", "InvalidExportSourceState", 400);

        assertThat(created.handle(createdEvent(arn)).status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(created.handle(createdEvent(arn)).status()).isEqualTo(Outcome.Status.DONE);
        String taskId = fake.rds().exportTasks().get(0).taskId();
        gateways.crawlers(AwsAccess.DEFAULT).start("orders-crawler"); // someone else's crawl, before our files
        Thread.sleep(5);
        fake.rds().completeExport(taskId, ACCT, 2);

        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        fake.glue().finishCrawl("orders-crawler", "SUCCEEDED");
        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.DONE);

        assertThat(fake.glue().crawls("orders-crawler")).hasSize(2);
        assertThat(fake.glue().crawls("orders-crawler").get(1).objects()).hasSize(4);
    }

    @Test
    void crossAccount_assumesTheSourceRoleWithItsExternalId() throws Exception {
        String sourceRole = "arn:aws:iam::" + ACCT + ":role/snapline-source";
        wire(base().sourceRoleArn(sourceRole).sourceExternalId("ext-42").aclMode("per-object").crawler(null).build());
        fake.s3().createBucket("exports-bucket", "210987654321", "ObjectWriter");
        String arn = fake.rds().addDbSnapshot(SNAP, "orders").arn();

        created.handle(createdEvent(arn));
        fake.rds().completeExport(fake.rds().exportTasks().get(0).taskId(), ACCT, 1);
        assertThat(finished.handle(finishedEvent(arn)).status()).isEqualTo(Outcome.Status.DONE);

        assertThat(fake.sts().assumeRoleCalls()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.roleArn()).isEqualTo(sourceRole);
            assertThat(c.externalId()).isEqualTo("ext-42");
        });
        String assumedKey = fake.sts().assumeRoleCalls().get(0).accessKeyId();
        assertThat(fake.requests("StartExportTask")).singleElement()
                .satisfies(r -> assertThat(r.accessKeyId()).isEqualTo(assumedKey));
        assertThat(fake.requests("PutObjectAcl")).isNotEmpty().allSatisfy(r -> assertThat(r.accessKeyId()).isEqualTo(assumedKey));
    }
}
