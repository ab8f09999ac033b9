package io.snapline.handler.export;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.aws.DryRunGateways;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole export chain in local mode (embedded SQS, embedded ledger, offline dry run): real RDS
 * event bodies posted to {@code /events} go through the queue, the parser and the export handlers,
 * and every write of the chain is logged as the exact SDK request instead of being made.
 */
class LocalDryRunExportChainIT {

    private static final String ARN = "arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-db-2024-05-01-03-10";

    private EmbeddedServer server;
    private HttpClient http;
    private final ListAppender<ILoggingEvent> dryRunLog = new ListAppender<>();

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).detachAppender(dryRunLog);
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createdThenCompleted_runsTheWholeChain_andLogsEachWrite() throws Exception {
        dryRunLog.start();
        ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).addAppender(dryRunLog);
        Path ledgerFile = Files.createTempDirectory("snapline-export-dry-run").resolve("ledger.jsonl");
        Map<String, Object> config = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledgerFile.toString(),
                "snapline.queue.wait-time", "1s"));
        config.putAll(Map.of(
                "snapline.exports.daily.sources", "orders-db",
                "snapline.exports.daily.bucket", "acme-exports",
                "snapline.exports.daily.prefix", "rds/{source}/{date}",
                "snapline.exports.daily.kms-key", "alias/exports",
                "snapline.exports.daily.export-role-arn", "arn:aws:iam::123456789012:role/rds-export",
                "snapline.exports.daily.batch-role-arn", "arn:aws:iam::123456789012:role/batch-acl",
                "snapline.exports.daily.crawler", "orders-exports",
                "snapline.exports.daily.notification-topic", "arn:aws:sns:us-east-1:123456789012:exports"));
        server = ApplicationContext.run(EmbeddedServer.class, config, "local");
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);

        post("events/sns/rds-0091-automated-db-snapshot.json");
        post("events/sns/rds-0091-automated-db-snapshot.json");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(step(ledger, "export:daily")).contains(StepState.STARTED));

        post("events/sns/rds-0161-export-completed.json");
        post("events/sns/rds-0161-export-completed.json");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(step(ledger, "export:daily")).contains(StepState.DONE);
            assertThat(step(ledger, "acl:daily")).contains(StepState.DONE);
            assertThat(step(ledger, "crawl:daily")).contains(StepState.DONE);
        });

        List<String> lines = dryRunLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        String taskId = ExportTaskIds.forArn("daily", ARN);
        assertThat(lines.stream().filter(l -> l.contains("would call rds:StartExportTask"))).singleElement()
                .asString().contains(taskId).contains(ARN).contains("acme-exports")
                // {date} is the snapshot's time (its name carries it), not the day the dry run ran
                .contains("S3Prefix=rds/orders-db/2024/05/01)");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("would call s3:PutObjectAcl").contains(taskId));
        assertThat(lines.stream().filter(l -> l.contains("would call glue:StartCrawler"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains("would call sns:Publish"))).hasSize(1);
    }

    private Optional<StepState> step(Ledger ledger, String name) {
        return ledger.pipeline(ARN).flatMap(p -> p.steps().stream().filter(s -> s.name().equals(name)).findFirst())
                .map(Pipeline.Step::state);
    }

    private void post(String fixture) throws Exception {
        String body = new String(getClass().getClassLoader().getResourceAsStream(fixture).readAllBytes());
        http.toBlocking().exchange(HttpRequest.POST("/events", body).contentType(MediaType.APPLICATION_JSON), String.class);
    }
}
