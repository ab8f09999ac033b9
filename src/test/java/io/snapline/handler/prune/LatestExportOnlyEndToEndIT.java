package io.snapline.handler.prune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeGlue;
import io.snapline.fake.FakeRds;
import io.snapline.fake.FakeS3;
import io.snapline.fake.LoggedRequest;
import io.snapline.handler.export.ExportTaskIds;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.MutableClock;
import io.snapline.testing.QueueModeApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "latest export only" example of {@code docs/latest-export-only.md} through the running service:
 * a daily snapshot schedule, the export policy that matches its snapshots and export retention
 * {@code keep-last: 1}. The application runs in queue mode against the embedded SQS queue and the wire
 * fakes, its clock the test's. Three simulated days: each day's tick (a command message, as EventBridge
 * Scheduler sends it) makes the snapshot; its "snapshot created" event (RDS-EVENT-0042 in the SNS
 * envelope) starts the export; RDS (the fake) writes the files; "export completed" (0161) runs ACLs,
 * the export retention and the crawl. At the end one export is left in the bucket, the newest, and the
 * crawler's last run started after the older exports' objects were deleted and saw only the newest.
 */
class LatestExportOnlyEndToEndIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    static final Duration PROMPT = Duration.ofSeconds(30);
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-02T02:59:00Z"));

    private static final String ACCT = FakeAws.ACCOUNT;
    private static final String POLICY = "latest";
    private static final String SCHEDULE = "daily-export";
    private static final String INSTANCE = "orders-db";
    private static final String BUCKET = "acme-latest-exports";
    private static final String CRAWLER = "orders-latest";
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:" + ACCT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String EXPORT_ROLE = "arn:aws:iam::" + ACCT + ":role/snapline-rds-export";
    private static final ObjectMapper JSON = new ObjectMapper();


    FakeAws fake;
    EmbeddedSqs sqs;
    String queueUrl;
    String dlqUrl;
    EmbeddedServer server;
    HttpClient http;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAws();
        fake.rds().addInstance(INSTANCE);
        fake.rds().clock(CLOCK);
        fake.s3().createBucket(BUCKET, ACCT, "BucketOwnerPreferred");
        fake.glue().addCrawler(CRAWLER, "s3://" + BUCKET + "/rds/");
        sqs = new EmbeddedSqs();
        String[] urls = sqs.createQueueWithDlq("snapline-latest-export", 10, 5);
        queueUrl = urls[0];
        dlqUrl = urls[1];
        Path ledgerFile = Files.createTempDirectory("snapline-latest-export-ledger").resolve("ledger.jsonl");
        Map<String, Object> config = QueueModeApp.config(fake.endpoint(), sqs.endpoint(), queueUrl, ledgerFile, "10s");
        config.put(QueueModeApp.TestClock.PROPERTY, true);
        QueueModeApp.TestClock.use(CLOCK);
        // docs/latest-export-only.md, as written there
        String s = "snapline.snapshots." + SCHEDULE + ".";
        config.put(s + "sources", INSTANCE);
        config.put(s + "scope", "instance");
        config.put(s + "schedule", "cron(0 3 * * ? *)");
        config.put(s + "time-zone", "UTC");
        config.put(s + "name-prefix", "snapline-daily");
        config.put(s + "catch-up-window", "6h");
        String p = "snapline.exports." + POLICY + ".";
        config.put(p + "sources", INSTANCE);
        config.put(p + "bucket", BUCKET);
        config.put(p + "prefix", "rds/{source}/{date}");
        config.put(p + "kms-key", KMS_KEY);
        config.put(p + "export-role-arn", EXPORT_ROLE);
        config.put(p + "crawler", CRAWLER);
        config.put(p + "acl-mode", "per-object");
        config.put(p + "bucket-owner-account", ACCT);
        config.put(p + "retention.keep-last", "1");
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
    void threeDailySnapshotsExported_onlyTheNewestExportIsLeft_andTheLastCrawlSawOnlyIt() {
        FakeRds rds = fake.rds();
        FakeS3 s3 = fake.s3();
        FakeGlue glue = fake.glue();
        List<String> snapshots = new ArrayList<>();
        List<String> taskIds = new ArrayList<>();
        List<List<String>> keysByDay = new ArrayList<>();

        Instant slot = Instant.parse("2026-12-02T03:00:00Z");
        for (int day = 1; day <= 3; day++, slot = slot.plus(Duration.ofDays(1))) {
            // the day's tick makes the day's snapshot
            CLOCK.set(slot.plusSeconds(3));
            send("{\"command\":\"snapshot\",\"policy\":\"" + SCHEDULE + "\",\"slot\":\"" + slot + "\"}");
            String snapshot = "snapline-daily-" + INSTANCE + "-" + slot.toString().substring(0, 10).replace("-", "") + "-0300";
            await().atMost(PROMPT).until(() -> rds.snapshotIn(FakeAws.REGION, snapshot).isPresent());
            assertThat(rds.finishPendingSnapshots()).isEqualTo(1);
            String arn = "arn:aws:rds:" + FakeAws.REGION + ":" + ACCT + ":snapshot:" + snapshot;
            String taskId = ExportTaskIds.forArn(POLICY, arn);

            // RDS announces it; the export policy exports it
            CLOCK.set(slot.plusSeconds(600));
            send(rdsEvent("RDS-EVENT-0042", snapshot, arn, "Manual snapshot created"));
            await().atMost(PROMPT).until(() -> rds.exportTask(taskId).isPresent());
            assertThat(rds.exportTask(taskId).orElseThrow().folder())
                    .isEqualTo("rds/" + INSTANCE + "/" + slot.toString().substring(0, 10).replace("-", "/") + "/" + taskId + "/");

            // RDS writes the files and announces the end; ACLs, export retention, crawl
            List<String> keys = rds.completeExport(taskId, ACCT, 2, 1);
            CLOCK.set(slot.plusSeconds(3600));
            send(rdsEvent("RDS-EVENT-0161", snapshot, arn, "Snapshot export task completed."));
            int crawls = day;
            await().atMost(PROMPT).until(() -> glue.crawls(CRAWLER).size() == crawls);
            await().atMost(PROMPT).until(() -> sqs.depth(queueUrl) == 0);

            // after each day exactly that day's export is in the bucket
            assertThat(s3.keys(BUCKET, "")).as("day %d", day).containsExactlyInAnyOrderElementsOf(keys);
            // and the crawl of the day started after the previous day's export was deleted
            assertThat(glue.crawls(CRAWLER).get(day - 1).objects()).as("crawl of day %d", day)
                    .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> "s3://" + BUCKET + "/" + k).toList());
            glue.finishCrawl(CRAWLER, "SUCCEEDED");

            snapshots.add(snapshot);
            taskIds.add(taskId);
            keysByDay.add(keys);
        }

        // three snapshots, three exports, all complete; one export left: the newest
        assertThat(rds.snapshotsIn(FakeAws.REGION)).extracting(FakeRds.Snapshot::identifier)
                .containsExactlyElementsOf(snapshots);
        assertThat(fake.requests("CreateDBSnapshot")).hasSize(3);
        assertThat(fake.requests("StartExportTask")).hasSize(3);
        assertThat(rds.exportTasks()).extracting(FakeRds.ExportTask::status).containsOnly("COMPLETE").hasSize(3);
        assertThat(s3.keys(BUCKET, "")).containsExactlyInAnyOrderElementsOf(keysByDay.get(2));
        for (int old = 0; old < 2; old++) {
            String folder = rds.exportTask(taskIds.get(old)).orElseThrow().folder();
            assertThat(s3.keys(BUCKET, folder)).as("export of day %d deleted", old + 1).isEmpty();
            assertThat(keysByDay.get(old)).allMatch(k -> k.startsWith(folder));
        }

        // the catalog: three crawls, each after its export's files and after the deletions before it
        assertThat(fake.requests("StartCrawler")).hasSize(3);
        List<String> ops = fake.requests().stream().map(LoggedRequest::operation).toList();
        int lastCrawl = ops.lastIndexOf("StartCrawler");
        int lastDelete = Math.max(ops.lastIndexOf("DeleteObjects"), ops.lastIndexOf("DeleteObject"));
        assertThat(lastDelete).as("the older exports were deleted by S3 requests").isGreaterThanOrEqualTo(0);
        assertThat(lastCrawl).as("the last crawl starts after the last deletion").isGreaterThan(lastDelete);
        assertThat(glue.crawls(CRAWLER).get(2).objects())
                .containsExactlyInAnyOrderElementsOf(keysByDay.get(2).stream().map(k -> "s3://" + BUCKET + "/" + k).toList());
        assertThat(glue.state(CRAWLER)).isEqualTo("READY");

        // /pipelines: one pipeline per snapshot, from its scheduled creation to its crawl; the newest
        // snapshot's ran the export retention after its ACLs, before its crawl
        Map<String, String> steps = steps(snapshots.get(2));
        assertThat(steps).containsEntry("snapshot:" + SCHEDULE, "DONE").containsEntry("export:" + POLICY, "DONE").containsEntry("acl:" + POLICY, "DONE")
                .containsEntry("prune-exports:" + POLICY, "DONE").containsEntry("crawl:" + POLICY, "DONE");
        assertThat(List.copyOf(steps.keySet())).containsSubsequence("acl:" + POLICY, "prune-exports:" + POLICY,
                "crawl:" + POLICY);
        assertThat(sqs.depth(dlqUrl)).as("dead-letter queue").isZero();
    }

    // ------------------------------------------------------------------ RDS events, as SNS delivers them

    /** An RDS event of a DB snapshot in the SNS envelope (raw delivery off); a new MessageId each time. */
    private static String rdsEvent(String eventId, String snapshot, String arn, String message) {
        ObjectNode inner = JSON.createObjectNode();
        inner.put("Event Source", "db-snapshot");
        inner.put("Event Time", CLOCK.instant().toString().replace('T', ' ').replace("Z", "").substring(0, 19) + ".000");
        inner.put("Identifier Link", "https://console.aws.amazon.com/rds/home?region=us-east-1#db-snapshot:id=" + snapshot);
        inner.put("Source ID", snapshot);
        inner.put("Source ARN", arn);
        inner.put("Event ID", "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html#" + eventId);
        inner.put("Event Message", message);
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", UUID.randomUUID().toString());
        envelope.put("TopicArn", "arn:aws:sns:us-east-1:" + ACCT + ":snapline-rds-events");
        envelope.put("Subject", "RDS Notification Message");
        envelope.put("Message", inner.toString());
        envelope.put("Timestamp", CLOCK.instant().toString());
        envelope.put("SignatureVersion", "1");
        envelope.put("Signature", "EXAMPLE");
        envelope.put("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem");
        envelope.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe");
        ObjectNode attributes = envelope.putObject("MessageAttributes");
        attributes.putObject("EventID").put("Type", "String").put("Value", eventId);
        attributes.putObject("Resource").put("Type", "String").put("Value", arn);
        return envelope.toString();
    }

    private void send(String body) {
        sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** The steps of a snapshot's pipeline as {@code GET /pipelines/{snapshot}} shows them, in order. */
    private Map<String, String> steps(String snapshot) {
        String body = http.toBlocking().retrieve("/pipelines/" + snapshot);
        try {
            JsonNode pipeline = JSON.readTree(body);
            Map<String, String> steps = new LinkedHashMap<>();
            pipeline.path("steps").forEach(x -> steps.put(x.path("name").asText(), x.path("state").asText()));
            return steps;
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
