package io.snapline.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotScheduleValidatorTest {

    @Test
    void everyBadSetting_isNamedAtOnce_withItsFix() {
        SnapshotSchedule bad = new SnapshotSchedule("nightly", List.of(), "everything", "cron(0 2 * * * *)",
                "Mars/Olympus", "Snap_Line-", null, Duration.ZERO, null, null);
        List<String> problems = SnapshotScheduleValidator.problems(List.of(bad), new SchedulingProperties(0, true));

        assertThat(problems).hasSize(7);
        assertThat(problems).anyMatch(p -> p.startsWith("snapline.snapshots.nightly.sources:"))
                .anyMatch(p -> p.startsWith("snapline.snapshots.nightly.scope: 'everything'"))
                .anyMatch(p -> p.startsWith("snapline.snapshots.nightly.schedule:") && p.contains("exactly one of"))
                .anyMatch(p -> p.startsWith("snapline.snapshots.nightly.time-zone: 'Mars/Olympus'") && p.contains("Asia/Tokyo"))
                .anyMatch(p -> p.startsWith("snapline.snapshots.nightly.name-prefix: 'Snap_Line-'") && p.contains("e.g. snap-line"))
                .anyMatch(p -> p.startsWith("snapline.snapshots.nightly.catch-up-window:"))
                .anyMatch(p -> p.startsWith("snapline.scheduling.manual-snapshot-quota: 0"));
    }

    @Test
    void theTokyoExample_bindsFromConfiguration_andIsValid() {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(Map.of(
                "snapline.snapshots.tokyo-dr.sources", "orders-db",
                "snapline.snapshots.tokyo-dr.scope", "instance",
                "snapline.snapshots.tokyo-dr.schedule", "cron(0 2,14 * * ? *)",
                "snapline.snapshots.tokyo-dr.time-zone", "Asia/Tokyo",
                "snapline.snapshots.tokyo-dr.name-prefix", "snapline-tokyo",
                "snapline.snapshots.tokyo-dr.catch-up-window", "3h")).start()) {
            List<SnapshotSchedule> all = ctx.getBeansOfType(SnapshotSchedule.class).stream().toList();
            assertThat(all).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("tokyo-dr");
                assertThat(s.sources()).containsExactly("orders-db");
                assertThat(s.catchUpWindow()).isEqualTo(Duration.ofHours(3));
                assertThat(s.tagKey()).isEqualTo("snapline:managed");
                assertThat(s.problems()).isEmpty();
            });
        }
    }
}
