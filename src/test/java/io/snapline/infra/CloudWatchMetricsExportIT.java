package io.snapline.infra;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CloudWatch export the deployment turns on (MICRONAUT_METRICS_EXPORT_CLOUDWATCH_ENABLED): the
 * application context's real CloudWatch registry, through the real SDK client, publishes to a local
 * HTTP endpoint standing in for CloudWatch. What it sends must be Snapline's meters only, under the
 * names the Terraform alarms and dashboard query (local.snapline_metrics in monitoring.tf).
 */
class CloudWatchMetricsExportIT {

    @Test
    void publishesSnaplinesMetersOnly_underTheNamesTheAlarmsQuery() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                // The SDK compresses PutMetricData (request compression); CloudWatch accepts gzip.
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            bodies.add(java.net.URLDecoder.decode(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] ok = "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PutMetricDataResponse>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "snapline.consumer.enabled", "false",
                "snapline.local.sqs-port", "0",
                "micronaut.server.port", "-1",
                "micronaut.metrics.export.cloudwatch.enabled", "true",
                "micronaut.metrics.export.cloudwatch.namespace", "SnaplineTest",
                "aws.services.monitoring.endpoint-override", "http://127.0.0.1:" + server.getAddress().getPort(),
                "aws.region", "eu-west-1",
                "aws.accessKeyId", "test",
                "aws.secretKey", "test"))) {
            CloudWatchMeterRegistry cloudWatch = ctx.getBean(CloudWatchMeterRegistry.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            Counter.builder("snapline.messages").tag("kind", "snapshot-created").tag("outcome", "dead_letter")
                    .register(meters).increment();
            Counter.builder("snapline.dlq.sends").tag("kind", "snapshot-created").register(meters).increment();
            Counter.builder("jvm.something.else").register(meters).increment();
            cloudWatch.close(); // publishes the last step at once
        } finally {
            server.stop(0);
        }

        String sent = String.join("\n", bodies);
        assertThat(sent).as("a PutMetricData reached the endpoint").contains("PutMetricData").contains("SnaplineTest");
        assertThat(sent).contains("snapline.messages.count", "snapline.dlq.sends.count", "dead_letter", "snapshot-created");
        assertThat(sent).as("JVM and other meters stay on /prometheus").doesNotContain("jvm.");

        // The alarms and dashboard name exactly the meters that are published.
        String monitoring = Files.readString(TerraformRules.terraformRoot().resolve(Path.of("modules", "source-account", "monitoring.tf")));
        for (String name : List.of("snapline.messages.count", "snapline.dlq.sends.count")) {
            assertThat(monitoring).contains("name = \"" + name + "\"");
        }
        Matcher m = Pattern.compile("name\\s*=\\s*\"(snapline\\.[a-z.]+)\"").matcher(monitoring);
        while (m.find()) {
            assertThat(m.group(1)).as("a CloudWatch name <meter>.<statistic>").matches("snapline\\.[a-z.]+\\.(count|sum|avg|max|value)");
        }
    }
}
