package io.snapline.aws;

import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportRequest;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.ExportGateway.StartResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdkExportGatewayIT {

    private FakeAwsFixture env;
    private FakeAws fake;
    private ExportGateway exports;
    private String snapshotArn;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
        exports = env.gateways().exports(AwsAccess.DEFAULT);
        fake.s3().createBucket("exports", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        snapshotArn = fake.rds().addDbSnapshot("rds:orders-2026-11-23-03-10", "orders").arn();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private ExportRequest request(String taskId, String sourceArn) {
        return new ExportRequest(taskId, sourceArn, "exports", "snapline/orders",
                "arn:aws:iam::123456789012:role/export", "alias/exports", List.of("appdb.public.orders"));
    }

    @Test
    void startExport_sendsTheExactRequest_andReportsTheStartingTask() {
        StartResult result = exports.startExport(request("orders-2026-11-23", snapshotArn));

        assertThat(result.started()).isTrue();
        assertThat(result.task().taskId()).isEqualTo("orders-2026-11-23");
        assertThat(result.task().status()).isEqualTo("STARTING");
        assertThat(result.task().s3Folder()).isEqualTo("snapline/orders/orders-2026-11-23/");
        var sent = fake.requests("StartExportTask").get(0);
        assertThat(sent.params()).containsEntry("ExportTaskIdentifier", "orders-2026-11-23")
                .containsEntry("SourceArn", snapshotArn).containsEntry("S3BucketName", "exports")
                .containsEntry("S3Prefix", "snapline/orders").containsEntry("KmsKeyId", "alias/exports")
                .containsEntry("IamRoleArn", "arn:aws:iam::123456789012:role/export")
                .containsEntry("ExportOnly.member.1", "appdb.public.orders");
        assertThat(fake.rds().exportTask("orders-2026-11-23")).get()
                .extracting(FakeRds.ExportTask::status).isEqualTo("STARTING");
    }

    @Test
    void startExport_adoptsTheExistingTask_whenTheIdentifierIsTaken() {
        exports.startExport(request("orders-2026-11-23", snapshotArn));
        fake.rds().completeExport("orders-2026-11-23", 2);

        StartResult again = exports.startExport(request("orders-2026-11-23", snapshotArn));

        assertThat(again.started()).isFalse();
        assertThat(again.task().sourceArn()).isEqualTo(snapshotArn);
        assertThat(again.task().complete()).isTrue();
        assertThat(fake.rds().exportTasks()).hasSize(1);
    }

    @Test
    void startExport_isNotReady_whileTheSnapshotIsStillCreating() {
        String creating = fake.rds().addDbSnapshot("orders-manual", "orders").status("creating").arn();

        assertThatThrownBy(() -> exports.startExport(request("orders-manual-1", creating)))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining("InvalidExportSourceState")
                .satisfies(e -> assertThat(((NotReadyException) e).recheckAfter()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void startExport_isNotReady_forTheEmulatorSpellingOfTheSourceStateError() {
        fake.failNext("StartExportTask", "InvalidExportSourceStateFault", 400);

        assertThatThrownBy(() -> exports.startExport(request("orders-1", snapshotArn)))
                .isInstanceOf(NotReadyException.class);
    }

    @Test
    void startExport_isNotReady_whenFiveExportsAreAlreadyRunning() {
        for (int i = 0; i < FakeRds.MAX_CONCURRENT_EXPORTS; i++) {
            String arn = fake.rds().addDbSnapshot("busy-" + i, "orders").arn();
            exports.startExport(request("busy-" + i, arn));
        }

        assertThatThrownBy(() -> exports.startExport(request("orders-6", snapshotArn)))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining(FakeRds.EXPORT_LIMIT_CODE);
        assertThat(fake.rds().exportTask("orders-6")).isEmpty();
    }

    @Test
    void startExport_isPermanent_forAnIdentifierAwsRefuses() {
        assertThatThrownBy(() -> exports.startExport(request("2026-orders", snapshotArn)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("InvalidParameterValue")
                .hasMessageContaining("AWS request id ");
    }

    @Test
    void startExport_isPermanent_whenTheSnapshotIsGone() {
        String missing = snapshotArn.replace("orders-2026", "gone-2026");

        assertThatThrownBy(() -> exports.startExport(request("gone-1", missing)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("DBSnapshotNotFound");
    }

    @Test
    void startExport_isPermanent_whenTheClusterSnapshotOrClusterIsGone() {
        String clusterSnapshot = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:nope";
        String cluster = "arn:aws:rds:us-east-1:123456789012:cluster:nope";

        assertThatThrownBy(() -> exports.startExport(request("nope-1", clusterSnapshot)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("DBClusterSnapshotNotFoundFault");
        assertThatThrownBy(() -> exports.startExport(request("nope-2", cluster)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("DBClusterNotFoundFault");
    }

    @ParameterizedTest
    @CsvSource({"InvalidExportOnly,400", "InvalidS3BucketFault,400", "IamRoleMissingPermissions,400",
            "IamRoleNotFound,404", "KMSKeyNotAccessibleFault,400", "InvalidParameterValue,400"})
    void startExport_isPermanent_forConfigurationErrors(String code, int status) {
        fake.failNext("StartExportTask", code, status);

        assertThatThrownBy(() -> exports.startExport(request("orders-1", snapshotArn)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining(code)
                .hasMessageContaining("orders-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ExportTaskLimitReached", "LimitExceededException", "QuotaExceeded"})
    void startExport_isNotReady_forTheLikelySpellingsOfTheExportLimit(String code) {
        fake.failNext("StartExportTask", code, 400);

        assertThatThrownBy(() -> exports.startExport(request("orders-1", snapshotArn)))
                .isInstanceOf(NotReadyException.class);
    }

    @Test
    void startExport_rethrowsUnmappedErrors_forTheConsumersClassifier() {
        fake.failNext("StartExportTask", "SomethingNew", 400);

        assertThatThrownBy(() -> exports.startExport(request("orders-1", snapshotArn)))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("SomethingNew"));
    }

    @Test
    void startExport_startsADirectClusterExport() {
        String clusterArn = fake.rds().addCluster("aurora-main");

        assertThat(exports.startExport(request("aurora-main-1", clusterArn)).started()).isTrue();
    }

    @Test
    void exportTask_readsOneTask_andIsEmptyForAnUnknownOne() {
        exports.startExport(request("orders-1", snapshotArn));
        fake.rds().failExport("orders-1", "The S3 bucket exports isn't located in the current AWS Region.");

        ExportTask task = exports.exportTask("orders-1").orElseThrow();
        assertThat(task.status()).isEqualTo("FAILED");
        assertThat(task.terminal()).isTrue();
        assertThat(task.failureCause()).hasValueSatisfying(c -> assertThat(c).contains("current AWS Region"));
        assertThat(task.endTime()).isPresent();
        assertThat(exports.exportTask("never-started")).isEmpty();
    }

    @Test
    void exportTasksForSource_filtersBySourceArn_acrossPages() {
        String other = fake.rds().addDbSnapshot("other", "billing").arn();
        exports.startExport(request("other-1", other));
        for (int i = 0; i < 3; i++) {
            exports.startExport(request("orders-" + i, snapshotArn));
            fake.rds().cancelExport("orders-" + i);
        }

        List<ExportTask> tasks = exports.exportTasksForSource(snapshotArn);

        assertThat(tasks).extracting(ExportTask::taskId).containsExactly("orders-0", "orders-1", "orders-2");
        assertThat(tasks).allSatisfy(t -> assertThat(t.status()).isEqualTo("CANCELED"));
        assertThat(fake.requests("DescribeExportTasks").get(0).params())
                .containsEntry("Filters.Filter.1.Name", "source-arn")
                .containsEntry("Filters.Filter.1.Values.Value.1", snapshotArn);
    }

    @Test
    void forEachExportTask_followsMarkers_overMoreThanOnePage() {
        for (int i = 0; i < 230; i++) {
            String arn = fake.rds().addDbSnapshot("s-" + i, "orders").arn();
            exports.startExport(request(String.format("t-%03d", i), arn));
            fake.rds().completeExport(String.format("t-%03d", i));
        }
        fake.clearRequests();

        List<String> seen = new ArrayList<>();
        exports.forEachExportTask(t -> seen.add(t.taskId()));

        assertThat(seen).hasSize(230).doesNotHaveDuplicates();
        assertThat(fake.requests("DescribeExportTasks")).hasSize(3);
    }
}
