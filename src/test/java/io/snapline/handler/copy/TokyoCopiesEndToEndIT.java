package io.snapline.handler.copy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.config.CopyPolicy;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.fake.LoggedRequest;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Tokyo example of issue 11 (docs/copies.md) through the running service, against the embedded SQS queue
 * and the wire fakes, with the test's clock: a database in ap-northeast-1, snapshots at 02:00 and 14:00 JST kept
 * 50 days there, each copied to us-east-1 and kept there one day. Three simulated days: every tick is sent twice
 * and re-published once; every "snapshot created" (0042) twice with the same SNS message id and once re-published
 * with another; every "copy finished" (0060, from us-east-1's subscription) twice; a {@code prune} an hour after
 * each slot. Exactly two snapshots a day in Tokyo, each copied once, the copies deleted once a day old, the Tokyo
 * snapshots all kept, nothing in us-east-1 that the copy policy did not make ever touched.
 */
class TokyoCopiesEndToEndIT {

    static final Duration PROMPT = Duration.ofSeconds(30);
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T16:59:00Z"));
    static final String TOKYO = "ap-northeast-1";
    static final String VIRGINIA = "us-east-1";
    static final String TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:snapline-dr";


    FakeAws fake;
    EmbeddedSqs sqs;
    String queueUrl;
    EmbeddedServer server;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAws();
        fake.rds().addInstance(TOKYO, "orders-db");
        fake.rds().clock(CLOCK);
        sqs = new EmbeddedSqs();
        queueUrl = sqs.createQueueWithDlq("snapline-copies", 10, 5)[0];
        Path ledgerFile = Files.createTempDirectory("snapline-copies-ledger").resolve("ledger.jsonl");
        Map<String, Object> config = QueueModeApp.config(fake.endpoint(), sqs.endpoint(), queueUrl, ledgerFile, "10s");
        config.put(QueueModeApp.TestClock.PROPERTY, true);
        QueueModeApp.TestClock.use(CLOCK);
        config.put("snapline.region", TOKYO);
        // docs/copies.md, the Tokyo example
        String s = "snapline.snapshots.tokyo-dr.";
        config.put(s + "sources", "orders-db");
        config.put(s + "scope", "instance");
        config.put(s + "schedule", "cron(0 2,14 * * ? *)");
        config.put(s + "time-zone", "Asia/Tokyo");
        config.put(s + "name-prefix", "snapline-tokyo");
        config.put(s + "catch-up-window", "3h");
        String r = "snapline.retention.tokyo-source.";
        config.put(r + "sources", "orders-db");
        config.put(r + "scope", "instance");
        config.put(r + "name-prefix", "snapline-tokyo-");
        config.put(r + "keep-days", "50");
        String c = "snapline.copies.tokyo-dr.";
        config.put(c + "sources", "orders-db");
        config.put(c + "scope", "instance");
        config.put(c + "kinds", "scheduled");
        config.put(c + "destination-region", VIRGINIA);
        config.put(c + "destination-kms-key-id", "arn:aws:kms:us-east-1:123456789012:key/dr-key");
        config.put(c + "name-prefix", "snapline-dr");
        config.put(c + "keep-days", "1");
        config.put(c + "notification-topic", TOPIC);
        server = ApplicationContext.run(EmbeddedServer.class, config);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        sqs.close();
        fake.close();
    }

    @Test
    void threeDays_twoSnapshotsADayInTokyo_eachCopiedOnceToVirginia_copiesPrunedAfterADay_nothingElseTouched() {
        // in us-east-1, snapshots the copy policy did not make: never touched, however old
        Instant old = CLOCK.instant().minus(Duration.ofDays(10));
        fake.rds().addDbSnapshot("snapline-dr-orders-db-handmade", "orders-db").createdAt(old)
                .tag("snapline:managed", "true");
        fake.rds().addDbSnapshot("handmade-orders-db", "orders-db").createdAt(old)
                .tag(CopyPolicy.POLICY_TAG, "tokyo-dr");
        fake.rds().addDbSnapshot("rds:orders-db-2026-11-20-00-00", "orders-db").createdAt(old);

        Instant slot = Instant.parse("2026-12-01T17:00:00Z"); // 02:00 JST, 2 December
        long messages = 0;
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < 6; i++, slot = slot.plus(Duration.ofHours(12))) {
            CLOCK.set(slot.plusSeconds(3));
            String tick = "{\"command\":\"snapshot\",\"policy\":\"tokyo-dr\",\"slot\":\"" + slot + "\"}";
            send(tick);
            send(tick);
            messages += 2;
            messages = handledAtLeast(messages);
            fake.rds().finishPendingSnapshots();
            List<FakeRds.Snapshot> made = fake.rds().snapshotsIn(TOKYO);
            assertThat(made).hasSize(i + 1);
            FakeRds.Snapshot snapshot = made.get(made.size() - 1);

            // the snapshot's 0042: twice as SNS retries it (same message id), once re-published (another id)
            CLOCK.set(slot.plusSeconds(200));
            String id = UUID.randomUUID().toString();
            send(fake.rds().snapshotCreatedEvent(TOKYO, snapshot.identifier(), id));
            send(fake.rds().snapshotCreatedEvent(TOKYO, snapshot.identifier(), id));
            send(fake.rds().snapshotCreatedEvent(TOKYO, snapshot.identifier(), UUID.randomUUID().toString()));
            messages = handledAtLeast(messages + 3);
            String copy = "snapline-dr-" + snapshot.identifier();
            copies.add(copy);
            assertThat(fake.rds().snapshotIn(VIRGINIA, copy)).get().extracting(FakeRds.Snapshot::status)
                    .isEqualTo("copying");

            // the copy finishes; us-east-1's subscription delivers 0060, twice
            CLOCK.set(slot.plusSeconds(600));
            fake.rds().finishCopy(VIRGINIA, copy);
            String finished = fake.rds().copyFinishedEvent(VIRGINIA, copy, UUID.randomUUID().toString());
            send(finished);
            send(finished);
            messages = handledAtLeast(messages + 2);

            // an hour after the slot, the daily prune, and once more (a retried prune)
            CLOCK.set(slot.plus(Duration.ofHours(1)));
            send("{\"command\":\"prune\"}");
            messages = handledAtLeast(messages + 1);
            send("{\"command\":\"prune\"}");
            messages = handledAtLeast(messages + 1);
        }

        assertThat(fake.requests("CreateDBSnapshot")).hasSize(6);
        assertThat(fake.rds().copyCalls()).hasSize(6).allSatisfy(call -> assertThat(call.region()).isEqualTo(VIRGINIA));
        assertThat(fake.rds().snapshotsIn(TOKYO)).hasSize(6); // kept 50 days
        // the copies older than a day are gone: the last two slots' remain, beside what the policy did not make
        assertThat(fake.rds().snapshotsIn(VIRGINIA)).extracting(FakeRds.Snapshot::identifier)
                .containsExactlyInAnyOrder(copies.get(4), copies.get(5), "snapline-dr-orders-db-handmade",
                        "handmade-orders-db", "rds:orders-db-2026-11-20-00-00");
        List<LoggedRequest> deletes = fake.requests("DeleteDBSnapshot");
        assertThat(deletes).extracting(d -> d.param("DBSnapshotIdentifier"))
                .containsExactlyInAnyOrder(copies.get(0), copies.get(1), copies.get(2), copies.get(3));
        // one "copy completed" per copy, duplicates of 0060 notwithstanding; no failure; the other notices on the
        // policy's topic are the destination retention's run summaries (one per run that deleted)
        assertThat(fake.sns().messages(TOPIC)).filteredOn(m -> m.body().contains("copy-completed")).hasSize(6);
        assertThat(fake.sns().messages(TOPIC)).noneSatisfy(m -> assertThat(m.body()).contains("copy-failed"));
        assertThat(fake.sns().messages(TOPIC)).filteredOn(m -> !m.body().contains("copy-completed")).hasSize(4)
                .allSatisfy(m -> assertThat(m.body()).contains("copies-tokyo-dr"));

        // /pipelines: the Tokyo snapshot's pipeline names the copy in us-east-1
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);
        FakeRds.Snapshot first = fake.rds().snapshotsIn(TOKYO).get(0);
        Pipeline pipeline = ledger.pipeline(first.arn()).orElseThrow();
        assertThat(pipeline.steps()).anySatisfy(step -> {
            assertThat(step.name()).isEqualTo("copy:tokyo-dr");
            assertThat(step.state()).isEqualTo(StepState.DONE);
            assertThat(step.detail()).contains("copy finished").contains("arn:aws:rds:us-east-1:").contains(VIRGINIA);
        });
        assertThat(counter("snapshot-created", "failed")).isZero();
    }

    /** Waits until the service has handled {@code expected} messages; answers it. */
    private long handledAtLeast(long expected) {
        await().atMost(PROMPT).until(() -> handled() >= expected);
        return expected;
    }

    private void send(String body) {
        sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    private long handled() {
        return server.getApplicationContext().getBean(MeterRegistry.class).find("snapline.messages").counters()
                .stream().mapToLong(c -> (long) c.count()).sum();
    }

    private long counter(String kind, String outcome) {
        Counter c = server.getApplicationContext().getBean(MeterRegistry.class).find("snapline.messages")
                .tags("kind", kind, "outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }
}
