package io.snapline.message;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArnTest {

    @Test
    void parse_keepsColonsOfTheResource_forAutomatedSnapshots() {
        Arn arn = Arn.parse("arn:aws:rds:eu-west-1:123456789012:snapshot:rds:orders-2024-01-01-00-00").orElseThrow();
        assertThat(arn.partition()).isEqualTo("aws");
        assertThat(arn.service()).isEqualTo("rds");
        assertThat(arn.region()).isEqualTo("eu-west-1");
        assertThat(arn.account()).isEqualTo("123456789012");
        assertThat(arn.resourceType()).isEqualTo("snapshot");
        assertThat(arn.resourceId()).isEqualTo("rds:orders-2024-01-01-00-00");
        assertThat(arn.rdsScope()).contains(SnapshotRef.Scope.DB_SNAPSHOT);
        assertThat(arn).hasToString("arn:aws:rds:eu-west-1:123456789012:snapshot:rds:orders-2024-01-01-00-00");
    }

    @Test
    void parse_readsSlashTypedResources_andUntypedOnes() {
        Arn role = Arn.parse("arn:aws:iam::123456789012:role/path/snapline").orElseThrow();
        assertThat(role.region()).isEmpty();
        assertThat(role.resourceType()).isEqualTo("role");
        assertThat(role.resourceId()).isEqualTo("path/snapline");
        Arn queue = Arn.parse("arn:aws:sqs:us-east-1:123456789012:snapline-events-dlq").orElseThrow();
        assertThat(queue.resourceType()).isEmpty();
        assertThat(queue.resourceId()).isEqualTo("snapline-events-dlq");
        assertThat(queue.rdsScope()).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"orders", "arn:", "arn:aws:rds", "arn:aws:rds:r:a", "arn:aws:rds:r:a:", "rds:orders-2024",
            "arn::rds:r:a:snapshot:x", "\ud800arn:aws:rds:r:a:snapshot:x"})
    void parse_answersEmpty_forWhatIsNotAnArn(String text) {
        assertThat(Arn.parse(text)).isEmpty();
    }

    @Test
    void rdsScope_namesClusterSnapshotsAndClusters_only() {
        assertThat(Arn.parse("arn:aws:rds:r:1:cluster-snapshot:c").flatMap(Arn::rdsScope))
                .contains(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        assertThat(Arn.parse("arn:aws:rds:r:1:cluster:c").flatMap(Arn::rdsScope)).contains(SnapshotRef.Scope.CLUSTER);
        assertThat(Arn.parse("arn:aws:rds:r:1:db:c").flatMap(Arn::rdsScope)).isEmpty();
        assertThat(Arn.parse("arn:aws:s3:::bucket").flatMap(Arn::rdsScope)).isEmpty();
    }

    @Test
    void rds_buildsThePartitionFromTheRegion_andInRegionMovesIt() {
        assertThat(Arn.rds("cn-north-1", "1", "snapshot", "x")).hasToString("arn:aws-cn:rds:cn-north-1:1:snapshot:x");
        Arn tokyo = Arn.rds("ap-northeast-1", "123456789012", "snapshot", "s");
        assertThat(tokyo.inRegion("us-east-1")).hasToString("arn:aws:rds:us-east-1:123456789012:snapshot:s");
    }
}
