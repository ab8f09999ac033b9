package io.snapline.aws;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapline.config.AwsProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.fake.FakeAws;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.BatchOperationsGateway.PutAclJobRequest;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportRequest;
import io.snapline.gateway.ExportGateway.StartResult;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.NotificationGateway;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.message.SnapshotRef.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunGatewaysIT {

    private static final String ACCOUNT = FakeAws.ACCOUNT;

    private FakeAwsFixture env;
    private FakeAws fake;
    private ListAppender<ILoggingEvent> log;
    private Logger logger;
    private String snapshotArn;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
        logger = (Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        fake.s3().createBucket("exports", ACCOUNT, "BucketOwnerPreferred");
        fake.s3().putObject("exports", "snapline/old-1/a.parquet", 10, "210987654321");
        snapshotArn = fake.rds().addDbSnapshot("orders-manual", "orders").arn();
        fake.glue().addCrawler("exports-crawler", "s3://exports/snapline/");
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(log);
        env.close();
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static ExportRequest export(String taskId, String sourceArn) {
        return new ExportRequest(taskId, sourceArn, "exports", "snapline", "arn:aws:iam::123456789012:role/export",
                "alias/exports", List.of());
    }

    private static PutAclJobRequest job() {
        return new PutAclJobRequest(ACCOUNT, "exports", "snapline/orders-1/", "arn:aws:iam::123456789012:role/batch",
                "acl-orders-1", "snapline/reports/orders-1", "ACL rewrite");
    }

    @Test
    void aScheduledSnapshot_isLoggedWithItsExactRequest_neverMade_andARepeatIsAlreadyThere() {
        fake.rds().addInstance("orders");
        DryRunGateways dry = new DryRunGateways(env.gateways(), true, "us-east-1");
        var creation = dry.snapshotCreation(io.snapline.gateway.AwsAccess.DEFAULT);

        var first = creation.create(io.snapline.message.SnapshotRef.Scope.DB_SNAPSHOT, "snapline-td-orders-20261202-0200",
                "orders", java.util.Map.of("snapline:managed", "true"));
        var again = creation.create(io.snapline.message.SnapshotRef.Scope.DB_SNAPSHOT, "snapline-td-orders-20261202-0200",
                "orders", java.util.Map.of("snapline:managed", "true"));

        assertThat(first.status()).isEqualTo(io.snapline.gateway.SnapshotCreationGateway.CreateStatus.CREATED);
        assertThat(again.status()).isEqualTo(io.snapline.gateway.SnapshotCreationGateway.CreateStatus.ALREADY_EXISTS);
        assertThat(dry.snapshots(io.snapline.gateway.AwsAccess.DEFAULT).describe(
                io.snapline.message.SnapshotRef.Scope.DB_SNAPSHOT, "snapline-td-orders-20261202-0200"))
                .get().extracting(io.snapline.gateway.SnapshotGateway.SnapshotInfo::sourceId).isEqualTo("orders");
        assertThat(fake.requests("CreateDBSnapshot")).isEmpty();
        assertThat(creation.source(io.snapline.message.SnapshotRef.Scope.DB_SNAPSHOT, "orders")).isPresent();
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(l -> l.startsWith(
                "DRY-RUN would call rds:CreateDBSnapshot CreateDbSnapshotRequest(DBSnapshotIdentifier=snapline-td-orders-20261202-0200, "
                        + "DBInstanceIdentifier=orders, Tags=[Tag(Key=snapline:managed, Value=true)]"));
    }

    @Test
    void aCopy_isLoggedWithItsExactRequestAndDestination_neverMade_andARepeatIsAlreadyThere() {
        DryRunGateways dry = new DryRunGateways(env.gateways(), true, "ap-northeast-1");
        var copies = dry.snapshotCopies(AwsAccess.DEFAULT, "us-east-1");
        var request = new io.snapline.gateway.SnapshotCopyGateway.CopyRequest(Scope.DB_SNAPSHOT,
                "arn:aws:rds:ap-northeast-1:123456789012:snapshot:orders-1", "ap-northeast-1", "dr-orders-1",
                java.util.Optional.of("arn:aws:kms:us-east-1:123456789012:key/k"), java.util.Optional.empty(), true,
                java.util.Map.of("snapline:copy-policy", "tokyo-dr"));

        var first = copies.copy(request);
        var again = copies.copy(request);

        assertThat(first.status()).isEqualTo(io.snapline.gateway.SnapshotCopyGateway.CopyStatus.STARTED);
        assertThat(first.arn()).contains("arn:aws:rds:us-east-1:000000000000:snapshot:dr-orders-1");
        assertThat(again.status()).isEqualTo(io.snapline.gateway.SnapshotCopyGateway.CopyStatus.ALREADY_EXISTS);
        assertThat(copies.describe(Scope.DB_SNAPSHOT, "dr-orders-1")).get()
                .extracting(io.snapline.gateway.SnapshotCopyGateway.Snapshot::copiedFrom)
                .isEqualTo(java.util.Optional.of("arn:aws:rds:ap-northeast-1:123456789012:snapshot:orders-1"));
        assertThat(fake.requests("CopyDBSnapshot")).isEmpty();
        // the request as the SDK holds it: SourceRegion is the SDK's presigning input, never on the wire
        assertThat(lines()).filteredOn(l -> l.startsWith("DRY-RUN would call rds:CopyDBSnapshot")).hasSize(2)
                .allMatch(l -> l.equals("DRY-RUN would call rds:CopyDBSnapshot in us-east-1 CopyDbSnapshotRequest("
                        + "SourceDBSnapshotIdentifier=arn:aws:rds:ap-northeast-1:123456789012:snapshot:orders-1, "
                        + "TargetDBSnapshotIdentifier=dr-orders-1, KmsKeyId=arn:aws:kms:us-east-1:123456789012:key/k, "
                        + "Tags=[Tag(Key=snapline:copy-policy, Value=tokyo-dr)], CopyTags=true, SourceRegion=ap-northeast-1)"));
    }

    @Test
    void online_everyWriteLogsTheExactRequestOnce_andChangesNothing() {
        DryRunGateways dry = new DryRunGateways(env.gateways(), true, "us-east-1");
        fake.clearRequests();

        StartResult started = dry.exports(AwsAccess.DEFAULT).startExport(export("orders-1", snapshotArn));
        dry.snapshots(AwsAccess.DEFAULT).delete(Scope.DB_SNAPSHOT, "orders-manual");
        dry.snapshots(AwsAccess.DEFAULT).delete(Scope.CLUSTER_SNAPSHOT, "aurora-manual");
        dry.objects(AwsAccess.DEFAULT).grantBucketOwnerFullControl("exports", "snapline/old-1/a.parquet");
        var deleted = dry.objects(AwsAccess.DEFAULT).deleteObjects("exports", List.of("snapline/old-1/a.parquet"));
        String jobId = dry.batchOperations(AwsAccess.DEFAULT).createPutAclJob(job());
        var crawl = dry.crawlers(AwsAccess.DEFAULT).start("exports-crawler");
        dry.notifications().publish("arn:aws:sns:us-east-1:123456789012:snapline", "Export done", "{}");

        assertThat(lines()).hasSize(8);
        assertThat(lines().get(0)).isEqualTo("DRY-RUN would call rds:StartExportTask "
                + SdkExportGateway.startExportTaskRequest(export("orders-1", snapshotArn)));
        assertThat(lines().get(0)).contains("StartExportTaskRequest(ExportTaskIdentifier=orders-1, SourceArn=" + snapshotArn);
        assertThat(lines()).extracting(l -> l.split(" ")[3]).containsExactly("rds:StartExportTask",
                "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot", "s3:PutObjectAcl", "s3:DeleteObjects",
                "s3control:CreateJob", "glue:StartCrawler", "sns:Publish");
        assertThat(lines().get(3)).contains("PutObjectAclRequest(").contains("ACL=bucket-owner-full-control");
        assertThat(lines().get(5)).contains("CreateJobRequest(").contains("ClientRequestToken=acl-orders-1");
        assertThat(log.list).allSatisfy(e -> assertThat(e.getLevel().toString()).isEqualTo("INFO"));

        assertThat(started.started()).isTrue();
        assertThat(deleted.deleted()).containsExactly("snapline/old-1/a.parquet");
        assertThat(jobId).startsWith("dry-run-").hasSizeBetween(5, 36);
        assertThat(crawl).isEqualTo(CrawlerGateway.StartResult.STARTED);

        assertThat(fake.rds().exportTasks()).isEmpty();
        assertThat(fake.rds().snapshot("orders-manual")).isPresent();
        var object = fake.s3().object("exports", "snapline/old-1/a.parquet").orElseThrow();
        assertThat(object.acl()).isEqualTo("private");
        assertThat(fake.s3Control().jobs()).isEmpty();
        assertThat(fake.glue().crawls("exports-crawler")).isEmpty();
        assertThat(fake.sns().messages("arn:aws:sns:us-east-1:123456789012:snapline")).isEmpty();
        assertThat(fake.requests()).extracting(r -> r.operation())
                .doesNotContain("StartExportTask", "DeleteDBSnapshot", "DeleteDBClusterSnapshot", "PutObjectAcl",
                        "DeleteObjects", "CreateJob", "StartCrawler", "Publish");
    }

    @Test
    void online_readsGoToAws_andRememberedStartsAnswerAsJustStarted() {
        env.gateways().exports(AwsAccess.DEFAULT).startExport(export("real-1", snapshotArn));
        DryRunGateways dry = new DryRunGateways(env.gateways(), true, "us-east-1");
        ExportGateway exports = dry.exports(AwsAccess.DEFAULT);

        assertThat(dry.objects(AwsAccess.DEFAULT).objectOwnership("exports")).contains("BucketOwnerPreferred");
        assertThat(fake.requests("GetBucketOwnershipControls")).hasSize(1);

        StartResult again = exports.startExport(export("real-1", snapshotArn));
        assertThat(again.started()).isFalse();
        assertThat(again.task().status()).isEqualTo("STARTING");

        exports.startExport(export("dry-1", snapshotArn));
        assertThat(exports.exportTask("dry-1")).get().extracting(ExportGateway.ExportTask::status).isEqualTo("STARTING");
        assertThat(exports.exportTasksForSource(snapshotArn)).extracting(ExportGateway.ExportTask::taskId)
                .containsExactlyInAnyOrder("real-1", "dry-1");
        assertThat(fake.rds().exportTasks()).extracting(t -> t.taskId()).containsExactly("real-1");
    }

    @Test
    void offline_answersFromMemory_soTheLocalDryRunWalksTheWholeChain() {
        DryRunGateways dry = new DryRunGateways(new NoAws(), false, "us-east-1");
        AwsAccess access = AwsAccess.DEFAULT;

        var snapshot = dry.snapshots(access).describe(Scope.DB_SNAPSHOT, "rds:orders-2026-11-23-03-10").orElseThrow();
        assertThat(snapshot.status()).isEqualTo("available");
        assertThat(snapshot.snapshotType()).isEqualTo("automated");
        assertThat(snapshot.arn()).isEqualTo("arn:aws:rds:us-east-1:000000000000:snapshot:rds:orders-2026-11-23-03-10");
        assertThat(snapshot.createTime()).as("the time its name carries, not today")
                .isEqualTo(java.time.Instant.parse("2026-11-23T03:10:00Z"));
        assertThat(dry.snapshots(access).describe(Scope.DB_SNAPSHOT, "orders-manual").orElseThrow().createTime())
                .as("unknown: the handler takes the event's time").isNull();
        String eventArn = "arn:aws:rds:us-east-1:123456789012:snapshot:orders-manual";
        assertThat(dry.snapshots(access).find(Scope.DB_SNAPSHOT, "orders-manual", java.util.Optional.of(eventArn)))
                .get().extracting(SnapshotGateway.SnapshotInfo::arn).isEqualTo(eventArn);
        assertThat(dry.objects(access).checkOwner("exports", "111111111111")).isEqualTo(ObjectStoreGateway.OwnerCheck.OWNED);

        dry.exports(access).startExport(export("orders-1", snapshot.arn()));
        assertThat(dry.exports(access).exportTask("orders-1")).get()
                .satisfies(t -> assertThat(t.complete()).isTrue());
        assertThat(dry.exports(access).exportTasksForSource(snapshot.arn())).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo("COMPLETE"));

        assertThat(dry.objects(access).objectOwnership("exports")).contains("BucketOwnerPreferred");
        List<String> keys = new ArrayList<>();
        dry.objects(access).forEachPage("exports", "snapline/orders-1/", page -> page.forEach(o -> keys.add(o.key())));
        assertThat(keys).containsExactly("snapline/orders-1/export_info_orders-1.json",
                "snapline/orders-1/export_tables_info_orders-1_from_1_to_1.json");
        assertThat(dry.objects(access).childFolders("exports", "snapline/")).containsExactly("snapline/orders-1/");

        String jobId = dry.batchOperations(access).createPutAclJob(job());
        assertThat(dry.batchOperations(access).createPutAclJob(job())).isEqualTo(jobId);
        var described = dry.batchOperations(access).describeJob(ACCOUNT, jobId);
        assertThat(described.status()).isEqualTo("Complete");
        assertThat(described.succeededTasks()).isEqualTo(2);

        assertThat(dry.crawlers(access).get("exports-crawler").lastCrawlStatus()).isEmpty();
        dry.crawlers(access).start("exports-crawler");
        var crawler = dry.crawlers(access).get("exports-crawler");
        assertThat(crawler.state()).isEqualTo("READY");
        assertThat(crawler.lastCrawlStatus()).contains("SUCCEEDED");

        assertThat(lines()).anySatisfy(l -> assertThat(l).startsWith(
                "DRY-RUN offline, assuming rds:DescribeExportTasks DescribeExportTasksRequest(ExportTaskIdentifier=orders-1)"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).startsWith("DRY-RUN offline, assuming s3:GetBucketOwnershipControls"));
        assertThat(lines()).anySatisfy(l -> assertThat(l).startsWith("DRY-RUN offline, assuming glue:GetCrawler"));
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void factory_picksSdkGateways_dryRun_orOfflineDryRun() {
        Gateways real = env.gateways();
        String queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/q";

        assertThat(GatewaysFactory.select(new SnaplineProperties(false, null), FakeAwsFixture.queue(queueUrl),
                new AwsProperties(null), real, "us-east-1")).isSameAs(real);
        assertThat(GatewaysFactory.select(new SnaplineProperties(true, null), FakeAwsFixture.queue(queueUrl),
                new AwsProperties(null), real, "us-east-1"))
                .isInstanceOfSatisfying(DryRunGateways.class, d -> assertThat(d.online()).isTrue());
        assertThat(GatewaysFactory.select(new SnaplineProperties(false, null), FakeAwsFixture.queue(null),
                new AwsProperties(null), real, "us-east-1"))
                .isInstanceOfSatisfying(DryRunGateways.class, d -> assertThat(d.online()).isFalse());
        assertThat(GatewaysFactory.select(new SnaplineProperties(false, null), FakeAwsFixture.queue(""),
                new AwsProperties(fake.endpoint().toString()), real, "us-east-1"))
                .isInstanceOfSatisfying(DryRunGateways.class, d -> assertThat(d.online()).isTrue());
    }

    /** Gateways that fail on any use: proves the offline dry run calls nothing. */
    private static final class NoAws implements Gateways {
        private static <T> T fail() {
            throw new AssertionError("the offline dry run must not call AWS");
        }

        @Override
        public ExportGateway exports(AwsAccess access) {
            return fail();
        }

        @Override

        public io.snapline.gateway.SnapshotCreationGateway snapshotCreation(AwsAccess access) {
            return fail();

        }


        @Override
        public String region() {
            return "us-east-1";
        }

        @Override
        public SnapshotGateway snapshotsIn(AwsAccess access, String region) {
            return fail();
        }

        @Override
        public io.snapline.gateway.SnapshotCopyGateway snapshotCopies(AwsAccess access, String region) {
            return fail();
        }

        @Override
        public SnapshotGateway snapshots(AwsAccess access) {
            return fail();
        }

        @Override
        public ObjectStoreGateway objects(AwsAccess access, java.util.Optional<String> expectedBucketOwner) {
            return fail();
        }

        @Override
        public BatchOperationsGateway batchOperations(AwsAccess access) {
            return fail();
        }

        @Override
        public CrawlerGateway crawlers(AwsAccess access) {
            return fail();
        }

        @Override
        public NotificationGateway notifications() {
            return fail();
        }
    }
}
