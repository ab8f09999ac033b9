package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.AwsAccess;
import io.snapline.message.SnapshotCreated;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

class ExportPoliciesTest {

    @Test
    void sources_matchExactlyOrByGlob_caseInsensitively() {
        ExportPolicy p = policy().sources("orders", "billing-*", "db-?").build();
        assertThat(p.matchesSource("orders")).isTrue();
        assertThat(p.matchesSource("ORDERS")).isTrue();
        assertThat(p.matchesSource("orders-2")).isFalse();
        assertThat(p.matchesSource("billing-eu-1")).isTrue();
        assertThat(p.matchesSource("billing")).isFalse();
        assertThat(p.matchesSource("db-a")).isTrue();
        assertThat(p.matchesSource("db-ab")).isFalse();
        assertThat(p.hasGlobSource()).isTrue();
    }

    @Test
    void kinds_selectByOrigin() {
        ExportPolicies policies = new ExportPolicies(java.util.List.of(
                policy().name("auto").kinds("automated").build(),
                policy().name("all").build()));
        SnapshotCreated manual = ExportFixture.createdEvent("arn:aws:rds:us-east-1:111111111111:snapshot:m1",
                SnapshotCreated.Origin.MANUAL);
        assertThat(policies.candidates(manual)).extracting(ExportPolicy::name).containsExactly("all");
        assertThat(policies.matching(ExportPolicy.Kind.AUTOMATED, "orders", Optional.empty()))
                .extracting(ExportPolicy::name).containsExactly("all", "auto");
    }

    @Test
    void crossAccountPolicy_takesOnlyItsSourceAccount() {
        ExportPolicy cross = policy().name("cross").sourceRoleArn("arn:aws:iam::222222222222:role/snapline-source")
                .sourceExternalId("ext-123").batchRoleArn("arn:aws:iam::222222222222:role/batch").build();
        ExportPolicies policies = new ExportPolicies(java.util.List.of(cross));
        assertThat(policies.matching(ExportPolicy.Kind.MANUAL, "orders", Optional.of("222222222222"))).hasSize(1);
        assertThat(policies.matching(ExportPolicy.Kind.MANUAL, "orders", Optional.of("111111111111"))).isEmpty();
        assertThat(cross.sourceAccess()).isEqualTo(AwsAccess.assume("arn:aws:iam::222222222222:role/snapline-source", "ext-123"));
        assertThat(cross.batchJobAccountId()).contains("222222222222");
    }

    @Test
    void prefix_expandsSourceDateAndPolicy() {
        ExportPolicy p = policy().name("daily").prefix("rds/{policy}/{source}/{date}/").build();
        assertThat(p.expandPrefix("orders", Instant.parse("2024-02-29T23:59:00Z"))).isEqualTo("rds/daily/orders/2024/02/29");
    }
}
