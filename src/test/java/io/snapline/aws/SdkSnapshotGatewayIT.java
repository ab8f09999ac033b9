package io.snapline.aws;

import io.snapline.fake.FakeAws;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.gateway.SnapshotGateway.DeleteResult;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.message.SnapshotRef.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdkSnapshotGatewayIT {

    private FakeAwsFixture env;
    private FakeAws fake;
    private SnapshotGateway snapshots;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
        snapshots = env.gateways().snapshots(AwsAccess.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void forEachSnapshot_pagesThrough250Snapshots_100AtATime() {
        for (int i = 0; i < 250; i++) {
            fake.rds().addDbSnapshot(String.format("manual-%03d", i), "orders");
        }

        List<SnapshotInfo> seen = new ArrayList<>();
        snapshots.forEachSnapshot(Scope.DB_SNAPSHOT, Optional.empty(), seen::add);

        assertThat(seen).hasSize(250).extracting(SnapshotInfo::identifier).doesNotHaveDuplicates();
        var describes = fake.requests("DescribeDBSnapshots");
        assertThat(describes.stream().filter(r -> r.param("SnapshotType") == null)).hasSize(3);
        assertThat(describes.get(0).params()).containsEntry("MaxRecords", "100")
                .containsEntry("IncludeShared", "true").containsEntry("IncludePublic", "true");
    }

    @Test
    void forEachSnapshot_reportsEveryType_onceEach_andFiltersByInstance() {
        Instant created = Instant.parse("2026-11-20T03:10:00Z");
        fake.rds().addDbSnapshot("rds:orders-2026-11-20-03-10", "orders").createdAt(created).tag("team", "data");
        fake.rds().addDbSnapshot("orders-manual", "orders");
        fake.rds().addDbSnapshot("awsbackup:job-1111", "orders");
        fake.rds().addDbSnapshot("arn:aws:rds:us-east-1:999999999999:snapshot:theirs", "orders").type("shared")
                .arn("arn:aws:rds:us-east-1:999999999999:snapshot:theirs");
        fake.rds().addDbSnapshot("billing-manual", "billing");

        List<SnapshotInfo> seen = new ArrayList<>();
        snapshots.forEachSnapshot(Scope.DB_SNAPSHOT, Optional.of("orders"), seen::add);

        assertThat(seen).extracting(SnapshotInfo::snapshotType)
                .containsExactlyInAnyOrder("automated", "manual", "awsbackup", "shared");
        SnapshotInfo automated = seen.stream().filter(s -> s.snapshotType().equals("automated")).findFirst().orElseThrow();
        assertThat(automated.arn()).isEqualTo("arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-20-03-10");
        assertThat(automated.createTime()).isEqualTo(created);
        assertThat(automated.tags()).containsEntry("team", "data");
        assertThat(automated.sourceId()).isEqualTo("orders");
        assertThat(automated.status()).isEqualTo("available");
        assertThat(automated.engine()).isEqualTo("postgres");
        assertThat(fake.requests("DescribeDBSnapshots").get(0).params())
                .containsEntry("Filters.Filter.1.Name", "db-instance-id")
                .containsEntry("Filters.Filter.1.Values.Value.1", "orders");
    }

    @Test
    void forEachSnapshot_listsClusterSnapshots_forClusterScopes() {
        fake.rds().addClusterSnapshot("rds:aurora-2026-11-20-03-10", "aurora");
        fake.rds().addClusterSnapshot("aurora-manual", "aurora");
        fake.rds().addClusterSnapshot("other-manual", "other");

        List<SnapshotInfo> seen = new ArrayList<>();
        snapshots.forEachSnapshot(Scope.CLUSTER_SNAPSHOT, Optional.of("aurora"), seen::add);

        assertThat(seen).extracting(SnapshotInfo::identifier)
                .containsExactlyInAnyOrder("rds:aurora-2026-11-20-03-10", "aurora-manual");
        assertThat(seen).allSatisfy(s -> assertThat(s.scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT));
    }

    @Test
    void describe_findsAnAutomatedSnapshot_byPassingItsType() {
        fake.rds().addDbSnapshot("rds:orders-2026-11-20-03-10", "orders");

        assertThat(snapshots.describe(Scope.DB_SNAPSHOT, "rds:orders-2026-11-20-03-10"))
                .get().extracting(SnapshotInfo::snapshotType).isEqualTo("automated");
        assertThat(fake.requests("DescribeDBSnapshots").get(0).params()).containsEntry("SnapshotType", "automated");
    }

    @Test
    void describe_isEmpty_forMissingSnapshots() {
        assertThat(snapshots.describe(Scope.DB_SNAPSHOT, "nope")).isEmpty();
        assertThat(snapshots.describe(Scope.CLUSTER_SNAPSHOT, "nope")).isEmpty();
    }

    @Test
    void describe_readsAClusterSnapshot() {
        fake.rds().addClusterSnapshot("aurora-manual", "aurora").status("creating");

        assertThat(snapshots.describe(Scope.CLUSTER_SNAPSHOT, "aurora-manual")).get()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo("creating");
                    assertThat(s.sourceId()).isEqualTo("aurora");
                    assertThat(s.arn()).endsWith(":cluster-snapshot:aurora-manual");
                });
    }

    @Test
    void delete_deletes_thenReportsAlreadyGone() {
        fake.rds().addDbSnapshot("orders-manual", "orders");
        fake.rds().addClusterSnapshot("aurora-manual", "aurora");

        assertThat(snapshots.delete(Scope.DB_SNAPSHOT, "orders-manual")).isEqualTo(DeleteResult.DELETED);
        assertThat(snapshots.delete(Scope.DB_SNAPSHOT, "orders-manual")).isEqualTo(DeleteResult.ALREADY_GONE);
        assertThat(snapshots.delete(Scope.CLUSTER_SNAPSHOT, "aurora-manual")).isEqualTo(DeleteResult.DELETED);
        assertThat(snapshots.delete(Scope.CLUSTER_SNAPSHOT, "aurora-manual")).isEqualTo(DeleteResult.ALREADY_GONE);
        assertThat(fake.rds().snapshotCount()).isZero();
    }

    @Test
    void delete_rethrowsInvalidState_forTheConsumersClassifier() {
        fake.rds().addDbSnapshot("orders-copying", "orders").status("copying");

        assertThatThrownBy(() -> snapshots.delete(Scope.DB_SNAPSHOT, "orders-copying"))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidDBSnapshotState"));
        assertThat(fake.rds().snapshot("orders-copying")).isPresent();
    }

    @Test
    void find_goesByIdentifier_forTheAccountsOwnSnapshot_andByArnOnlyForAnotherAccountsSharedOne() {
        String own = fake.rds().addDbSnapshot("orders-manual", "orders").arn();
        String theirs = "arn:aws:rds:us-east-1:999999999999:snapshot:orders-manual";
        fake.rds().addDbSnapshot(theirs, "orders").type("shared").arn(theirs);

        assertThat(snapshots.find(Scope.DB_SNAPSHOT, "orders-manual", Optional.of(own))).get()
                .extracting(SnapshotInfo::arn).isEqualTo(own);
        assertThat(fake.requests("DescribeDBSnapshots")).singleElement()
                .satisfies(r -> assertThat(r.param("DBSnapshotIdentifier")).isEqualTo("orders-manual"));

        fake.clearRequests();
        assertThat(snapshots.find(Scope.DB_SNAPSHOT, "orders-manual", Optional.of(theirs))).get()
                .satisfies(s -> assertThat(s.snapshotType()).isEqualTo("shared"));
        assertThat(fake.requests("DescribeDBSnapshots")).extracting(r -> r.param("DBSnapshotIdentifier"))
                .containsExactly("orders-manual", theirs);
        assertThat(fake.requests("DescribeDBSnapshots").get(1).params()).containsEntry("SnapshotType", "shared");

        assertThat(snapshots.find(Scope.DB_SNAPSHOT, "gone", Optional.of(own.replace("orders-manual", "gone")))).isEmpty();
    }

    @Test
    void theFake_likeTheEmulator_doesNotFindAnOwnSnapshotByItsArn() {
        String own = fake.rds().addDbSnapshot("orders-manual", "orders").arn();

        assertThat(snapshots.describe(Scope.DB_SNAPSHOT, own)).isEmpty();
        fake.rds().arnIdentifiersForOwnSnapshots(true);
        assertThat(snapshots.describe(Scope.DB_SNAPSHOT, own)).isPresent();
    }
}
