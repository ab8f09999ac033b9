package io.snapline.aws;

import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeSns;
import io.snapline.fake.FakeSts;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway.ExportRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SdkGatewaysIT {

    private static final String ROLE = "arn:aws:iam::210987654321:role/snapline-export";

    private FakeAwsFixture env;
    private FakeAws fake;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void assumedAccess_callsStsWithRoleAndExternalId_andSignsWithTheIssuedKey() {
        fake.s3().createBucket("exports");
        String arn = fake.rds().addDbSnapshot("orders-manual", "orders").arn();
        AwsAccess access = AwsAccess.assume(ROLE, "ext-123");

        env.gateways().exports(access).startExport(new ExportRequest("orders-1", arn, "exports", null,
                "arn:aws:iam::123456789012:role/export", "alias/exports", List.of()));

        FakeSts.AssumeRoleCall call = fake.sts().assumeRoleCalls().get(0);
        assertThat(call.roleArn()).isEqualTo(ROLE);
        assertThat(call.externalId()).isEqualTo("ext-123");
        assertThat(call.sessionName()).isEqualTo("snapline");
        assertThat(fake.requests("StartExportTask").get(0).accessKeyId()).isEqualTo(call.accessKeyId());
    }

    @Test
    void defaultAccess_doesNotAssumeARole() {
        fake.s3().createBucket("exports");

        env.gateways().objects(AwsAccess.DEFAULT).objectOwnership("exports");

        assertThat(fake.sts().assumeRoleCalls()).isEmpty();
        assertThat(fake.requests("GetBucketOwnershipControls").get(0).accessKeyId()).isEqualTo("test");
    }

    @Test
    void gatewaysAreCachedPerAccess() {
        AwsAccess assumed = AwsAccess.assume(ROLE, "ext-123");

        assertThat(env.gateways().exports(AwsAccess.DEFAULT)).isSameAs(env.gateways().exports(AwsAccess.DEFAULT));
        assertThat(env.gateways().objects(assumed)).isSameAs(env.gateways().objects(AwsAccess.assume(ROLE, "ext-123")));
        assertThat(env.gateways().objects(assumed)).isNotSameAs(env.gateways().objects(AwsAccess.DEFAULT));
    }

    @Test
    void publish_sendsTheBody_andASubjectCutTo100Characters() {
        String topic = "arn:aws:sns:us-east-1:123456789012:snapline";

        env.gateways().notifications().publish(topic, "Export done\n" + "x".repeat(200), "{\"snapshot\":\"orders\"}");

        FakeSns.Message message = fake.sns().messages(topic).get(0);
        assertThat(message.body()).isEqualTo("{\"snapshot\":\"orders\"}");
        assertThat(message.subject()).hasSize(100).startsWith("Export done x");
    }
}
