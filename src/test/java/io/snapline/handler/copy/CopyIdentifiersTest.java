package io.snapline.handler.copy;

import io.snapline.message.SnapshotRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CopyIdentifiersTest {

    @Test
    void aPlainManualIdentifier_isKeptAfterThePrefix() {
        assertThat(CopyIdentifiers.forSource("snapline-dr", "snapline-tokyo-orders-db-20261202-0200",
                SnapshotRef.Scope.DB_SNAPSHOT)).isEqualTo("snapline-dr-snapline-tokyo-orders-db-20261202-0200");
    }

    @Test
    void automatedAndAwsBackupNames_loseTheirColon_andGetAHash_soAManualLookalikeNeverCollides() {
        String automated = CopyIdentifiers.forSource("dr", "rds:orders-2026-12-02-02-00", SnapshotRef.Scope.DB_SNAPSHOT);
        String lookalike = CopyIdentifiers.forSource("dr", "rds-orders-2026-12-02-02-00", SnapshotRef.Scope.DB_SNAPSHOT);
        String backup = CopyIdentifiers.forSource("dr", "awsbackup:job-1234", SnapshotRef.Scope.DB_SNAPSHOT);

        assertThat(automated).startsWith("dr-rds-orders-2026-12-02-02-00-h").isNotEqualTo(lookalike);
        assertThat(lookalike).isEqualTo("dr-rds-orders-2026-12-02-02-00");
        assertThat(backup).startsWith("dr-awsbackup-job-1234-h");
        assertThat(CopyIdentifiers.isValid(automated)).isTrue();
        assertThat(CopyIdentifiers.isValid(backup)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rds:", "..", "a:b:c", "\uD800lone", "ÄÖÜ-é", "--x--", "1starts-with-digit",
            "a-very-long-cluster-snapshot-identifier-that-is-far-too-long-for-sixty-three-characters"})
    void hostileOrLongSources_giveValidIdentifiers_withinTheLimits(String source) {
        String db = CopyIdentifiers.forSource("snapline-copy", source, SnapshotRef.Scope.DB_SNAPSHOT);
        String cluster = CopyIdentifiers.forSource("snapline-copy", source, SnapshotRef.Scope.CLUSTER_SNAPSHOT);

        assertThat(CopyIdentifiers.isValid(db)).as(db).isTrue();
        assertThat(CopyIdentifiers.isValid(cluster)).as(cluster).isTrue();
        assertThat(db.length()).isLessThanOrEqualTo(CopyIdentifiers.MAX_DB_SNAPSHOT);
        assertThat(cluster.length()).isLessThanOrEqualTo(CopyIdentifiers.MAX_CLUSTER_SNAPSHOT);
        assertThat(CopyIdentifiers.forSource("snapline-copy", source, SnapshotRef.Scope.CLUSTER_SNAPSHOT))
                .isEqualTo(cluster);
    }

    @Test
    void longSourcesThatShareAPrefix_stayDistinct() {
        String base = "x".repeat(80);
        assertThat(CopyIdentifiers.forSource("dr", base + "a", SnapshotRef.Scope.CLUSTER_SNAPSHOT))
                .isNotEqualTo(CopyIdentifiers.forSource("dr", base + "b", SnapshotRef.Scope.CLUSTER_SNAPSHOT));
    }
}
