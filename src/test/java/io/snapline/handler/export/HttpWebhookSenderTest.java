package io.snapline.handler.export;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpWebhookSenderTest {

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicReference<String> contentType = new AtomicReference<>();

    private String start(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void post_sendsSlackCompatibleJson() throws Exception {
        String url = start(200);

        new HttpWebhookSender().post(url, "export \"x\" done");

        assertThat(body.get()).isEqualTo("{\"text\":\"export \\\"x\\\" done\"}");
        assertThat(contentType.get()).isEqualTo("application/json");
    }

    @Test
    void non2xx_isAnError_theCallerLogs() throws Exception {
        String url = start(500);

        assertThatThrownBy(() -> new HttpWebhookSender().post(url, "x")).hasMessageContaining("HTTP 500");
    }
}
