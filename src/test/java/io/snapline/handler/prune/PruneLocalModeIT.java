package io.snapline.handler.prune;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.fake.FakeAws;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service in local mode (always a dry run) reading from FakeAws: a {@code prune} command
 * posted to /events goes through the queue, the command handler and the Pruner, deletes nothing,
 * and its plan is served at {@code GET /prune/plan}.
 */
class PruneLocalModeIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void pruneCommand_inLocalMode_plansWithoutDeleting_andServesThePlan() throws Exception {
        try (FakeAws fake = new FakeAws()) {
            Instant now = Instant.now();
            for (int i = 0; i < 5; i++) {
                fake.rds().addDbSnapshot("snapline-orders-" + i, "orders").createdAt(now.minus(Duration.ofDays(i)))
                        .tag("snapline:managed", "true");
            }
            fake.rds().addDbSnapshot("rds:orders-2026-01-01-00-00", "orders").createdAt(now.minus(Duration.ofDays(90)));
            Path ledger = Files.createTempDirectory("snapline-prune-local").resolve("ledger.jsonl");
            Map<String, Object> config = Map.ofEntries(
                    Map.entry("micronaut.server.port", -1),
                    Map.entry("snapline.local.sqs-port", 0),
                    Map.entry("snapline.ledger.path", ledger.toString()),
                    Map.entry("snapline.queue.wait-time", "1s"),
                    Map.entry("snapline.region", "us-east-1"),
                    Map.entry("snapline.aws.endpoint", fake.endpoint().toString()),
                    Map.entry("snapline.retention.orders.sources", "orders"),
                    Map.entry("snapline.retention.orders.name-prefix", "snapline-"),
                    Map.entry("snapline.retention.orders.keep-last", "3"),
                    Map.entry("snapline.retention.orders.scope", "instance"));
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config, "local");
                 HttpClient http = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
                http.toBlocking().exchange(HttpRequest.POST("/events", "{\"command\":\"prune\",\"policy\":\"orders\"}")
                        .contentType(MediaType.APPLICATION_JSON), Map.class);

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        http.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=orders"), String.class))
                        .contains("\"dryRun\":true")
                        .contains("\"snapline-orders-4\"").contains("\"snapline-orders-3\"")
                        .contains("keep-last #1").contains("\"automated\":1"));
                assertThat(fake.requests("DeleteDBSnapshot")).isEmpty();
                assertThat(fake.rds().snapshotCount()).isEqualTo(6);
            }
        }
    }
}
