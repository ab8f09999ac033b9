package io.snapline;

import io.snapline.testing.SleepCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Application#main} as a process: started in its own JVM, stopped with SIGTERM
 * ({@link Process#destroy()}), its exit status and output read as an operator sees them.
 */
class ApplicationIT {

    private static final Pattern SERVING = Pattern.compile("Snapline started in \\d+ ms, serving (http://\\S+)");

    private Process process;
    private Path log;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void launch(String... args) throws Exception {
        Path ledger = Files.createTempDirectory("snapline-app").resolve("ledger.jsonl");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Application.class.getName(),
                "--micronaut.server.port=-1", "--snapline.local.sqs-port=0", "--snapline.queue.wait-time=1s",
                "--snapline.ledger.path=" + ledger));
        command.addAll(List.of(args));
        log = Files.createTempFile("snapline-app", ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private List<String> output() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String url() {
        await().atMost(Duration.ofSeconds(90)).until(() -> output().stream().anyMatch(l -> SERVING.matcher(l).find()));
        return output().stream().map(SERVING::matcher).filter(Matcher::find).findFirst().orElseThrow().group(1);
    }

    private int exitStatus() throws Exception {
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ends").isTrue();
        return process.exitValue();
    }

    private String text() {
        return String.join("\n", output());
    }

    @Test
    void invalidConfiguration_isReportedOnce_everyProblemWithItsKey_withoutAStackTrace() throws Exception {
        launch("--snapline.queue.pollers=0", "--snapline.queue.visibility-timeout=banana",
                "--snapline.exports.sample.prefix=/a:b", "--snapline.retention.daily.sources=orders");

        assertThat(exitStatus()).isEqualTo(Application.EXIT_INVALID_CONFIGURATION);
        String text = text();
        assertThat(text).contains("Snapline cannot start: ")
                .contains("snapline.queue.pollers: 0 is out of range; use 1 to 64")
                .contains("snapline.queue.visibility-timeout: 'banana' is not a duration")
                .contains("snapline.exports.sample.prefix: '/a:b' starts with '/'")
                .contains("snapline.exports.sample.prefix: '/a:b' contains ':'")
                .contains("snapline.retention.daily.name-prefix: required");
        assertThat(text.split("snapline.queue.pollers: 0 is out of range", -1)).as("reported once").hasSize(2);
        assertThat(output()).noneMatch(l -> l.matches("\\s+at .*") || l.contains("Exception"));
    }

    @Test
    void sigterm_afterACleanDrain_exitsZero() throws Exception {
        launch();
        String url = url();
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"reconcile\",\"requestId\":\"r-1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(202);

        process.destroy(); // SIGTERM

        assertThat(exitStatus()).as(text()).isEqualTo(Application.EXIT_CLEAN);
        assertThat(text()).contains("SIGTERM: stopping").contains("stopped: every message in flight finished");
    }

    @Test
    void sigterm_withAMessageStillRunningAtTheDeadline_exitsNonZero() throws Exception {
        launch("--" + SleepCommand.PROPERTY + "=true", "--snapline.queue.shutdown-deadline=1s");
        String url = url();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"sleep\",\"millis\":\"60000\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).until(() -> text().contains("sleep command: sleeping"));

        process.destroy(); // SIGTERM

        assertThat(exitStatus()).as(text()).isEqualTo(Application.EXIT_FAILED);
        assertThat(text()).contains("releasing 1 unfinished message(s) for redelivery").contains("stopped uncleanly");
    }
}
