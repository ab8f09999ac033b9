package io.snapline.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.ledger.EmbeddedLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A ledger that cannot write makes {@code /health} DOWN and says why. The journal's directory is
 * replaced by a file: that stops writes even for root, which the tests run as (permission bits would not).
 */
class LedgerHealthIndicatorIT {

    private EmbeddedServer server;
    private HttpClient http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static void breakJournal(Path journal) throws Exception {
        Path dir = journal.getParent();
        Files.deleteIfExists(journal);
        Files.delete(dir);
        Files.writeString(dir, "not a directory");
    }

    @Test
    void check_isDown_withTheReason_whileTheJournalCannotBeWritten_andUpAgainAfter() throws Exception {
        Path journal = Files.createTempDirectory("snapline-health").resolve("ledger").resolve("ledger.jsonl");
        try (EmbeddedLedger ledger = new EmbeddedLedger(journal, Duration.ofDays(1), Clock.systemUTC())) {
            LedgerHealthIndicator indicator = new LedgerHealthIndicator(ledger);
            assertThat(indicator.check().getStatus()).isEqualTo(HealthStatus.UP);

            breakJournal(journal);
            HealthResult down = indicator.check();
            assertThat(down.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(down.getName()).isEqualTo("ledger");
            Map<?, ?> details = (Map<?, ?>) down.getDetails();
            assertThat(details.get("store")).isEqualTo("embedded journal " + journal);
            assertThat(details.get("error")).asString().contains("cannot write the ledger journal " + journal, "Not a directory");
            assertThat(details.get("since")).isNotNull();

            Files.delete(journal.getParent());
            Files.createDirectory(journal.getParent());
            assertThat(indicator.check().getStatus()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void health_isDown_inTheRunningService_namingTheLedgerAndWhy() throws Exception {
        Path journal = Files.createTempDirectory("snapline-health").resolve("ledger").resolve("ledger.jsonl");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", journal.toString(),
                "snapline.queue.wait-time", "1s"), "local");
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        assertThat((CharSequence) http.toBlocking().retrieve("/health")).contains("\"ledger\"")
                .contains("embedded journal " + journal);

        breakJournal(journal);

        assertThatThrownBy(() -> http.toBlocking().retrieve("/health"))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.getCode());
                    assertThat(e.getResponse().getBody(String.class).orElse(""))
                            .contains("\"status\":\"DOWN\"")
                            .contains("cannot write the ledger journal " + journal)
                            .contains("Not a directory");
                });
    }
}
