package io.snapline.handler.prune;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportRetentionPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static ExportEntry entry(String taskId, String status, Instant time) {
        return new ExportEntry(taskId, "b", "exports/" + taskId + "/", "arn:aws:rds:us-east-1:1:snapshot:s-" + taskId,
                "orders", status, time);
    }

    static List<String> verdicts(List<ExportDecision> decisions) {
        return decisions.stream().map(d -> d.export().taskId() + "=" + d.verdict()).toList();
    }

    @Test
    void equalTimes_areOrderedByTaskId_theGreaterIsNewer() {
        Instant t = NOW.minus(Duration.ofDays(1));
        List<ExportDecision> plan = new ExportRetentionPlanner(null, 1, NOW).plan(List.of(
                entry("exp-a", "COMPLETE", t), entry("exp-c", "COMPLETE", t), entry("exp-b", "COMPLETE", t)));
        assertThat(verdicts(plan)).containsExactly("exp-c=KEEP", "exp-b=DELETE", "exp-a=DELETE");
    }

    @Test
    void keepLast_countsOnlyCompletedExports() {
        List<ExportDecision> plan = new ExportRetentionPlanner(null, 2, NOW).plan(List.of(
                entry("exp-1", "COMPLETE", NOW.minus(Duration.ofDays(5))),
                entry("exp-2", "FAILED", NOW.minus(Duration.ofDays(4))),
                entry("exp-3", "COMPLETE", NOW.minus(Duration.ofDays(3))),
                entry("exp-4", "CANCELED", NOW.minus(Duration.ofDays(2))),
                entry("exp-5", "COMPLETE", NOW.minus(Duration.ofDays(1))),
                entry("exp-6", "FAILED", NOW)));
        assertThat(verdicts(plan)).containsExactly(
                "exp-6=PROTECTED", "exp-5=KEEP", "exp-4=DELETE", "exp-3=KEEP", "exp-2=DELETE", "exp-1=DELETE");
        assertThat(plan.get(1).rules()).containsExactly("newest completed export", "keep-last #1");
    }

    @Test
    void keepDaysAlone_stillKeepsTheNewestCompletedExportHoweverOld() {
        List<ExportDecision> plan = new ExportRetentionPlanner(7, null, NOW).plan(List.of(
                entry("exp-1", "COMPLETE", NOW.minus(Duration.ofDays(50))),
                entry("exp-2", "COMPLETE", NOW.minus(Duration.ofDays(40)))));
        assertThat(verdicts(plan)).containsExactly("exp-2=KEEP", "exp-1=DELETE");
    }
}
