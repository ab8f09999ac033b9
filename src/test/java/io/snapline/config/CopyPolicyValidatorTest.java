package io.snapline.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CopyPolicyValidatorTest {

    static CopyPolicy policy(List<String> sources, List<String> kinds, String region, String key, String prefix,
                             Integer keepDays) {
        return new CopyPolicy("tokyo-dr", sources, "instance", kinds, region, key, null, true, prefix, null, keepDays,
                null, 20, null);
    }

    static List<String> problems(CopyPolicy p, List<RetentionPolicy> retention) {
        return CopyPolicyValidator.problems(List.of(p), retention, Optional.of("ap-northeast-1"));
    }

    @Test
    void theTokyoPolicy_isValid() {
        assertThat(problems(policy(List.of("orders-db"), List.of("scheduled"), "us-east-1",
                "arn:aws:kms:us-east-1:123456789012:key/k", "snapline-dr", 1), List.of())).isEmpty();
    }

    @Test
    void aKeyOfAnotherRegionThanTheDestination_isAStartUpError_namingTheKey() {
        List<String> out = problems(policy(List.of("orders-db"), List.of(), "us-east-1",
                "arn:aws:kms:ap-northeast-1:123456789012:key/k", "snapline-dr", 1), List.of());

        assertThat(out).singleElement().asString().startsWith("snapline.copies.tokyo-dr.destination-kms-key-id:")
                .contains("ap-northeast-1").contains("region-bound");
    }

    @Test
    void everyBadKey_isNamedAtOnce() {
        List<String> out = problems(policy(List.of(), List.of("weekly"), "ap-northeast-1", "arn:nope", "Bad_Prefix-", 0),
                List.of());

        assertThat(out).hasSize(6).anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.sources:"))
                .anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.kinds:").contains("weekly"))
                .anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.destination-region:")
                        .contains("service's own region"))
                .anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.destination-kms-key-id:"))
                .anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.name-prefix:"))
                .anySatisfy(l -> assertThat(l).startsWith("snapline.copies.tokyo-dr.keep-days:"));
    }

    @Test
    void aMissingDestinationRegion_isAStartUpError() {
        assertThat(problems(policy(List.of("orders-db"), List.of(), null, null, "snapline-dr", null), List.of()))
                .singleElement().asString().startsWith("snapline.copies.tokyo-dr.destination-region: required");
    }

    @Test
    void aRetentionPolicyNamedLikeTheDestinationRetention_isRefused() {
        RetentionPolicy clash = new RetentionPolicy("copies-tokyo-dr", List.of("orders-db"), "both", "x-", 1, null, null,
                null, null, "UTC", null, 20, 50, null);

        assertThat(problems(policy(List.of("orders-db"), List.of(), "us-east-1", null, "snapline-dr", 1), List.of(clash)))
                .singleElement().asString().startsWith("snapline.retention.copies-tokyo-dr:");
    }

    @Test
    void theDestinationRetention_deletesOnlyWhatCarriesThePolicyTag_underThePrefix() {
        RetentionPolicy r = policy(List.of("orders-db"), List.of(), "us-east-1", null, "snapline-dr", 1)
                .destinationRetention();

        assertThat(r.name()).isEqualTo("copies-tokyo-dr");
        assertThat(r.namePrefix()).isEqualTo("snapline-dr-");
        assertThat(r.tagKey()).isEqualTo(CopyPolicy.POLICY_TAG);
        assertThat(r.tagValue()).isEqualTo("tokyo-dr");
        assertThat(r.keepDays()).isEqualTo(1);
        assertThat(r.problems()).isEmpty();
    }
}
