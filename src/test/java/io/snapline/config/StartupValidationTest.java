package io.snapline.config;

import io.micronaut.context.ApplicationContext;
import io.snapline.testing.EmbeddedSqs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one start-up validation: every problem of every check, at once, each once, naming its key
 * and its fix; values Micronaut would silently replace by defaults are named too.
 */
class StartupValidationTest {

    /** A later policy type plugs in by being a {@link ConfigurationCheck} bean. */
    static final ConfigurationCheck SCHEDULES = () -> List.of(
            "snapline.schedules.nightly.cron: 'sometimes' is not a cron expression; e.g. 0 3 * * *");

    private static Map<String, Object> local() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("snapline.local.sqs-port", 0);
        config.put("snapline.consumer.enabled", "false");
        config.put("snapline.ledger.path", Files.createTempDirectory("snapline-validation").resolve("l.jsonl").toString());
        return config;
    }

    private static InvalidConfigurationException failure(Map<String, Object> config, Object... singletons) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
                ApplicationContext.builder().properties(config).singletons(singletons).start().close());
        assertThat(thrown).as("the start fails").isNotNull();
        assertThat(thrown).rootCause().isInstanceOf(InvalidConfigurationException.class);
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return (InvalidConfigurationException) root;
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyValidatorsProblems_areReportedAtOnce_eachOnce() throws Exception {
        Map<String, Object> config = local();
        config.put("snapline.queue.pollers", 0);                                  // service
        config.put("snapline.queue.visibility-timeout", "banana");                // a value Micronaut cannot convert
        config.put("snapline.exports.bad.sources", "orders");                     // export policies
        config.put("snapline.exports.bad.bucket", "exports-bucket");
        config.put("snapline.exports.bad.kms-key", "foo");
        config.put("snapline.exports.bad.export-role-arn", "arn:aws:iam::111111111111:role/rds-export");
        config.put("snapline.exports.bad.acl-mode", "none");
        config.put("snapline.exports.bad.prefix", "/a:b");
        config.put("snapline.retention.daily.sources", "orders");                 // retention
        config.put("snapline.retention.daily.name-prefix", "snapline-");
        config.put("snapline.retention.daily.keep-last", "0");
        config.put("snapline.prune.rds-deletes-per-second", "0");                 // prune settings

        InvalidConfigurationException e = failure(config, SCHEDULES);

        String report = e.getMessage();
        List<String> expected = List.of(
                "snapline.queue.pollers: 0 is out of range; use 1 to 64",
                "snapline.queue.visibility-timeout: 'banana' is not a duration; write a number and a unit",
                "snapline.exports.bad.kms-key: 'foo' is not a KMS key ARN/id/alias",
                "snapline.exports.bad.prefix: '/a:b' starts with '/'",
                "snapline.exports.bad.prefix: '/a:b' contains ':'",
                "snapline.retention.daily.keep-last: 0 must be at least 1",
                "snapline.prune.rds-deletes-per-second: 0.0 must be more than 0",
                "snapline.schedules.nightly.cron: 'sometimes' is not a cron expression");
        for (String problem : expected) {
            assertThat(occurrences(report, problem)).as(problem).isEqualTo(1);
        }
        assertThat(e.problems()).hasSize(expected.size());
        assertThat(report).startsWith("Snapline cannot start: " + expected.size() + " configuration problems:");
    }

    @Test
    void consoleSettings_areCheckedWithTheOthers_aShortTokenATokenWithANewlineAndABadTtl() throws Exception {
        Map<String, Object> config = local();
        config.put("snapline.console.token", "short\n");
        config.put("snapline.console.session-ttl", "0s");

        List<String> problems = failure(config).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("snapline.console.token: 6 characters is short "
                + "enough to guess; use at least 24"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("snapline.console.token: holds spaces, line breaks"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("snapline.console.session-ttl: PT0S is out of range"));
        Map<String, Object> unconvertible = local();
        unconvertible.put("snapline.console.session-ttl", "a day");
        assertThat(failure(unconvertible).problems()).anySatisfy(p -> assertThat(p)
                .startsWith("snapline.console.session-ttl: 'a day' is not a duration"));
    }

    @Test
    void valuesMicronautCannotConvert_areNamedWithTheFormTheyTake() throws Exception {
        Map<String, Object> config = local();
        config.put("snapline.queue.wait-time", "10 seconds");
        config.put("snapline.queue.max-in-flight", "1.5");
        config.put("snapline.prune.plan-list-limit", "lots");
        config.put("snapline.retention.daily.sources", "orders");
        config.put("snapline.retention.daily.name-prefix", "snapline-");
        config.put("snapline.retention.daily.keep-last", "3");
        config.put("snapline.retention.daily.max-deletes", "twenty");
        config.put("snapline.exports.e.retention.keep-days", "a week");
        config.put("snapline.local.sqs-port", "ninety");

        List<String> problems = failure(config).problems();

        assertThat(problems).contains(
                "snapline.queue.wait-time: '10 seconds' is not a duration; write a number and a unit, e.g. 300s, 5m, 1h, 30d or PT5M",
                "snapline.queue.max-in-flight: '1.5' is not a whole number; write digits only, e.g. 5",
                "snapline.prune.plan-list-limit: 'lots' is not a whole number; write digits only, e.g. 5",
                "snapline.retention.daily.max-deletes: 'twenty' is not a whole number; write digits only, e.g. 5",
                "snapline.exports.e.retention.keep-days: 'a week' is not a whole number; write digits only, e.g. 5",
                "snapline.local.sqs-port: 'ninety' is not a whole number; write digits only, e.g. 5");
    }

    @Test
    void aBooleanThatIsNeitherTrueNorFalse_isNamed() throws Exception {
        Map<String, Object> config = local();
        config.put("snapline.dry-run", "banana");
        assertThat(failure(config).problems()).containsExactly("snapline.dry-run: 'banana' is not true or false");
    }

    @Test
    void theQueue_isReadAtStartUp_andItsProblemsJoinTheReport() throws Exception {
        try (EmbeddedSqs sqs = new EmbeddedSqs()) {
            Map<String, Object> config = queueMode(sqs, sqs.endpoint() + "/000000000000/no-such-queue");
            config.put("snapline.queue.pollers", 0);

            List<String> problems = failure(config).problems();

            assertThat(problems).hasSize(2)
                    .anySatisfy(p -> assertThat(p).startsWith("snapline.queue.pollers: 0 is out of range"))
                    .anySatisfy(p -> assertThat(p).startsWith("snapline.queue.url: cannot read queue '" + sqs.endpoint()
                            + "/000000000000/no-such-queue' (The specified queue does not exist.")
                            .endsWith("check the URL, the region and the sqs:GetQueueAttributes permission"));
        }
    }

    @Test
    void aConfiguredVisibilityTimeout_thatDisagreesWithTheQueue_stopsTheStart() throws Exception {
        try (EmbeddedSqs sqs = new EmbeddedSqs()) {
            String url = sqs.createQueueWithDlq("events", 30, 5)[0];
            Map<String, Object> config = queueMode(sqs, url);
            config.put("snapline.queue.visibility-timeout", "300s");

            assertThat(failure(config).problems()).containsExactly("snapline.queue.visibility-timeout: 300s, but queue '"
                    + url + "' has VisibilityTimeout 30s; leases and the heartbeat follow the queue, so remove the key "
                    + "(or change the queue's VisibilityTimeout)");
        }
    }

    @Test
    void leases_followTheQueuesOwnVisibilityTimeout() throws Exception {
        try (EmbeddedSqs sqs = new EmbeddedSqs()) {
            String url = sqs.createQueueWithDlq("events", 45, 4)[0];
            try (ApplicationContext ctx = ApplicationContext.run(queueMode(sqs, url))) {
                ConsumedQueue queue = ctx.getBean(ConsumedQueue.class);
                assertThat(queue.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
                assertThat(queue.maxReceiveCount()).hasValue(4);
            }
        }
    }

    /** A context on a real queue of the embedded server: every AWS client goes to its endpoint. */
    private static Map<String, Object> queueMode(EmbeddedSqs sqs, String url) throws Exception {
        Path ledger = Files.createTempDirectory("snapline-validation").resolve("l.jsonl");
        Map<String, Object> config = new HashMap<>();
        config.put("snapline.queue.url", url);
        config.put("snapline.region", "us-east-1");
        config.put("snapline.aws.endpoint", sqs.endpoint().toString());
        config.put("snapline.ledger.store", "embedded");
        config.put("snapline.ledger.path", ledger.toString());
        return config;
    }

    @Test
    void defaults_start() throws Exception {
        try (ApplicationContext ctx = ApplicationContext.run(local())) {
            assertThat(ctx.getBean(StartupValidation.class)).isNotNull();
        }
        assertThatThrownBy(() -> { throw new InvalidConfigurationException(List.of("a.b: c")); })
                .hasMessage("Snapline cannot start: 1 configuration problem:\n  - a.b: c");
    }
}
