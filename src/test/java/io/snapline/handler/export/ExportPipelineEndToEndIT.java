package io.snapline.handler.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.aws.AwsClientFactory;
import io.snapline.aws.SdkGateways;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeGlue;
import io.snapline.fake.FakeRds;
import io.snapline.fake.FakeS3;
import io.snapline.fake.FakeSns;
import io.snapline.fake.LoggedRequest;
import io.snapline.gateway.Gateways;
import io.snapline.ledger.EmbeddedLedger;
import io.snapline.ledger.Ledger;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.QueueModeApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end test of issue 3: one snapshot from "created" to "crawled" through the whole
 * running service. The full Micronaut application (HTTP server, consumer, parser, handler registry,
 * export handlers, the real SDK gateways, the real embedded ledger on a journal file) consumes a real
 * SQS-protocol queue with a dead-letter queue (ElasticMQ in process); every AWS call goes over the
 * wire to {@link FakeAws}. Nothing is dry-run and nothing is called directly: the test only sends SNS
 * envelopes of RDS events to the queue, plays RDS (completing the export in the fake) and reads state.
 *
 * <p>Every event is delivered twice and out of order: two "created" (RDS-EVENT-0042), a "creating"
 * (0040) after them, and two "export completed" (0161), the first before the export has finished.
 * That early one is re-checked through a delayed SQS message ({@code ExportTaskFinishedHandler}'s
 * one-minute lag re-check, a constant, so the test waits for it), and its re-delivery after the chain
 * has finished must have no second effect.
 *
 * <p>The app's {@link SqsClient} is the one bean replaced (see {@link QueueModeApp.EmbeddedSqsClient}): in a
 * non-local run {@code AwsClientFactory.sqsClient()} points SQS at {@code snapline.aws.endpoint}, and
 * FakeAws speaks no SQS.
 */
class ExportPipelineEndToEndIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private static final String ACCT = FakeAws.ACCOUNT;
    private static final String POLICY = "analytics";
    private static final String SNAPSHOT = "orders-2026-11-23";
    private static final String INSTANCE = "orders";
    private static final String BUCKET = "acme-analytics-exports";
    private static final String CRAWLER = "orders-exports";
    private static final String PREFIX = "rds/orders/2026/11/23";
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:" + ACCT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String EXPORT_ROLE = "arn:aws:iam::" + ACCT + ":role/snapline-rds-export";
    private static final String TOPIC = "arn:aws:sns:us-east-1:" + ACCT + ":snapline-exports";
    private static final String ARN = "arn:aws:rds:us-east-1:" + ACCT + ":snapshot:" + SNAPSHOT;
    private static final String TASK_ID = ExportTaskIds.forArn(POLICY, ARN);
    private static final String FOLDER = PREFIX + "/" + TASK_ID + "/";
    /** How long the test waits for what the service does promptly. */
    private static final Duration PROMPT = Duration.ofSeconds(30);
    /** The early 0161 comes back after ExportTaskFinishedHandler.LAG_RECHECK (60 s) plus a poll. */
    private static final Duration RECHECK_ROUND_TRIP = ExportTaskFinishedHandler.LAG_RECHECK.plusSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeAws fake;
    private EmbeddedSqs sqs;
    private String queueUrl;
    private String dlqUrl;
    private EmbeddedServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAws();
        sqs = new EmbeddedSqs();
        String[] urls = sqs.createQueueWithDlq("snapline-e2e", 10, 5);
        queueUrl = urls[0];
        dlqUrl = urls[1];

        // GIVEN an available manual snapshot of the postgres instance "orders", a bucket that takes
        // object ACLs (BucketOwnerPreferred), a READY crawler over the exports and a policy for them
        fake.rds().addDbSnapshot(SNAPSHOT, INSTANCE).engine("postgres")
                .createdAt(Instant.parse("2026-11-23T03:10:00Z"));
        fake.s3().createBucket(BUCKET, ACCT, "BucketOwnerPreferred");
        fake.glue().addCrawler(CRAWLER, "s3://" + BUCKET + "/rds/");

        Path ledgerFile = Files.createTempDirectory("snapline-e2e-ledger").resolve("ledger.jsonl");
        Map<String, Object> config = QueueModeApp.config(fake.endpoint(), sqs.endpoint(), queueUrl, ledgerFile, "10s");
        String p = "snapline.exports." + POLICY + ".";
        config.put(p + "sources", INSTANCE);
        config.put(p + "bucket", BUCKET);
        config.put(p + "prefix", "rds/{source}/{date}");
        config.put(p + "kms-key", KMS_KEY);
        config.put(p + "export-role-arn", EXPORT_ROLE);
        config.put(p + "crawler", CRAWLER);
        config.put(p + "acl-mode", "per-object");
        config.put(p + "notification-topic", TOPIC);
        config.put(p + "bucket-owner-account", ACCT);
        server = ApplicationContext.run(EmbeddedServer.class, config);
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void createdToCrawled_everyEventTwiceAndOutOfOrder_oneExportAclsOnEveryObjectOneCrawlAfterTheFilesOneNotice() {
        ApplicationContext ctx = server.getApplicationContext();
        assertThat(ctx.getBean(Gateways.class)).as("real SDK gateways, no dry run").isInstanceOf(SdkGateways.class);
        assertThat(ctx.getBean(Ledger.class)).as("the real embedded ledger").isInstanceOf(EmbeddedLedger.class);
        FakeRds rds = fake.rds();
        FakeS3 s3 = fake.s3();
        FakeGlue glue = fake.glue();
        FakeSns sns = fake.sns();

        // WHEN "snapshot created" arrives twice, then the earlier "creating" event
        send(created());
        send(created());
        send(creating());

        // THEN one export task, with the policy's exact identifier, destination, role and key
        await().atMost(PROMPT).untilAsserted(() -> assertThat(rds.exportTasks()).hasSize(1));
        await().atMost(PROMPT).until(() -> sqs.depth(queueUrl) == 0);
        assertThat(rds.exportTasks()).singleElement().satisfies(t -> {
            assertThat(t.taskId()).isEqualTo(TASK_ID);
            assertThat(t.sourceArn()).isEqualTo(ARN);
            assertThat(t.status()).isEqualTo("STARTING");
        });
        assertThat(fake.requests("StartExportTask")).singleElement().extracting(LoggedRequest::params)
                .satisfies(params -> assertThat(params)
                        .containsEntry("ExportTaskIdentifier", TASK_ID)
                        .containsEntry("SourceArn", ARN)
                        .containsEntry("S3BucketName", BUCKET)
                        .containsEntry("S3Prefix", PREFIX)
                        .containsEntry("IamRoleArn", EXPORT_ROLE)
                        .containsEntry("KmsKeyId", KMS_KEY));
        // ... after the bucket's owner was checked, before any data could be written
        List<String> ops = fake.requests().stream().map(LoggedRequest::operation).toList();
        assertThat(fake.requests("GetBucketOwnershipControls")).first().extracting(LoggedRequest::params)
                .satisfies(params -> assertThat(params).containsEntry("Bucket", BUCKET).containsEntry("ExpectedBucketOwner", ACCT));
        assertThat(ops.indexOf("GetBucketOwnershipControls")).isLessThan(ops.indexOf("StartExportTask"));
        assertThat(counter("snapshot_created", "done")).isEqualTo(1);
        assertThat(counter("snapshot_created", "already_done")).isEqualTo(1);
        assertThat(counter("ignored", "ignored")).isEqualTo(1);

        // WHEN "export completed" arrives while RDS still runs the task
        send(exportCompleted());

        // THEN it is not dropped nor failed: it is re-sent to the queue with an SQS delay
        await().atMost(PROMPT).until(() -> rechecks("export_task_finished") == 1
                && delayed(queueUrl) == 1 && sqs.depth(queueUrl) == 1);
        assertThat(s3.keys(BUCKET, "")).isEmpty();
        assertThat(glue.crawls(CRAWLER)).isEmpty();

        // WHEN the export finishes (RDS writes the parquet parts and the export_info JSON files) and
        // "export completed" arrives again
        List<String> keys = rds.completeExport(TASK_ID, ACCT, 3, 2);
        Instant filesLanded = Instant.now();
        send(exportCompleted());

        // THEN the chain runs once: ACLs on every object, one notification, one crawl
        await().atMost(PROMPT).untilAsserted(() -> assertThat(glue.crawls(CRAWLER)).hasSize(1));
        // ... and the early event's re-check comes back and changes nothing
        await().atMost(RECHECK_ROUND_TRIP).until(() -> counter("export_task_finished", "already_done") == 1
                && sqs.depth(queueUrl) == 0);

        assertThat(keys).hasSize(7)
                .anyMatch(k -> k.startsWith(FOLDER + "export_info_" + TASK_ID))
                .anyMatch(k -> k.startsWith(FOLDER + "export_tables_info_" + TASK_ID))
                .allMatch(k -> k.startsWith(FOLDER));
        assertThat(s3.objects(BUCKET, FOLDER)).hasSize(7).allSatisfy(o ->
                assertThat(o.acl()).as(o.key()).isEqualTo("bucket-owner-full-control"));
        assertThat(fake.requests("PutObjectAcl")).hasSize(7).allSatisfy(r -> assertThat(r.params())
                .containsEntry("x-amz-acl", "bucket-owner-full-control"));

        assertThat(fake.requests("StartCrawler")).hasSize(1);
        List<String> calls = fake.requests().stream().map(LoggedRequest::operation).toList();
        assertThat(calls.indexOf("StartCrawler")).as("the crawl starts after the last ACL is in place")
                .isGreaterThan(calls.lastIndexOf("PutObjectAcl"));
        assertThat(glue.crawls(CRAWLER)).singleElement().satisfies(crawl -> {
            assertThat(crawl.start()).isAfter(filesLanded);
            assertThat(crawl.objects()).containsExactlyInAnyOrderElementsOf(
                    keys.stream().map(k -> "s3://" + BUCKET + "/" + k).toList());
        });

        assertThat(sns.messages(TOPIC)).singleElement().satisfies(m -> {
            JsonNode body = JSON.readTree(m.body());
            assertThat(body.path("event").asText()).isEqualTo("export-completed");
            assertThat(body.path("policy").asText()).isEqualTo(POLICY);
            assertThat(body.path("source").asText()).isEqualTo(INSTANCE);
            assertThat(body.path("snapshot").asText()).isEqualTo(SNAPSHOT);
            assertThat(body.path("snapshotArn").asText()).isEqualTo(ARN);
            assertThat(body.path("exportTaskId").asText()).isEqualTo(TASK_ID);
            assertThat(body.path("status").asText()).isEqualTo("COMPLETE");
            assertThat(body.path("s3Location").asText()).isEqualTo("s3://" + BUCKET + "/" + FOLDER);
        });

        assertThat(rds.exportTasks()).hasSize(1);
        assertThat(fake.requests("StartExportTask")).hasSize(1);
        assertThat(counter("export_task_finished", "done")).isEqualTo(1);
        assertThat(sqs.depth(queueUrl)).as("queue drained").isZero();
        assertThat(sqs.depth(dlqUrl)).as("dead-letter queue").isZero();

        // THEN the ledger, as GET /pipelines/{snapshot} shows it, has every step done
        JsonNode pipeline = pipeline(SNAPSHOT);
        assertThat(pipeline.path("id").asText()).isEqualTo(ARN);
        assertThat(pipeline.path("snapshotIdentifier").asText()).isEqualTo(SNAPSHOT);
        Map<String, String> steps = new LinkedHashMap<>();
        pipeline.path("steps").forEach(s -> steps.put(s.path("name").asText(), s.path("state").asText()));
        assertThat(steps).containsExactly(
                Map.entry("policy", "DONE"),
                Map.entry("export:" + POLICY, "DONE"),
                Map.entry("acl:" + POLICY, "DONE"),
                Map.entry("notify:" + POLICY, "DONE"),
                Map.entry("crawl:" + POLICY, "DONE"));
        Ledger ledger = ctx.getBean(Ledger.class);
        assertThat(ledger.operation("export#" + ARN + "#" + POLICY)).hasValueSatisfying(op -> {
            assertThat(op.completed()).isTrue();
            assertThat(op.result()).contains(TASK_ID + "|" + INSTANCE);
        });
        for (String key : List.of("acl#" + TASK_ID, "crawl#" + TASK_ID, "notify#" + TASK_ID + "#completed")) {
            assertThat(ledger.operation(key)).as(key).hasValueSatisfying(op -> assertThat(op.completed()).isTrue());
        }
    }

    // ------------------------------------------------------------------ events, as SNS delivers them

    private String created() {
        return fixture("events/sns/rds-0042-manual-db-snapshot.json").replace("orders-before-migration", SNAPSHOT);
    }

    private String creating() {
        return fixture("events/sns/rds-0040-creating-manual-snapshot.json").replace("orders-before-migration", SNAPSHOT);
    }

    private String exportCompleted() {
        return fixture("events/sns/rds-0161-export-completed.json").replace("rds:orders-db-2024-05-01-03-10", SNAPSHOT);
    }

    private String fixture(String path) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    private void send(String body) {
        sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    // ------------------------------------------------------------------ reading state

    /** {@code snapline_messages_total{kind,outcome}} of the running consumer. */
    private long counter(String kind, String outcome) {
        Counter c = server.getApplicationContext().getBean(MeterRegistry.class).find("snapline.messages")
                .tags("kind", kind, "outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** {@code snapline_message_rechecks_total{kind}}: re-checks are counted apart from outcomes. */
    private long rechecks(String kind) {
        Counter c = server.getApplicationContext().getBean(MeterRegistry.class).find("snapline.message.rechecks")
                .tags("kind", kind).counter();
        return c == null ? 0 : (long) c.count();
    }

    private int delayed(String url) {
        return Integer.parseInt(sqs.client().getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    private JsonNode pipeline(String snapshotId) {
        String body = http.toBlocking().retrieve("/pipelines/" + snapshotId);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
