package io.snapline.handler.export;

import io.snapline.message.SnapshotRef.Scope;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExportTaskIdsTest {

    private static final String EAST = "arn:aws:rds:us-east-1:111111111111:snapshot:";

    private static String id(String policy, String snapshot) {
        return ExportTaskIds.of(policy, Scope.DB_SNAPSHOT, snapshot, "us-east-1", "111111111111");
    }

    @Property(tries = 2000)
    void id_isAlwaysValidByAwsRules(@ForAll @StringLength(max = 300) String policy,
                                    @ForAll @StringLength(max = 300) String snapshot,
                                    @ForAll @StringLength(max = 40) String region,
                                    @ForAll @StringLength(max = 40) String account) {
        for (String id : new String[] {ExportTaskIds.of(policy, Scope.DB_SNAPSHOT, snapshot, region, account),
                ExportTaskIds.legacy(policy, Scope.DB_SNAPSHOT, snapshot)}) {
            assertThat(ExportTaskIds.isValid(id)).as(id).isTrue();
            assertThat(id).hasSizeLessThanOrEqualTo(60).startsWith("snapline").doesNotContain("--").doesNotEndWith("-");
        }
    }

    @Property(tries = 1000)
    void id_isDeterministic(@ForAll String policy, @ForAll String snapshot) {
        assertThat(id(policy, snapshot)).isEqualTo(id(new String(policy), new String(snapshot)));
    }

    @Property(tries = 2000)
    void distinctInputs_giveDistinctIds(@ForAll @StringLength(max = 80) String policyA, @ForAll @StringLength(max = 80) String snapA,
                                        @ForAll @StringLength(max = 80) String policyB, @ForAll @StringLength(max = 80) String snapB) {
        Assume.that(!(policyA.equals(policyB) && snapA.equals(snapB)));
        assertThat(id(policyA, snapA)).isNotEqualTo(id(policyB, snapB));
    }

    @Property(tries = 1000)
    void theSameSnapshotNameInAnotherRegionOrAccount_getsAnotherId(@ForAll @StringLength(min = 1, max = 80) String snapshot,
                                                                   @ForAll @StringLength(max = 20) String regionA,
                                                                   @ForAll @StringLength(max = 20) String regionB,
                                                                   @ForAll @StringLength(max = 12) String accountA,
                                                                   @ForAll @StringLength(max = 12) String accountB) {
        Assume.that(!(regionA.equals(regionB) && accountA.equals(accountB)));
        assertThat(ExportTaskIds.of("daily", Scope.DB_SNAPSHOT, snapshot, regionA, accountA))
                .isNotEqualTo(ExportTaskIds.of("daily", Scope.DB_SNAPSHOT, snapshot, regionB, accountB));
    }

    @Test
    void forArn_takesRegionAndAccountFromTheArn_soACopyInAnotherRegionDoesNotCollide() {
        String east = ExportTaskIds.forArn("daily", EAST + "orders-final");
        String west = ExportTaskIds.forArn("daily", "arn:aws:rds:eu-west-1:111111111111:snapshot:orders-final");
        String otherAccount = ExportTaskIds.forArn("daily", "arn:aws:rds:us-east-1:222222222222:snapshot:orders-final");

        assertThat(east).isEqualTo(ExportTaskIds.of("daily", Scope.DB_SNAPSHOT, "orders-final", "us-east-1", "111111111111"));
        assertThat(west).isNotEqualTo(east);
        assertThat(otherAccount).isNotEqualTo(east).isNotEqualTo(west);
        // the readable part, the top S3 folder, stays the same: only the hash tells them apart
        assertThat(west.substring(0, west.length() - 8)).isEqualTo(east.substring(0, east.length() - 8));
    }

    @Test
    void legacyIds_areTheIdsOfBeforeTheUpgrade_andStillCandidates() {
        // ids Snapline 1.x gave, kept so that tasks started before the upgrade are still recognised
        assertThat(ExportTaskIds.legacy("daily", Scope.DB_SNAPSHOT, "rds:orders-2024-01-02-03-04"))
                .isEqualTo("snapline-daily-orders-20240102-0304-30d60430");
        assertThat(ExportTaskIds.legacy("p", Scope.CLUSTER_SNAPSHOT, "orders-final"))
                .isEqualTo("snapline-p-orders-final-7ccb3599");
        String arn = EAST + "rds:orders-2024-01-02-03-04";
        assertThat(ExportTaskIds.candidates("daily", arn)).containsExactly(ExportTaskIds.forArn("daily", arn),
                ExportTaskIds.legacyForArn("daily", arn));
        assertThat(ExportTaskIds.forArn("daily", arn)).isNotEqualTo(ExportTaskIds.legacyForArn("daily", arn));
    }

    @Test
    void ambiguousConcatenations_stillGiveDistinctIds() {
        assertThat(id("a-b", "c")).isNotEqualTo(id("a", "b-c"));
        assertThat(id("p", "rds:orders-2024-01-01-00-00")).isNotEqualTo(id("p", "orders-20240101-0000"));
        assertThat(ExportTaskIds.of("p", Scope.DB_SNAPSHOT, "s", "us-east-11", "11111111111"))
                .isNotEqualTo(ExportTaskIds.of("p", Scope.DB_SNAPSHOT, "s", "us-east-1", "111111111111"));
    }

    @Test
    void automatedSnapshot_givesReadableId() {
        assertThat(id("daily", "rds:orders-2024-01-02-03-04")).matches("snapline-daily-orders-20240102-0304-[0-9a-f]{8}");
    }

    @Test
    void awsBackupSnapshot_dropsThePrefix() {
        assertThat(id("daily", "awsbackup:job-1a2b3c4d-0000-1111-2222-333344445555"))
                .startsWith("snapline-daily-job-1a2b3c4d");
    }

    @Test
    void longInput_isTruncatedWithHashAndStaysValid() {
        String longId = "rds:" + "very-long-database-name-".repeat(10) + "2024-01-01-00-00";
        String a = id("analytics-warehouse", longId);
        String b = id("analytics-warehouse", longId.replace("2024-01-01", "2024-01-02"));
        assertThat(a).hasSize(60);
        assertThat(ExportTaskIds.isValid(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.substring(0, 51)).isEqualTo(b.substring(0, 51));
    }

    @Test
    void identifierFromArn_keepsColonsOfTheIdentifier() {
        assertThat(ExportTaskIds.identifierFromArn(EAST + "rds:orders-2024-01-01-00-00"))
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
        String db = ExportTaskIds.forArn("p", EAST + "orders-final");
        String cluster = ExportTaskIds.forArn("p", "arn:aws:rds:us-east-1:111111111111:cluster-snapshot:orders-final");
        assertThat(db).isEqualTo(id("p", "orders-final"));
        assertThat(cluster).isNotEqualTo(db);
        assertThat(cluster).isEqualTo(ExportTaskIds.of("p", Scope.CLUSTER_SNAPSHOT, "orders-final", "us-east-1", "111111111111"));
    }
}
