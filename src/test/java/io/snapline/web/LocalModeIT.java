package io.snapline.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole service in local mode, as the README runs it: embedded SQS, embedded ledger, dry-run;
 * a body posted to /events goes through the real queue to the consumer.
 */
class LocalModeIT {

    private static EmbeddedServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path ledger = Files.createTempDirectory("snapline-local").resolve("ledger.jsonl");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledger.toString(),
                "snapline.queue.wait-time", "1s"), "local");
        http = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void health_isUp_andIncludesTheQueue() {
        CharSequence body = http.toBlocking().retrieve("/health");
        assertThat(body).contains("\"status\":\"UP\"").contains("snapline-events");
    }

    @Test
    void postedEvents_areConsumed_andCountedInPrometheus() {
        HttpResponse<Map> accepted = http.toBlocking().exchange(HttpRequest.POST("/events", "{\"command\":\"nope\"}")
                .contentType(MediaType.APPLICATION_JSON), Map.class);
        assertThat(accepted.code()).isEqualTo(HttpStatus.ACCEPTED.getCode());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat((CharSequence) http.toBlocking().retrieve("/prometheus"))
                .contains("snapline_messages_total{kind=\"command\",outcome=\"dead_letter\"} 1.0")
                .contains("snapline_dlq_sends_total{kind=\"command\"} 1.0")
                .contains("snapline_inflight"));
    }

    @Test
    void emptyEventBody_isRejected_withAReason() {
        assertThatThrownBy(() -> http.toBlocking().exchange(HttpRequest.POST("/events", "")
                .contentType(MediaType.TEXT_PLAIN), String.class))
                .isInstanceOf(HttpClientResponseException.class)
                .satisfies(e -> assertThat(((HttpClientResponseException) e).code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode()));
    }

    @Test
    void unknownPipeline_is404() {
        assertThatThrownBy(() -> http.toBlocking().retrieve("/pipelines/no-such-snapshot"))
                .isInstanceOf(HttpClientResponseException.class);
        assertThat((CharSequence) http.toBlocking().retrieve("/pipelines")).startsWith("[");
    }

    /** The JDK's client: it sends what it is given (a long URI, a NUL) and reads any status. */
    private static java.net.http.HttpResponse<String> raw(java.net.http.HttpRequest.Builder request) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
    }

    private static java.net.http.HttpRequest.Builder post(String body) {
        return java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + "/events"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void aBodyOverTheQueuesLimit_is413_namingTheLimit() throws Exception {
        String body = "{\"command\":\"nope\",\"pad\":\"" + "x".repeat(300_000) + "\"}";
        var response = raw(post(body));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("the queue takes at most 262144 bytes");

        var justUnder = raw(post("{\"command\":\"nope\",\"pad\":\"" + "x".repeat(262_000) + "\"}"));
        assertThat(justUnder.statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyWithANulByte_is400_namingIt() throws Exception {
        var response = raw(post("{\"command\":\"nope\",\"x\":\"a\u0000b\"}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("a NUL character (U+0000) at character 24");

        var nonCharacter = raw(post("{\"command\":\"nope\",\"x\":\"\uFFFE\"}"));
        assertThat(nonCharacter.statusCode()).isEqualTo(400);
        assertThat(nonCharacter.body()).contains("U+FFFE");
    }

    @Test
    void aTooLongPipelineId_is414() throws Exception {
        for (int length : new int[] {2_000, 10_000, 100_000}) {
            var response = raw(java.net.http.HttpRequest.newBuilder(
                    URI.create(server.getURL() + "/pipelines/" + "a".repeat(length))));
            assertThat(response.statusCode()).as(length + " characters").isEqualTo(414);
        }
        var normal = raw(java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + "/pipelines/orders-1")));
        assertThat(normal.statusCode()).isEqualTo(404);
    }
}
