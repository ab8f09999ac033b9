package io.snapline.infra;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own {@code logback.xml}: with {@code SNAPLINE_LOG_FORMAT=json} (what the Terraform
 * task definition sets) every event is one JSON line carrying the consumer's MDC keys as top-level
 * fields, so CloudWatch Logs Insights can filter by them; without it, today's readable line.
 */
class StructuredLoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reconfigures the JVM's logback context from src/main/resources/logback.xml with the given
     * properties, logs one event through SLF4J with the given MDC, and puts the context back as it
     * was configured at start.
     */
    private static synchronized String logOnce(Map<String, String> properties, Map<String, String> mdc, String message) throws Exception {
        URL config = StructuredLoggingTest.class.getClassLoader().getResource("logback.xml");
        assertThat(config).as("the service's logback.xml on the class path").isNotNull();
        assertThat(config.getPath()).contains("/classes/");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        long start = System.currentTimeMillis();
        try {
            context.reset();
            properties.forEach(context::putProperty);
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            assertThat(new StatusUtil(context).getHighestLevel(start))
                    .as("logback configured without warnings or errors: " + context.getStatusManager().getCopyOfStatusList().stream()
                            .filter(st -> st.getTimestamp() >= start && st.getLevel() >= Status.WARN).toList())
                    .isLessThan(Status.WARN);
            Logger log = LoggerFactory.getLogger("io.snapline.consumer.MessageProcessor");
            // exactly the given MDC: a test that ran before on this thread (MessageProcessorTest calls
            // process() directly) may have left its keys
            Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.clear();
            mdc.forEach(MDC::put);
            try {
                log.error(message);
            } finally {
                MDC.clear();
                if (before != null) {
                    MDC.setContextMap(before);
                }
            }
        } finally {
            System.setOut(out);
            context.reset();
            new ContextInitializer(context).autoConfig();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonFormat_writesOneObjectPerLine_withTheMdcKeysAsFields() throws Exception {
        // A hostile key: quotes, a newline, a backslash, a lone surrogate must not break the line.
        String key = "snapshot-created#arn:aws:rds:eu-west-1:111111111111:snapshot:\"x\"\n\\y\uD800";
        String out = logOnce(Map.of("SNAPLINE_LOG_FORMAT", "json"), Map.of(
                "message_id", "7d2c1f9e-0000-4000-8000-000000000001",
                "kind", "snapshot-created",
                "key", key,
                "aws_request_id", "3f0e7d5a-aaaa-bbbb-cccc-000000000002"), "permanent failure: the snapshot is gone");

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("message_id").asText()).isEqualTo("7d2c1f9e-0000-4000-8000-000000000001");
        assertThat(line.path("kind").asText()).isEqualTo("snapshot-created");
        assertThat(line.path("key").asText()).startsWith("snapshot-created#arn:aws:rds:eu-west-1:111111111111:snapshot:\"x\"\n\\y");
        assertThat(line.path("aws_request_id").asText()).isEqualTo("3f0e7d5a-aaaa-bbbb-cccc-000000000002");
        assertThat(line.path("message").asText()).isEqualTo("permanent failure: the snapshot is gone");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("logger_name").asText()).isEqualTo("io.snapline.consumer.MessageProcessor");
        assertThat(line.has("@timestamp")).isTrue();
        assertThat(line.has("mdc")).as("the MDC is flat, not nested").isFalse();
    }

    @Test
    void withoutTheVariable_theReadableLineOfLocalMode() throws Exception {
        String out = logOnce(Map.of(), Map.of("message_id", "m-1"), "handled");
        assertThat(out.lines().toList()).singleElement().satisfies(l -> {
            assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[.+\\] .+ - handled \\{message_id=m-1\\}");
            assertThat(l).doesNotStartWith("{");
        });
    }

    @Test
    void withoutAnMdc_theReadableLineEndsWithTheMessage() throws Exception {
        // another test on this thread (MessageProcessorTest calls the processor directly) may have left
        // its MDC behind; the consumer clears it per message, a test calling the processor does not
        MDC.clear();
        String out = logOnce(Map.of(), Map.of(), "plain");
        assertThat(out.lines().toList()).singleElement().satisfies(l -> assertThat(l).endsWith(" - plain"));
    }

    @Test
    void anUnknownFormatIsAConfigurationError() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        try {
            logOnce(Map.of("SNAPLINE_LOG_FORMAT", "yaml"), Map.of(), "x");
            org.junit.jupiter.api.Assertions.fail("an unknown SNAPLINE_LOG_FORMAT configured without a warning");
        } catch (AssertionError expected) {
            assertThat(expected).hasMessageContaining("logback-yaml.xml");
        }
    }

    @Test
    void theDeploymentSetsTheJsonFormat() {
        String ecs = TerraformModel.load(TerraformRules.terraformRoot()).files().stream()
                .filter(f -> f.path().endsWith(java.nio.file.Path.of("modules", "source-account", "ecs.tf")))
                .findFirst().orElseThrow().text();
        assertThat(ecs).containsPattern("SNAPLINE_LOG_FORMAT\\s*=\\s*\"json\"");
    }
}
