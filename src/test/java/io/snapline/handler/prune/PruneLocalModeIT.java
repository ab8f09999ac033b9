package io.snapline.handler.prune;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapline.aws.DryRunGateways;
import io.snapline.fake.FakeAws;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service in local mode (always a dry run) reading from FakeAws: a {@code prune} command
 * posted to /events goes through the queue, the command handler and the Pruner, deletes nothing,
 * its plan is served at {@code GET /prune/plan}, and the dry-run log names the exact delete request
 * of each snapshot it would delete, and of no other.
 */
class PruneLocalModeIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void pruneCommand_inLocalMode_plansWithoutDeleting_servesThePlan_andLogsExactlyTheDeletesItWouldMake()
            throws Exception {
        ListAppender<ILoggingEvent> dryRunLog = dryRunLog();
        try (FakeAws fake = seeded()) {
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config(fake, 20), "local");
                 HttpClient http = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
                http.toBlocking().exchange(HttpRequest.POST("/events", "{\"command\":\"prune\",\"policy\":\"orders\"}")
                        .contentType(MediaType.APPLICATION_JSON), Map.class);

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        http.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=orders"), String.class))
                        .contains("\"dryRun\":true")
                        .contains("\"snapline-orders-4\"").contains("\"snapline-orders-3\"")
                        .contains("keep-last #1").contains("\"automated\":1"));
                await().atMost(Duration.ofSeconds(5)).until(() -> deletes(dryRunLog).size() == 2);
                assertThat(deletes(dryRunLog)).containsExactlyInAnyOrder(
                        "DBSnapshotIdentifier=snapline-orders-3", "DBSnapshotIdentifier=snapline-orders-4");
                assertThat(fake.requests("DeleteDBSnapshot")).isEmpty();
                assertThat(fake.rds().snapshotCount()).isEqualTo(6);
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).detachAppender(dryRunLog);
        }
    }

    @Test
    void aDryRunThatACapRefuses_logsNoDeleteRequest() throws Exception {
        ListAppender<ILoggingEvent> dryRunLog = dryRunLog();
        try (FakeAws fake = seeded()) {
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config(fake, 1), "local");
                 HttpClient http = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
                http.toBlocking().exchange(HttpRequest.POST("/events", "{\"command\":\"prune\",\"policy\":\"orders\"}")
                        .contentType(MediaType.APPLICATION_JSON), Map.class);

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        http.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=orders"), String.class))
                        .contains("\"dryRun\":true").contains("max-deletes"));
                assertThat(deletes(dryRunLog)).isEmpty();
                assertThat(fake.requests("DeleteDBSnapshot")).isEmpty();
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).detachAppender(dryRunLog);
        }
    }

    /** Five managed snapshots a day apart and one automated one, of the instance {@code orders}. */
    private static FakeAws seeded() {
        FakeAws fake = new FakeAws();
        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            fake.rds().addDbSnapshot("snapline-orders-" + i, "orders").createdAt(now.minus(Duration.ofDays(i)))
                    .tag("snapline:managed", "true");
        }
        fake.rds().addDbSnapshot("rds:orders-2026-01-01-00-00", "orders").createdAt(now.minus(Duration.ofDays(90)));
        return fake;
    }

    private static Map<String, Object> config(FakeAws fake, int maxDeletes) throws Exception {
        Path ledger = Files.createTempDirectory("snapline-prune-local").resolve("ledger.jsonl");
        return Map.ofEntries(
                Map.entry("micronaut.server.port", -1),
                Map.entry("snapline.local.sqs-port", 0),
                Map.entry("snapline.ledger.path", ledger.toString()),
                Map.entry("snapline.queue.wait-time", "1s"),
                Map.entry("snapline.region", "us-east-1"),
                Map.entry("snapline.aws.endpoint", fake.endpoint().toString()),
                Map.entry("snapline.retention.orders.sources", "orders"),
                Map.entry("snapline.retention.orders.name-prefix", "snapline-"),
                Map.entry("snapline.retention.orders.keep-last", "3"),
                Map.entry("snapline.retention.orders.max-deletes", Integer.toString(maxDeletes)),
                Map.entry("snapline.retention.orders.scope", "instance"));
    }

    private static ListAppender<ILoggingEvent> dryRunLog() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).addAppender(log);
        return log;
    }

    /** The snapshot identifier part of each logged DeleteDBSnapshot request. */
    private static List<String> deletes(ListAppender<ILoggingEvent> log) {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(l -> l.contains("would call rds:DeleteDBSnapshot"))
                .map(l -> l.replaceAll(".*(DBSnapshotIdentifier=[^,)]+).*", "$1")).toList();
    }
}
