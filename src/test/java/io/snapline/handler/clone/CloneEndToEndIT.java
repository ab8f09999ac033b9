package io.snapline.handler.clone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRdsClones;
import io.snapline.gateway.CloneGateway;
import io.snapline.ledger.Ledger;
import io.snapline.masking.Flavour;
import io.snapline.masking.TestDatabases;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.QueueModeApp;
import io.snapline.testing.MutableClock;
import io.snapline.web.SlackCommandsController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end test of issue 12: a signed Slack slash command through the running service
 * (HTTP server, consumer on an SQS-protocol queue, the real SDK gateways against {@link FakeAws},
 * the embedded ledger) to an Aurora copy-on-write clone whose endpoint is a real PostgreSQL this test
 * started and seeded with "production" rows: cloned, masked (the rows are really rewritten), verified,
 * resized, its password rotated, opened and handed over to a local HTTP server playing Slack's
 * {@code response_url}; then, when its time is up, reaped by the {@code reap} command, while an
 * untagged look-alike cluster survives.
 */
class CloneEndToEndIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String SOURCE = "orders-db";
    static final String MASKING_GROUP = "sg-0123456789abcdef0";
    static final String OPEN_GROUP = "sg-0fedcba987654321f";
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    static final Duration PROMPT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The application's clock (clones, schedules, the ledger's reads of the time): the test lets days pass. */
    static final MutableClock CLOCK = new MutableClock(START);

    private FakeAws fake;
    private EmbeddedSqs sqs;
    private String queueUrl;
    private String dlqUrl;
    private EmbeddedServer server;
    private HttpServer slack;
    private final List<String> responses = new CopyOnWriteArrayList<>();
    private TestDatabases.Database db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAws();
        sqs = new EmbeddedSqs();
        String[] urls = sqs.createQueueWithDlq("snapline-clones-e2e", 30, 5);
        queueUrl = urls[0];
        dlqUrl = urls[1];

        // GIVEN "production": a real PostgreSQL database with personal data
        db = TestDatabases.create(Flavour.POSTGRESQL);
        db.exec("CREATE TABLE customers (id bigint PRIMARY KEY, email text UNIQUE NOT NULL, full_name text, tier text)");
        StringBuilder insert = new StringBuilder("INSERT INTO customers VALUES ");
        for (int i = 1; i <= 500; i++) {
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 'person").append(i)
                    .append("@real-mail.org', 'Real Person ").append(i).append("', 'gold')");
        }
        db.exec(insert.toString());
        URI url = URI.create(db.url().substring("jdbc:".length()));
        String database = url.getPath().substring(1);

        // an Aurora PostgreSQL source whose clones are that database; and an untagged look-alike
        FakeRdsClones rds = fake.rdsClones();
        rds.addAuroraCluster(SOURCE, "aurora-postgresql", database, "db.r6g.large");
        rds.addAuroraCluster("orders-db-c0000000000", "aurora-postgresql", database, "db.r6g.large");
        rds.cloneEndpoint(url.getHost(), url.getPort());
        rds.masterCredentials(db.user(), db.password());

        slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/hook", ex -> {
            responses.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        slack.start();

        Path ledgerFile = Files.createTempDirectory("snapline-clones-e2e").resolve("ledger.jsonl");
        Map<String, Object> config = QueueModeApp.config(fake.endpoint(), sqs.endpoint(), queueUrl, ledgerFile, "30s");
        config.put(QueueModeApp.TestClock.PROPERTY, true);
        QueueModeApp.TestClock.use(CLOCK);
        config.put("snapline.slack.signing-secret", SIGNING_SECRET);
        config.put("snapline.slack.response-url-hosts", List.of("127.0.0.1"));
        config.put("snapline.cloning.recheck-interval", "1s");
        config.put("snapline.cloning.tls", false);
        String p = "snapline.clones.dev.";
        config.put(p + "sources", List.of("orders-*"));
        config.put(p + "instance-classes", List.of("db.t4g.medium", "db.r6g.large"));
        config.put(p + "masking-class", "db.r6g.4xlarge");
        config.put(p + "masking-security-groups", List.of(MASKING_GROUP));
        config.put(p + "security-groups", List.of(OPEN_GROUP));
        config.put(p + "max-ttl", "7d");
        config.put(p + "masking.tables.public.customers.columns.email", "fake:email");
        config.put(p + "masking.tables.public.customers.columns.full_name", "fake:name");
        config.put(p + "masking.tables.public.customers.columns.tier", "keep");
        server = ApplicationContext.run(EmbeddedServer.class, config);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (slack != null) {
            slack.stop(0);
        }
        if (sqs != null) {
            sqs.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private HttpResponse<String> slash(String text, long timestamp, String secret) throws Exception {
        String body = "token=ignored&team_id=T1&user_id=U1&user_name=alice&command=%2Fclone&text="
                + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&response_url="
                + URLEncoder.encode("http://127.0.0.1:" + slack.getAddress().getPort() + "/hook", StandardCharsets.UTF_8)
                + "&trigger_id=" + timestamp + ".42";
        String ts = Long.toString(timestamp);
        return http.send(HttpRequest.newBuilder(server.getURI().resolve("/slack/commands"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", "v0=" + SlackCommandsController.sign(secret, ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> emails() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM customers ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void signedSlackRequest_clonedMaskedVerifiedResizedHandedOverThenReaped_lookAlikeSurvives() throws Exception {
        long now = CLOCK.instant().getEpochSecond();
        String cloneId = CloneIds.of("dev", SOURCE, "slack-" + now + ".42");
        assertThat(CloneIds.valid(cloneId)).isTrue();

        // a wrong signature and a stale timestamp are refused, nothing is queued
        HttpResponse<String> forged = slash(SOURCE + " db.t4g.medium 2d", now, "not-the-secret");
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> stale = slash(SOURCE + " db.t4g.medium 2d", now - 301, SIGNING_SECRET);
        assertThat(stale.statusCode()).isEqualTo(401);
        // a class outside the policy: a clear refusal, nothing created
        HttpResponse<String> badClass = slash(SOURCE + " db.x2g.16xlarge 2d", now, SIGNING_SECRET);
        assertThat(badClass.statusCode()).isEqualTo(200);
        assertThat(badClass.body()).contains("Refused").contains("db.x2g.16xlarge");
        assertThat(fake.requests("RestoreDBClusterToPointInTime")).isEmpty();

        // WHEN alice asks for a clone, signed
        long t0 = System.nanoTime();
        HttpResponse<String> ack = slash(SOURCE + " db.t4g.medium 2d", now, SIGNING_SECRET);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("requested").contains(cloneId);

        // THEN the hand-over reaches the response URL
        await().atMost(PROMPT).untilAsserted(() -> assertThat(responses).anyMatch(r -> r.contains("is ready")));
        String handOver = responses.stream().filter(r -> r.contains("is ready")).findFirst().orElseThrow();
        assertThat(handOver).contains(cloneId).contains("secret:rds!").contains("db.t4g.medium");

        // the clone's rows are really masked; the kept column is not
        List<String> emails = emails();
        assertThat(emails).hasSize(500).allMatch(e -> e.endsWith("@example.com"));
        assertThat(emails).doesNotContain("person1@real-mail.org");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE full_name LIKE 'Real Person%' OR tier <> 'gold'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);
        assertThat(ledger.operation(HandOverGate.verifyKey(cloneId)).flatMap(r -> r.result()).orElseThrow())
                .startsWith("unmasked=0");

        // the AWS side: copy-on-write clone with the service's group only, instance at the masking
        // class, then resized, its own secret, the policy's groups only after verification
        var restore = fake.requests("RestoreDBClusterToPointInTime").get(0).params();
        assertThat(restore).containsEntry("RestoreType", "copy-on-write").containsEntry("UseLatestRestorableTime", "true")
                .containsEntry("VpcSecurityGroupIds.VpcSecurityGroupId.1", MASKING_GROUP)
                .doesNotContainValue(OPEN_GROUP);
        assertThat(fake.requests("CreateDBInstance").get(0).params()).containsEntry("DBInstanceClass", "db.r6g.4xlarge");
        FakeRdsClones.Db cluster = fake.rdsClones().cluster(cloneId).orElseThrow();
        assertThat(cluster.securityGroups()).containsExactly(OPEN_GROUP);
        assertThat(cluster.tags()).containsEntry(CloneGateway.TAG_CLONE, cloneId)
                .containsEntry(CloneGateway.TAG_CLONE_OF, SOURCE).containsEntry(CloneGateway.TAG_REQUESTED_BY, "slack:alice")
                .containsEntry(CloneGateway.TAG_POLICY, "dev").containsKey(CloneGateway.TAG_HANDED_OVER);
        assertThat(cluster.secretArn()).isPresent()
                .isNotEqualTo(fake.rdsClones().cluster(SOURCE).orElseThrow().secretArn());
        assertThat(fake.rdsClones().instance(CloneIds.clusterInstance(cloneId)).orElseThrow().instanceClass())
                .isEqualTo("db.t4g.medium");
        List<String> ops = fake.requests().stream().map(r -> r.operation()).toList();
        int opened = -1;
        for (int i = 0; i < fake.requests().size(); i++) {
            var r = fake.requests().get(i);
            if (r.operation().equals("ModifyDBCluster") && OPEN_GROUP.equals(r.params().get("VpcSecurityGroupIds.VpcSecurityGroupId.1"))) {
                opened = i;
                break;
            }
        }
        assertThat(opened).as("the network opened").isPositive();
        assertThat(ops.subList(0, opened)).contains("GetSecretValue");

        // GET /clones shows it, with its endpoint (verified)
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(server.getURI().resolve("/clones")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode clones = JSON.readTree(list.body());
        assertThat(clones).hasSize(1);
        assertThat(clones.get(0).get("id").asText()).isEqualTo(cloneId);
        assertThat(clones.get(0).get("state").asText()).isEqualTo("ready");
        assertThat(clones.get(0).get("requestedBy").asText()).isEqualTo("slack:alice");
        assertThat(clones.get(0).has("endpoint")).isTrue();

        // WHEN its time is up and the scheduled reap runs
        CLOCK.advance(Duration.ofDays(2).plusMinutes(1));
        sqs.client().sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"command\":\"reap\"}"));

        // THEN the clone is deleted, instance first, and the untagged look-alike survives
        await().atMost(PROMPT).untilAsserted(() -> assertThat(fake.rdsClones().deletions())
                .containsExactly("instance:" + CloneIds.clusterInstance(cloneId), "cluster:" + cloneId));
        assertThat(fake.rdsClones().cluster("orders-db-c0000000000")).isPresent();
        assertThat(fake.rdsClones().cluster(SOURCE)).isPresent();
        assertThat(fake.requests("DeleteDBCluster")).allMatch(r -> "true".equals(r.params().get("SkipFinalSnapshot")));
        assertThat(sqs.depth(dlqUrl)).isZero();
    }
}
