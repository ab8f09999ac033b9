package io.snapline.local;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.aws.AwsClientFactory;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local mode's offline dry run walks the whole scheduled chain: a tick "creates" the snapshot, the
 * event RDS would then publish (0042) comes through the embedded queue, the export and the copy to
 * the DR region are "started", and the copy's 0060 from the destination region records it finished.
 * Every write is a logged request, nothing else; a duplicated tick adds nothing.
 */
class LocalDryRunScheduleChainIT {

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
    void aTick_isFollowedByTheCreatedEvent_theExportTheCopy_andTheCopysFinish_allAsLoggedRequests() throws Exception {
        dryRunLog.start();
        ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).addAppender(dryRunLog);
        Path ledgerFile = Files.createTempDirectory("snapline-schedule-dry-run").resolve("ledger.jsonl");
        Map<String, Object> config = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledgerFile.toString(),
                "snapline.queue.wait-time", "1s",
                "snapline.scheduling.local-scheduler", "false"));
        config.putAll(Map.of(
                "snapline.snapshots.hourly.sources", "orders-db",
                "snapline.snapshots.hourly.scope", "instance",
                "snapline.snapshots.hourly.schedule", "cron(0 * * * ? *)",
                "snapline.snapshots.hourly.name-prefix", "snapline-hourly",
                "snapline.copies.dr.sources", "orders-db",
                "snapline.copies.dr.scope", "instance",
                "snapline.copies.dr.destination-region", "us-west-2"));
        config.putAll(Map.of(
                "snapline.exports.daily.sources", "orders-db",
                "snapline.exports.daily.bucket", "acme-exports",
                "snapline.exports.daily.prefix", "rds/{source}/{date}",
                "snapline.exports.daily.kms-key", "alias/exports",
                "snapline.exports.daily.export-role-arn", "arn:aws:iam::123456789012:role/rds-export",
                "snapline.exports.daily.batch-role-arn", "arn:aws:iam::123456789012:role/batch-acl",
                "snapline.exports.daily.crawler", "orders-exports"));
        server = ApplicationContext.run(EmbeddedServer.class, config, "local");
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);
        String region = server.getApplicationContext().getBean(AwsClientFactory.class).region().id();

        Instant slot = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String identifier = "snapline-hourly-orders-db-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC).format(slot);
        String arn = "arn:aws:rds:" + region + ":000000000000:snapshot:" + identifier;
        String tick = "{\"command\":\"snapshot\",\"policy\":\"hourly\",\"slot\":\"" + slot + "\"}";
        post(tick);
        post(tick);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(step(ledger, arn, "copy:dr")).contains(StepState.DONE));

        List<String> lines = dryRunLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines.stream().filter(l -> l.contains("would call rds:CreateDBSnapshot"))).singleElement()
                .asString().contains("DBSnapshotIdentifier=" + identifier).contains("DBInstanceIdentifier=orders-db");
        assertThat(lines.stream().filter(l -> l.contains("assuming RDS publishes RDS-EVENT-0042"))).singleElement()
                .asString().contains(identifier);
        assertThat(lines.stream().filter(l -> l.contains("would call rds:StartExportTask"))).singleElement()
                .asString().contains("SourceArn=" + arn).contains("acme-exports");
        assertThat(lines.stream().filter(l -> l.contains("would call rds:CopyDBSnapshot in us-west-2"))).singleElement()
                .asString().contains("SourceDBSnapshotIdentifier=" + arn)
                .contains("TargetDBSnapshotIdentifier=snapline-copy-" + identifier);
        assertThat(lines.stream().filter(l -> l.contains("assuming RDS publishes RDS-EVENT-0060"))).singleElement()
                .asString().contains("snapline-copy-" + identifier).contains("us-west-2");
        assertThat(step(ledger, arn, "export:daily")).contains(StepState.STARTED);
    }

    private static Optional<StepState> step(Ledger ledger, String arn, String name) {
        return ledger.pipeline(arn).flatMap(p -> p.steps().stream().filter(s -> s.name().equals(name)).findFirst())
                .map(Pipeline.Step::state);
    }

    private void post(String body) {
        http.toBlocking().exchange(HttpRequest.POST("/events", body).contentType(MediaType.APPLICATION_JSON), String.class);
    }
}
