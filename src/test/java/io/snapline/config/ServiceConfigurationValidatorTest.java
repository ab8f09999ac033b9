package io.snapline.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceConfigurationValidatorTest {

    private static QueueProperties queue(String url, int pollers, Duration wait) {
        return new QueueProperties(url, null, pollers, 64, wait, Optional.empty(), Duration.ofSeconds(10),
                Duration.ofMinutes(15), Duration.ofSeconds(30), 200);
    }

    @Test
    void defaults_areValid() {
        assertThat(ServiceConfigurationValidator.problems(queue(null, 2, Duration.ofSeconds(20)),
                new AwsProperties(null), new LedgerProperties(null, "t", "p", Duration.ofDays(30)))).isEmpty();
    }

    @Test
    void eachBadValue_isNamedByItsKey() {
        var problems = ServiceConfigurationValidator.problems(queue("sqs/my-queue", 0, Duration.ofSeconds(30)),
                new AwsProperties("::nope"), new LedgerProperties("postgres", "t", "p", Duration.ofMinutes(1)));
        assertThat(String.join("\n", problems))
                .contains("snapline.queue.url").contains("snapline.queue.pollers").contains("snapline.queue.wait-time")
                .contains("snapline.aws.endpoint").contains("snapline.ledger.store")
                .contains("snapline.ledger.completed-ttl");
    }

    @Test
    void theServiceRefusesToStart_withABadValue() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("snapline.queue.pollers", 0,
                "snapline.local.sqs-port", 0, "snapline.consumer.enabled", "false")).close())
                .hasStackTraceContaining("snapline.queue.pollers: 0 is out of range");
    }
}
