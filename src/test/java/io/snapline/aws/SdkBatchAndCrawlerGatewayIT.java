package io.snapline.aws;

import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeS3Control;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.BatchOperationsGateway.BatchJob;
import io.snapline.gateway.BatchOperationsGateway.PutAclJobRequest;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.CrawlerGateway.CrawlerInfo;
import io.snapline.gateway.CrawlerGateway.StartResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdkBatchAndCrawlerGatewayIT {

    private static final String SOURCE_ACCOUNT = "210987654321";

    private FakeAwsFixture env;
    private FakeAws fake;
    private BatchOperationsGateway batch;
    private CrawlerGateway crawlers;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
        batch = env.gateways().batchOperations(AwsAccess.DEFAULT);
        crawlers = env.gateways().crawlers(AwsAccess.DEFAULT);
        fake.s3().createBucket("exports", FakeAws.ACCOUNT, "BucketOwnerPreferred");
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private PutAclJobRequest job(String token, String prefix) {
        return new PutAclJobRequest(FakeAws.ACCOUNT, "exports", prefix, "arn:aws:iam::123456789012:role/batch",
                token, "snapline/reports/orders-1", "Snapline ACL rewrite for orders-1");
    }

    @Test
    void createPutAclJob_goesThroughTheEndpointOverride_withTheExactJob() {
        String jobId = batch.createPutAclJob(job("acl-orders-1", "snapline/orders-1/"));

        FakeS3Control.Job created = fake.s3Control().job(jobId).orElseThrow();
        assertThat(created.accountId()).isEqualTo(FakeAws.ACCOUNT);
        assertThat(created.cannedAcl()).isEqualTo("bucket-owner-full-control");
        assertThat(created.bucket()).isEqualTo("exports");
        assertThat(created.prefix()).isEqualTo("snapline/orders-1/");
        assertThat(created.clientRequestToken()).isEqualTo("acl-orders-1");
        assertThat(created.reportPrefix()).isEqualTo("snapline/reports/orders-1");
        assertThat(created.status()).isEqualTo("New");
        var sent = fake.requests("CreateJob").get(0);
        assertThat(sent.param("Host")).as("the S3 Control client keeps the override's host, with no {AccountId}. prefix")
                .startsWith("127.0.0.1:");
        assertThat(sent.params()).containsEntry("Report.ReportScope", "FailedTasksOnly")
                .containsEntry("ConfirmationRequired", "false");
    }

    @Test
    void createPutAclJob_isIdempotent_perClientRequestToken() {
        String first = batch.createPutAclJob(job("acl-orders-1", "snapline/orders-1/"));
        String second = batch.createPutAclJob(job("acl-orders-1", "snapline/orders-1/"));

        assertThat(second).isEqualTo(first);
        assertThat(fake.s3Control().jobs()).hasSize(1);
        assertThatThrownBy(() -> batch.createPutAclJob(job("acl-orders-1", "snapline/other/")))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("IdempotencyException");
    }

    @Test
    void describeJob_reportsProgress_afterTheJobRan() {
        fake.s3().putObjects("exports", "snapline/orders-1/appdb/", 10, 100, SOURCE_ACCOUNT);
        fake.s3().putObject("exports", "snapline/orders-2/x", 1, SOURCE_ACCOUNT);
        String jobId = batch.createPutAclJob(job("acl-orders-1", "snapline/orders-1/"));
        assertThat(batch.describeJob(FakeAws.ACCOUNT, jobId).terminal()).isFalse();

        fake.s3Control().runJob(jobId, 1);

        BatchJob described = batch.describeJob(FakeAws.ACCOUNT, jobId);
        assertThat(described.status()).isEqualTo("Complete");
        assertThat(described.terminal()).isTrue();
        assertThat(described.totalTasks()).isEqualTo(10);
        assertThat(described.succeededTasks()).isEqualTo(9);
        assertThat(described.failedTasks()).isEqualTo(1);
        assertThat(fake.s3().objects("exports", "snapline/orders-1/"))
                .filteredOn(o -> o.acl().equals("bucket-owner-full-control")).hasSize(9);
        assertThat(fake.s3().object("exports", "snapline/orders-2/x").orElseThrow().acl()).isEqualTo("private");
    }

    @Test
    void describeJob_isPermanent_forAnUnknownJob() {
        assertThatThrownBy(() -> batch.describeJob(FakeAws.ACCOUNT, "00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("NotFoundException");
    }

    @Test
    void describeJob_readsFailureReasons() {
        String jobId = batch.createPutAclJob(job("acl-orders-1", "snapline/orders-1/"));
        fake.s3Control().setJobStatus(jobId, "Failed");

        BatchJob described = batch.describeJob(FakeAws.ACCOUNT, jobId);

        assertThat(described.status()).isEqualTo("Failed");
        assertThat(described.failureReasons()).containsExactly("FakeFailure: Fake failure");
    }

    @Test
    void startCrawler_starts_thenReportsAlreadyRunning_andGetReadsTheLastCrawl() {
        fake.glue().addCrawler("exports-crawler", "s3://exports/snapline/");
        fake.s3().putObject("exports", "snapline/orders-1/export_info_orders-1.json", "{}", FakeAws.ACCOUNT);

        assertThat(crawlers.start("exports-crawler")).isEqualTo(StartResult.STARTED);
        assertThat(crawlers.start("exports-crawler")).isEqualTo(StartResult.ALREADY_RUNNING);
        assertThat(crawlers.get("exports-crawler").state()).isEqualTo("RUNNING");

        fake.glue().finishCrawl("exports-crawler", "SUCCEEDED");

        CrawlerInfo info = crawlers.get("exports-crawler");
        assertThat(info.state()).isEqualTo("READY");
        assertThat(info.lastCrawlStatus()).contains("SUCCEEDED");
        assertThat(info.lastCrawlStart()).isPresent();
        assertThat(fake.glue().crawls("exports-crawler")).singleElement()
                .satisfies(c -> assertThat(c.objects())
                        .containsExactly("s3://exports/snapline/orders-1/export_info_orders-1.json"));
    }

    @Test
    void crawler_unknownIsPermanent_andTimeoutIsRetryable() {
        assertThatThrownBy(() -> crawlers.start("nope"))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("EntityNotFoundException");
        assertThatThrownBy(() -> crawlers.get("nope"))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("EntityNotFoundException");
        fake.glue().addCrawler("c", "s3://exports/");
        fake.failNext("StartCrawler", "OperationTimeoutException", 400);
        assertThatThrownBy(() -> crawlers.start("c")).isInstanceOf(RetryableProcessingException.class);
        assertThat(fake.glue().state("c")).isEqualTo("READY");
    }
}
