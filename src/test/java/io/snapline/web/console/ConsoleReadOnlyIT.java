package io.snapline.web.console;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a console token every view is open and read-only, every action is refused, and the pages say so. */
class ConsoleReadOnlyIT {

    private static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", Files.createTempDirectory("snapline-ro").resolve("ledger.jsonl").toString(),
                "snapline.queue.wait-time", "1s"), "local", "sample");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void actionsAreRefused_evenWithABearerHeader_andThePagesSaySo() throws Exception {
        for (String path : new String[] {"/", "/console/dead-letters", "/console/plans", "/console/health"}) {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(server.getURL() + path)));
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains("Actions are disabled");
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/dead-letters")))
                .body()).contains("Redrive all…</button>").contains(" disabled>Redrive all");

        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/plans/dry-run"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer anything-at-all")
                .POST(HttpRequest.BodyPublishers.ofString("policy=sample&confirm=yes")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("snapline.console.token is not configured");

        HttpResponse<String> signIn = send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("operator=a&token=")));
        assertThat(signIn.statusCode()).isEqualTo(403);
    }
}
