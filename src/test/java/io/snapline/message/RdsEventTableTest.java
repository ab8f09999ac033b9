package io.snapline.message;

import io.snapline.message.RdsEventTable.Action;
import io.snapline.message.RdsEventTable.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-id table is data: each row is documented, and the decision table in the docs names no id the code lacks. */
class RdsEventTableTest {

    @Test
    void everyRowOfTheTable_isInTheDocumentedDecisionTable_andTheDocsNameNoOtherActedOnId() throws IOException {
        String docs = Files.readString(Path.of("docs/messages.md"));
        String decisions = docs.substring(docs.indexOf("| Input | Result | Key |"), docs.indexOf("### Snapshot reference"))
                .lines().takeWhile(line -> line.startsWith("|")).collect(Collectors.joining("\n"));

        for (Rule rule : RdsEventTable.rules()) {
            String number = rule.eventId().substring("RDS-EVENT-".length());
            assertThat(decisions).as("docs/messages.md names %s", rule.eventId()).containsPattern("\\b" + number + "\\b");
        }
        Matcher ids = Pattern.compile("RDS-EVENT-(\\d{4})|\\b(0\\d{3})\\b").matcher(decisions);
        while (ids.find()) {
            String number = ids.group(1) != null ? ids.group(1) : ids.group(2);
            assertThat(RdsEventTable.rule("RDS-EVENT-" + number)).as("the table has the documented RDS-EVENT-%s", number)
                    .isNotNull();
        }
    }

    @Test
    void rules_coverEveryTerminalExportState_forEachScope() {
        assertThat(RdsEventTable.rules().stream().filter(r -> r.action() == Action.EXPORT_FINISHED)
                .map(r -> r.scope() + "/" + r.status()))
                .containsExactlyInAnyOrder("DB_SNAPSHOT/FAILED", "DB_SNAPSHOT/CANCELED", "DB_SNAPSHOT/COMPLETED",
                        "CLUSTER_SNAPSHOT/FAILED", "CLUSTER_SNAPSHOT/CANCELED", "CLUSTER_SNAPSHOT/COMPLETED",
                        "CLUSTER/FAILED", "CLUSTER/CANCELED", "CLUSTER/COMPLETED");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html#RDS-EVENT-0169, RDS-EVENT-0169",
            "http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#RDS-EVENT-0042, RDS-EVENT-0042",
            "RDS-EVENT-0042, RDS-EVENT-0042",
            "RDS-EVENT-00421, RDS-EVENT-00421",
            "RDS-EVENT-042, null",
            "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html, null"})
    void extractEventId_keepsEveryDigit_andFindsTheIdInAUrl(String text, String expected) {
        assertThat(RdsEventTable.extractEventId(text)).isEqualTo(expected);
    }
}
