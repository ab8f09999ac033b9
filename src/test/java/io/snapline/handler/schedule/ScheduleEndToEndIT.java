package io.snapline.handler.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.QueueModeApp;
import io.snapline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Tokyo schedule (02:00 and 14:00 JST) through the running service: the application started
 * against the embedded SQS queue and the wire fakes, its clock the test's; three simulated days of
 * ticks sent as EventBridge Scheduler sends them, each one twice and once more re-published with
 * another spelling of its slot, plus a late duplicate after the window. The example's cross-region copies
 * are {@code io.snapline.handler.copy.TokyoCopiesEndToEndIT} (docs/copies.md).
 */
class ScheduleEndToEndIT {

    static final Duration PROMPT = Duration.ofSeconds(20);
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T16:59:00Z"));


    FakeAws fake;
    EmbeddedSqs sqs;
    String queueUrl;
    EmbeddedServer server;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAws();
        fake.rds().addInstance("orders-db");
        fake.rds().clock(CLOCK);
        sqs = new EmbeddedSqs();
        queueUrl = sqs.createQueueWithDlq("snapline-schedules", 10, 5)[0];
        Path ledgerFile = Files.createTempDirectory("snapline-schedule-ledger").resolve("ledger.jsonl");
        Map<String, Object> config = QueueModeApp.config(fake.endpoint(), sqs.endpoint(), queueUrl, ledgerFile, "10s");
        config.put(QueueModeApp.TestClock.PROPERTY, true);
        QueueModeApp.TestClock.use(CLOCK);
        // the Tokyo example of docs/schedules.md (the snapshot half)
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
    void threeDaysOfTicks_makeExactlyTwoSnapshotsADay_whateverIsDuplicatedOrRetried() {
        Instant slot = Instant.parse("2026-12-01T17:00:00Z"); // 02:00 JST, 2 December
        long messages = 0;
        for (int i = 0; i < 6; i++, slot = slot.plus(Duration.ofHours(12))) {
            CLOCK.set(slot.plusSeconds(3));
            send("{\"command\":\"snapshot\",\"policy\":\"tokyo-dr\",\"slot\":\"" + slot + "\"}");
            send("{\"command\":\"snapshot\",\"policy\":\"tokyo-dr\",\"slot\":\"" + slot + "\"}");
            // a re-published tick: the same slot, written with milliseconds and an offset
            send("{\"command\":\"snapshot\",\"policy\":\"tokyo-dr\",\"slot\":\""
                    + slot.atZone(ZoneId.of("Asia/Tokyo")).toOffsetDateTime() + "\"}");
            messages += 3;
            long expected = messages;
            int made = i + 1;
            await().atMost(PROMPT).until(() -> handled() >= expected);
            assertThat(fake.rds().snapshotsIn(FakeAws.REGION)).hasSize(made);
            fake.rds().finishPendingSnapshots();
        }
        // a tick of the first slot, delivered two days late: skipped as stale, nothing made
        send("{\"command\":\"snapshot\",\"policy\":\"tokyo-dr\",\"slot\":\"2026-12-01T17:00:00Z\"}");
        await().atMost(PROMPT).until(() -> counter("command", "skipped") == 1);

        List<FakeRds.Snapshot> made = fake.rds().snapshotsIn(FakeAws.REGION);
        assertThat(fake.requests("CreateDBSnapshot")).hasSize(6);
        Map<String, Long> perDay = made.stream().collect(Collectors.groupingBy(
                x -> x.identifier().replaceAll(".*-(\\d{8})-\\d{4}$", "$1"), TreeMap::new, Collectors.counting()));
        assertThat(perDay).containsExactly(Map.entry("20261202", 2L), Map.entry("20261203", 2L),
                Map.entry("20261204", 2L));
        assertThat(made).extracting(FakeRds.Snapshot::identifier).contains("snapline-tokyo-orders-db-20261202-0200",
                "snapline-tokyo-orders-db-20261204-1400");
        assertThat(counter("command", "already_done")).isEqualTo(0); // duplicates are answered DONE by the command…
        assertThat(server.getApplicationContext().getBean(MeterRegistry.class).find("snapline.steps")
                .tags("stage", "snapshot", "policy", "tokyo-dr", "outcome", "already_done").counter().count())
                .isEqualTo(12.0); // …whose steps were already done: 12 duplicate steps, no call
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
