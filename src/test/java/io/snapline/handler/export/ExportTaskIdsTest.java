package io.snapline.handler.export;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExportTaskIdsTest {

    @Property(tries = 2000)
    void id_isAlwaysValidByAwsRules(@ForAll @StringLength(max = 300) String policy,
                                    @ForAll @StringLength(max = 300) String snapshot) {
        String id = ExportTaskIds.of(policy, snapshot);
        assertThat(ExportTaskIds.isValid(id)).as(id).isTrue();
        assertThat(id).hasSizeLessThanOrEqualTo(60).startsWith("snapline").doesNotContain("--").doesNotEndWith("-");
    }

    @Property(tries = 1000)
    void id_isDeterministic(@ForAll String policy, @ForAll String snapshot) {
        assertThat(ExportTaskIds.of(policy, snapshot)).isEqualTo(ExportTaskIds.of(new String(policy), new String(snapshot)));
    }

    @Property(tries = 2000)
    void distinctInputs_giveDistinctIds(@ForAll @StringLength(max = 80) String policyA, @ForAll @StringLength(max = 80) String snapA,
                                        @ForAll @StringLength(max = 80) String policyB, @ForAll @StringLength(max = 80) String snapB) {
        Assume.that(!(policyA.equals(policyB) && snapA.equals(snapB)));
        assertThat(ExportTaskIds.of(policyA, snapA)).isNotEqualTo(ExportTaskIds.of(policyB, snapB));
    }

    @Test
    void ambiguousConcatenations_stillGiveDistinctIds() {
        assertThat(ExportTaskIds.of("a-b", "c")).isNotEqualTo(ExportTaskIds.of("a", "b-c"));
        assertThat(ExportTaskIds.of("p", "rds:orders-2024-01-01-00-00"))
                .isNotEqualTo(ExportTaskIds.of("p", "orders-20240101-0000"));
    }

    @Test
    void automatedSnapshot_givesReadableId() {
        String id = ExportTaskIds.of("daily", "rds:orders-2024-01-02-03-04");
        assertThat(id).matches("snapline-daily-orders-20240102-0304-[0-9a-f]{8}");
    }

    @Test
    void awsBackupSnapshot_dropsThePrefix() {
        assertThat(ExportTaskIds.of("daily", "awsbackup:job-1a2b3c4d-0000-1111-2222-333344445555"))
                .startsWith("snapline-daily-job-1a2b3c4d");
    }

    @Test
    void longInput_isTruncatedWithHashAndStaysValid() {
        String longId = "rds:" + "very-long-database-name-".repeat(10) + "2024-01-01-00-00";
        String a = ExportTaskIds.of("analytics-warehouse", longId);
        String b = ExportTaskIds.of("analytics-warehouse", longId.replace("2024-01-01", "2024-01-02"));
        assertThat(a).hasSize(60);
        assertThat(ExportTaskIds.isValid(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.substring(0, 51)).isEqualTo(b.substring(0, 51));
    }

    @Test
    void identifierFromArn_keepsColonsOfTheIdentifier() {
        assertThat(ExportTaskIds.identifierFromArn("arn:aws:rds:us-east-1:111111111111:snapshot:rds:orders-2024-01-01-00-00"))
                .isEqualTo("rds:orders-2024-01-01-00-00");
        assertThat(ExportTaskIds.identifierFromArn("manual-1")).isEqualTo("manual-1");
    }

    @Test
    void isValid_rejectsWhatAwsRejects() {
        assertThat(ExportTaskIds.isValid("1abc")).isFalse();
        assertThat(ExportTaskIds.isValid("ab--c")).isFalse();
        assertThat(ExportTaskIds.isValid("abc-")).isFalse();
        assertThat(ExportTaskIds.isValid("a".repeat(61))).isFalse();
        assertThat(ExportTaskIds.isValid("a_b")).isFalse();
        assertThat(ExportTaskIds.isValid("ab-c1")).isTrue();
    }

    @Test
    void dbAndClusterSnapshotsOfTheSameName_getDistinctIds() {
        String db = ExportTaskIds.forArn("p", "arn:aws:rds:us-east-1:111111111111:snapshot:orders-final");
        String cluster = ExportTaskIds.forArn("p", "arn:aws:rds:us-east-1:111111111111:cluster-snapshot:orders-final");
        assertThat(db).isEqualTo(ExportTaskIds.of("p", "orders-final"));
        assertThat(cluster).isNotEqualTo(db);
        assertThat(cluster).isEqualTo(ExportTaskIds.of("p", io.snapline.message.SnapshotRef.Scope.CLUSTER_SNAPSHOT, "orders-final"));
    }
}
