package io.snapline.handler.prune;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class PruneConfigurationValidatorTest {

    @Test
    void startupFails_namingEveryBadKey() {
        Map<String, Object> config = new java.util.HashMap<>(
                io.snapline.testing.PruneFixtures.exportPolicyConfig("analytics", "exports-a", "orders"));
        config.putAll(Map.of(
                "snapline.retention.daily.sources", "orders",
                "snapline.retention.daily.scope", "instances",
                "snapline.retention.daily.time-zone", "Mars/Olympus",
                "snapline.retention.daily.max-delete-percent", "150",
                "snapline.retention.upper.sources", "orders",
                "snapline.retention.upper.name-prefix", "Snap-",
                "snapline.retention.upper.keep-last", "0",
                "snapline.exports.analytics.retention.max-deletes", "5"));
        assertThatThrownBy(() -> ApplicationContext.run(config).close())
                .rootCause()
                .hasMessageContaining("snapline.retention.daily.name-prefix: required")
                .hasMessageContaining("snapline.retention.daily.keep-days / keep-last: give at least one")
                .hasMessageContaining("snapline.retention.daily.scope: 'instances' is not one of")
                .hasMessageContaining("snapline.retention.daily.time-zone: 'Mars/Olympus'")
                .hasMessageContaining("snapline.retention.daily.max-delete-percent: 150")
                .hasMessageContaining("snapline.retention.upper.name-prefix: 'Snap-' has upper-case")
                .hasMessageContaining("snapline.retention.upper.keep-last: 0 must be at least 1")
                .hasMessageContaining("snapline.exports.analytics.retention: give retention.keep-days");
    }

    @Test
    void validConfiguration_starts() {
        Map<String, Object> config = new java.util.HashMap<>(
                io.snapline.testing.PruneFixtures.exportPolicyConfig("analytics", "exports-a", "orders"));
        config.putAll(io.snapline.testing.PruneFixtures.exportPolicyConfig("raw", "exports-b", "billing"));
        config.putAll(Map.of(
                "snapline.retention.daily.sources", "orders-*",
                "snapline.retention.daily.name-prefix", "snapline-",
                "snapline.retention.daily.keep-days", "35",
                "snapline.exports.analytics.retention.keep-last", "1"));
        try (ApplicationContext ctx = ApplicationContext.run(config)) {
            assertThat(ctx.getBean(PruneConfigurationValidator.class)).isNotNull();
        }
    }
}
