package io.snapline.web.console;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console against the whole service in local mode (embedded SQS, embedded ledger, the sample
 * configuration), with a console token: the views render what the ledger and the queues hold, every
 * hostile value escaped, and every action is refused without the token, with a wrong one, without
 * the form's CSRF token and from another site.
 */
class ConsoleIT {

    static final String TOKEN = "console-token-0123456789abcdef";
    static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

    private static EmbeddedServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        Path ledger = Files.createTempDirectory("snapline-console").resolve("ledger.jsonl");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledger.toString(),
                "snapline.queue.wait-time", "1s",
                "snapline.console.token", TOKEN), "local", "sample");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(), BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }

    static String origin() {
        return "http://" + server.getHost() + ":" + server.getPort();
    }

    /** Signs in; answers the session cookie and the page's CSRF token. */
    static String[] signIn() throws Exception {
        HttpResponse<String> in = post("/console/sign-in", "operator=alice&token=" + TOKEN, "Origin", origin());
        assertThat(in.statusCode()).isEqualTo(303);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/dead-letters"))
                .header("Cookie", cookie).build(), BodyHandlers.ofString());
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("the signed-in page carries the CSRF token").isTrue();
        return new String[] {cookie, m.group(1)};
    }

    private static String deadLetterId(String bodyFragment) throws Exception {
        String[] holder = new String[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String page = get("/console/dead-letters").body();
            Matcher m = Pattern.compile("name=\"messageId\" value=\"([^\"]+)\"").matcher(page);
            assertThat(page).contains(bodyFragment);
            assertThat(m.find()).isTrue();
            holder[0] = m.group(1);
        });
        return holder[0];
    }

    @Test
    void pipelines_showAPostedSnapshotWithItsSteps() throws Exception {
        String event = Files.readString(Path.of("samples/snapshot-created.json"));
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/?q=orders-before").body()).contains("orders-before-migration").contains("export:sample"));
        HttpResponse<String> detail = get("/console/pipeline?id=orders-before-migration");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("export:sample").contains("Attempts")
                .contains("href=\"https://s3.console.aws.amazon.com/s3/buckets/snapline-local-exports?region=us-east-1&amp;prefix=rds%2Forders-before-migration%2F2024%2F05%2F01%2F");
        assertThat(detail.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'"));
        assertThat(get("/?filter=failed&q=orders-before").body()).contains("No pipeline matches");
    }

    @Test
    void hostileValues_areEscapedOnEveryView() throws Exception {
        Ledger ledger = server.getApplicationContext().getBean(Ledger.class);
        ledger.recordStep("arn:aws:rds:us-east-1:1:snapshot:x" + HOSTILE, "x" + HOSTILE + "\ud800", "export:" + HOSTILE,
                StepState.FAILED, "reason " + HOSTILE);
        HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"" + HOSTILE.replace("\"", "\\\"") + "\"}")).build(),
                BodyHandlers.ofString());
        deadLetterId("&lt;script&gt;alert(");

        for (String path : new String[] {"/", "/?q=" + java.net.URLEncoder.encode(HOSTILE, "UTF-8"),
                "/console/pipeline?id=" + java.net.URLEncoder.encode("x" + HOSTILE, "UTF-8"), "/console/dead-letters"}) {
            String body = get(path).body();
            assertThat(body).as(path).doesNotContain("<script>").doesNotContain("<img src=x")
                    .doesNotContain("\ud800").contains("&lt;script&gt;");
        }
    }

    @Test
    void actions_areRefused_withoutTheToken_withAWrongOne_crossSite_andWithoutTheCsrfToken() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"refuse-me\"}")).build(), BodyHandlers.ofString());
        String id = deadLetterId("refuse-me");
        String form = "messageId=" + java.net.URLEncoder.encode(id, "UTF-8") + "&confirm=yes";

        assertThat(post("/console/dead-letters/discard", form).statusCode()).isEqualTo(401);
        assertThat(post("/console/dead-letters/discard", form, "Authorization", "Bearer wrong-token-wrong-token").statusCode())
                .isEqualTo(401);
        assertThat(post("/console/dead-letters/discard", form, "Authorization", "Bearer " + TOKEN,
                "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(post("/console/sign-in", "operator=mallory&token=nope", "Origin", origin()).statusCode()).isEqualTo(401);
        assertThat(post("/console/sign-in", "operator=mallory&token=" + TOKEN, "Origin", "https://evil.example")
                .statusCode()).isEqualTo(403);

        String[] session = signIn();
        assertThat(post("/console/dead-letters/discard", form, "Cookie", session[0], "Origin", origin()).statusCode())
                .as("a session without the form's CSRF token").isEqualTo(403);
        assertThat(post("/console/dead-letters/discard", form + "&csrf=forged", "Cookie", session[0], "Origin", origin())
                .statusCode()).isEqualTo(403);
        assertThat(post("/console/dead-letters/discard", form + "&csrf=" + session[1], "Cookie", session[0],
                "Referer", "https://evil.example/page").statusCode()).as("cross-site by its Referer").isEqualTo(403);
        assertThat(get("/console/dead-letters").body()).contains("refuse-me");
    }

    @Test
    void anAction_asksForConfirmation_thenRuns_andTellsTheResult() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"discard-me\"}")).build(), BodyHandlers.ofString());
        String id = deadLetterId("discard-me");
        String[] session = signIn();
        String form = "messageId=" + java.net.URLEncoder.encode(id, "UTF-8") + "&csrf=" + session[1];

        HttpResponse<String> confirm = post("/console/dead-letters/discard", form, "Cookie", session[0], "Origin", origin());
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Discard dead letter").contains("name=\"confirm\" value=\"yes\"");
        assertThat(get("/console/dead-letters").body()).as("not yet discarded").contains("discard-me");

        HttpResponse<String> done = post("/console/dead-letters/discard", form + "&confirm=yes", "Cookie", session[0],
                "Origin", origin());
        assertThat(done.statusCode()).isEqualTo(303);
        HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/dead-letters"))
                .header("Cookie", session[0]).build(), BodyHandlers.ofString());
        assertThat(after.body()).contains("discarded").doesNotContain("discard-me</pre>");
    }

    @Test
    void aScript_withTheBearerToken_redrivesADeadLetter_backToTheQueue() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"redrive-me\"}")).build(), BodyHandlers.ofString());
        String id = deadLetterId("redrive-me");

        HttpResponse<String> done = post("/console/dead-letters/redrive", "messageId=" + java.net.URLEncoder.encode(id, "UTF-8")
                + "&confirm=yes", "Authorization", "Bearer " + TOKEN);

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("redriven to the queue as message");
        // consumed again, fails again for the same reason, and is dead-lettered again: a new message
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String page = get("/console/dead-letters").body();
            assertThat(page).contains("redrive-me").doesNotContain("value=\"" + id + "\"");
        });
    }

    @Test
    void dryRunNow_sendsAPruneCommandThroughTheQueue() throws Exception {
        HttpResponse<String> done = post("/console/plans/dry-run", "policy=sample&confirm=yes", "Authorization", "Bearer " + TOKEN);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("dry-run prune of policy sample sent as message");
    }

    @Test
    void health_plans_clonesAndSchedules_render() throws Exception {
        assertThat(get("/console/health").body()).contains("snapline-events").contains("Running")
                .contains("embedded journal").contains("Version");
        assertThat(get("/console/plans").statusCode()).isEqualTo(200);
        // this build has both capabilities: their sections render, never the "not available" notice
        assertThat(get("/console/clones")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("<title>Clones").doesNotContain("not available in this build");
        });
        assertThat(get("/console/schedules")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("not available in this build");
        });
        assertThat(get("/?cursor=garbage").statusCode()).isEqualTo(400);
        assertThat(Optional.of(get("/").body())).hasValueSatisfying(b -> assertThat(b).doesNotContain("Actions are disabled"));
    }
}
