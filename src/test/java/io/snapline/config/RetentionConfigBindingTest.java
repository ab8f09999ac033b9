package io.snapline.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.snapline.testing.PruneFixtures;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionConfigBindingTest {

    @Test
    void bindsRetentionPolicy_withNestedManagementTagAndDefaults() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "snapline.retention.daily.sources", "orders-*,billing",
                "snapline.retention.daily.name-prefix", "snapline-",
                "snapline.retention.daily.keep-days", "30",
                "snapline.retention.daily.management-tag.key", "team",
                "snapline.retention.daily.management-tag.value", "data",
                "snapline.retention.weekly.sources", "orders",
                "snapline.retention.weekly.name-prefix", "wk-",
                "snapline.retention.weekly.keep-last", "4"))) {
            RetentionPolicy daily = ctx.getBean(RetentionPolicy.class, Qualifiers.byName("daily"));
            assertThat(daily.name()).isEqualTo("daily");
            assertThat(daily.sources()).containsExactly("orders-*", "billing");
            assertThat(daily.keepDays()).isEqualTo(30);
            assertThat(daily.keepLast()).isNull();
            assertThat(daily.tagKey()).isEqualTo("team");
            assertThat(daily.tagValue()).isEqualTo("data");
            assertThat(daily.scope()).isEqualTo("both");
            assertThat(daily.maxDeletes()).isEqualTo(20);
            assertThat(daily.maxDeletePercent()).isEqualTo(50);
            RetentionPolicy weekly = ctx.getBean(RetentionPolicy.class, Qualifiers.byName("weekly"));
            assertThat(weekly.tagKey()).isEqualTo("snapline:managed");
            assertThat(weekly.tagValue()).isEqualTo("true");
            assertThat(weekly.timeZone()).isEqualTo("UTC");
            assertThat(ctx.getBeansOfType(RetentionPolicy.class)).hasSize(2);
        }
    }

    @Test
    void bindsExportRetention_besideTheExportPipelinesOwnPropertiesOnTheSamePrefix() {
        Map<String, Object> config = new java.util.HashMap<>();
        config.putAll(PruneFixtures.exportPolicyConfig("analytics", "exports-bucket", "orders"));
        config.putAll(PruneFixtures.exportPolicyConfig("raw", "raw-bucket", "orders"));
        config.put("snapline.exports.analytics.prefix", "exports/{source}/");
        config.put("snapline.exports.analytics.crawler", "analytics-crawler");
        config.put("snapline.exports.analytics.retention.keep-last", "1");
        try (ApplicationContext ctx = ApplicationContext.run(config)) {
            ExportRetentionProperties a = ctx.getBean(ExportRetentionProperties.class, Qualifiers.byName("analytics"));
            assertThat(a.bucket()).isEqualTo("exports-bucket");
            assertThat(a.staticPrefix()).isEqualTo("exports/");
            assertThat(a.crawler()).isEqualTo("analytics-crawler");
            assertThat(a.retention()).isNotNull();
            assertThat(a.retention().keepLast()).isEqualTo(1);
            assertThat(a.retention().maxDeletes()).isEqualTo(20);
            assertThat(a.hasRetention()).isTrue();
            ExportRetentionProperties raw = ctx.getBean(ExportRetentionProperties.class, Qualifiers.byName("raw"));
            assertThat(raw.hasRetention()).isFalse();
            // the export pipeline's @EachProperty record on the same prefix binds the same names independently
            assertThat(ctx.getBeansOfType(ExportPolicy.class)).extracting(ExportPolicy::name)
                    .containsExactlyInAnyOrder("analytics", "raw");
            assertThat(ctx.getBean(ExportPolicy.class, Qualifiers.byName("analytics")).kmsKey())
                    .isEqualTo("alias/export");
        }
    }
}
