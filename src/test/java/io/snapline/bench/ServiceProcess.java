package io.snapline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a child JVM: {@code java <Dockerfile's JAVA_TOOL_OPTIONS> -XX:MaxRAM=512m -cp <test
 * classpath> io.snapline.Application}, configured by system properties, its output in a log file.
 * The suite's fakes and queue live in the suite's JVM, so a {@link #kill()} (SIGKILL) stops only
 * the service; the ledger journal is a file that outlives it.
 */
final class ServiceProcess implements AutoCloseable {

    /** The container memory the suite emulates. */
    static final String CONTAINER_MEMORY = "512m";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service with {@code config} (as -D properties) and waits until /health answers UP. */
    static ServiceProcess start(Map<String, String> config, Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(dockerfileJvmOptions());
        cmd.add("-XX:MaxRAM=" + CONTAINER_MEMORY);
        cmd.add("-Daws.accessKeyId=test");
        cmd.add("-Daws.secretAccessKey=test");
        cmd.add("-Dmicronaut.server.port=" + port);
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.snapline.Application");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServiceProcess s = new ServiceProcess(p, port, log);
        s.awaitHealthy(Duration.ofSeconds(90));
        return s;
    }

    /** The JVM options of the Dockerfile's {@code JAVA_TOOL_OPTIONS}, read from the Dockerfile itself. */
    static List<String> dockerfileJvmOptions() throws IOException {
        Path dockerfile = Path.of("Dockerfile");
        Matcher m = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(dockerfile));
        if (!m.find()) {
            throw new IllegalStateException("no ENV JAVA_TOOL_OPTIONS=\"...\" line in " + dockerfile.toAbsolutePath());
        }
        return List.of(m.group(1).trim().split("\\s+"));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** GET /health: the status code, or -1 when it does not answer. */
    int health() {
        try {
            return http.send(HttpRequest.newBuilder(url("/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** POST /events with these bytes: the status code, or -1 when the service did not answer. */
    int postEvent(byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(url("/events")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The peak resident set size of the JVM so far (VmHWM of /proc/pid/status), in KiB; -1 if unknown. */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL: the application stopped abruptly, nothing of it runs after this returns. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the exit: its status, or -1 if it did not exit within {@code within}. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    private void awaitHealthy(Duration within) throws InterruptedException, IOException {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (health() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the service did not become healthy within " + within + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

}
