package io.snapline.handler.clone;

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
import io.snapline.masking.Flavour;
import io.snapline.masking.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local mode, offline: a {@code POST /clones} walks the whole clone chain as a dry run, logging each
 * RDS request it would make, and the masking really runs against the local database the policy's
 * {@code local-jdbc-url} names, so a new user sees it work.
 */
class LocalCloneDryRunIT {

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
    void postClones_dryRunLogsTheRdsRequests_andMasksTheLocalDatabase() throws Exception {
        dryRunLog.start();
        ((Logger) LoggerFactory.getLogger(DryRunGateways.LOGGER)).addAppender(dryRunLog);
        TestDatabases.Database db = TestDatabases.create(Flavour.POSTGRESQL);
        db.exec("CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)",
                "INSERT INTO customers SELECT g, 'p' || g || '@real-mail.org' FROM generate_series(1, 300) g");
        Path ledgerFile = Files.createTempDirectory("snapline-clone-dry-run").resolve("ledger.jsonl");
        Map<String, Object> config = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledgerFile.toString(),
                "snapline.queue.wait-time", "1s",
                "snapline.cloning.recheck-interval", "1s"));
        String p = "snapline.clones.dev.";
        config.put(p + "sources", List.of("orders-db"));
        config.put(p + "instance-classes", List.of("db.t4g.medium"));
        config.put(p + "masking-security-groups", List.of("sg-0123456789abcdef0"));
        config.put(p + "security-groups", List.of("sg-0fedcba987654321f"));
        config.put(p + "masking.tables.public.customers.columns.email", "fake:email");
        config.put(p + "local-jdbc-url", db.url());
        config.put(p + "local-user", db.user());
        config.put(p + "local-password", db.password());
        server = ApplicationContext.run(EmbeddedServer.class, config, "local");
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);

        String answer = http.toBlocking().retrieve(HttpRequest.POST("/clones",
                "{\"source\":\"orders-db\",\"requestedBy\":\"new-user\",\"requestId\":\"try-1\"}")
                .contentType(MediaType.APPLICATION_JSON));
        String id = CloneIds.of("dev", "orders-db", "try-1");
        assertThat(answer).contains(id);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ledger.operation(CloneStore.key(id, "handover")).map(o -> o.completed()).orElse(false)).isTrue());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE email NOT LIKE '%@example.com'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        List<String> lines = dryRunLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("would call rds:RestoreDBClusterToPointInTime")
                .contains(id).contains("copy-on-write"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("would call rds:CreateDBInstance"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("would call rds:ModifyDBCluster")
                .contains("sg-0fedcba987654321f"));
    }
}
