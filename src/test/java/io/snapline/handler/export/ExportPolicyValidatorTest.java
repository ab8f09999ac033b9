package io.snapline.handler.export;

import io.micronaut.context.ApplicationContext;
import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportPolicyValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportPolicyValidatorTest {

    private static List<String> problems(UnaryOperator<TestPolicies> change) {
        return ExportPolicyValidator.problems(change.apply(policy()).build());
    }

    @Test
    void validPolicy_hasNoProblems() {
        assertThat(problems(p -> p)).isEmpty();
        assertThat(problems(p -> p.kmsKey("alias/exports").aclMode("per-object").batchRoleArn(null))).isEmpty();
        assertThat(problems(p -> p.kmsKey("1234abcd-12ab-34cd-56ef-1234567890ab").exportOnly("shop", "shop.public.orders", "db$1"))).isEmpty();
    }

    @Test
    void eachBadKey_isNamedWithItsFix() {
        assertThat(problems(p -> p.crawlerRoleArn("glue-starter"))).singleElement().asString()
                .contains("snapline.exports.analytics.crawler-role-arn");
        assertThat(problems(p -> p.crawlerExternalId("ext-1"))).singleElement().asString()
                .contains("crawler-external-id: set without crawler-role-arn");
        assertThat(problems(p -> p.kmsKey("foo"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.kms-key: 'foo' is not a KMS key ARN/id/alias").contains("give");
        assertThat(problems(p -> p.exportRoleArn("rds-export"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.export-role-arn:");
        assertThat(problems(p -> p.bucket("s3://bucket"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.bucket:");
        assertThat(problems(p -> p.aclMode("sometimes"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.acl-mode: 'sometimes'").contains("auto, none, per-object or batch");
        assertThat(problems(p -> p.kinds("automated", "weekly"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.kinds: 'weekly'");
        assertThat(problems(p -> p.exportOnly("shop.public-x"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.export-only:").contains("A-Z a-z 0-9 $ _");
        assertThat(problems(p -> p.exportOnly("a.b.c.d"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.export-only:");
        assertThat(problems(p -> p.notificationTopic("exports"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.notification-topic:");
        assertThat(problems(p -> p.webhookUrl("ftp://hooks"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.webhook-url:");
        assertThat(problems(p -> p.bucketOwnerAccount("1234"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.bucket-owner-account:");
        assertThat(problems(p -> p.sourceExternalId("abc"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.source-external-id:");
        assertThat(problems(p -> p.sourceRoleArn("arn:aws:iam::222222222222:user/x"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.source-role-arn:");
        assertThat(problems(p -> p.aclBatchThreshold(0L))).singleElement().asString()
                .startsWith("snapline.exports.analytics.acl-batch-threshold:");
        assertThat(problems(p -> p.sources("orders db"))).singleElement().asString()
                .startsWith("snapline.exports.analytics.sources:");
    }

    @Test
    void missingRequiredKeys_areEachReported() {
        assertThat(problems(p -> p.sources().bucket(null).kmsKey(null).exportRoleArn(null)))
                .extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactlyInAnyOrder("snapline.exports.analytics.sources", "snapline.exports.analytics.bucket",
                        "snapline.exports.analytics.kms-key", "snapline.exports.analytics.export-role-arn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/exports/{source}", "exports:{source}", "exports/{source} x", "a\\b", "a`b", "a\"b", "{region}/x",
            "a/../{source}", "a//{source}", "./x", "rds#1/{source}", "rds/{source}/é", "x?y"})
    void badPrefix_isRejectedWithTheKey(String prefix) {
        assertThat(problems(p -> p.prefix(prefix))).singleElement().asString().startsWith("snapline.exports.analytics.prefix:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rds/{source}/{date}", "{policy}/{source}", "a.b/c_d-e/{date}", "exports/"})
    void goodPrefix_isAccepted(String prefix) {
        assertThat(problems(p -> p.prefix(prefix))).isEmpty();
    }

    @Test
    void expandPrefix_expandsOnlyIntoCharactersRdsTakes_andNamesTheKeyAndValueOtherwise() {
        ExportPolicy p = policy().prefix("rds/{source}/{date}").build();

        assertThat(p.expandPrefix("orders-1.v2", java.time.Instant.parse("2024-03-01T10:00:00Z")))
                .isEqualTo("rds/orders-1.v2/2024/03/01");
        for (String bad : List.of("awsbackup:job-1", "..", "a..b", "a b", "a/b", "", "x\u0000")) {
            assertThatThrownBy(() -> p.expandPrefix(bad, java.time.Instant.EPOCH)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("snapline.exports.analytics.prefix: {source} would expand to '");
        }
        // a placeholder the template does not use is never judged
        assertThat(policy().prefix("fixed").build().expandPrefix("awsbackup:job-1", java.time.Instant.EPOCH)).isEqualTo("fixed");
    }

    @Test
    void aPolicyNameThatCannotGoIntoThePrefix_isRefusedAtStartUp_whenThePrefixUsesIt() {
        assertThat(ExportPolicyValidator.problems(policy().name("a:b").prefix("{policy}/{source}").build()))
                .anySatisfy(m -> assertThat(m).startsWith("snapline.exports.a:b.prefix:").contains("policy name 'a:b'"));
    }

    @Test
    void batchCapableMode_needsABatchRole_inTheSourceAccount() {
        assertThat(problems(p -> p.batchRoleArn(null))).singleElement().asString()
                .startsWith("snapline.exports.analytics.batch-role-arn: missing");
        assertThat(problems(p -> p.aclMode("none").batchRoleArn(null))).isEmpty();
        assertThat(problems(p -> p.sourceRoleArn("arn:aws:iam::222222222222:role/snapline-source")))
                .singleElement().asString().startsWith("snapline.exports.analytics.batch-role-arn: the role is in account 111111111111");
    }

    @Test
    void engineFit_isCheckedPerEngine() {
        assertThat(ExportPolicyValidator.engineProblem("shop.orders", "mysql")).isEmpty();
        assertThat(ExportPolicyValidator.engineProblem("shop.public.orders", "aurora-postgresql")).isEmpty();
        assertThat(ExportPolicyValidator.engineProblem("shop.public.orders", "mariadb")).get().asString()
                .contains("does not fit engine 'mariadb'");
        assertThat(ExportPolicyValidator.engineProblem("shop.orders", "oracle-ee")).isPresent();
        assertThat(ExportPolicyValidator.engineProblem("shop", "sqlserver-se")).isEmpty();
    }

    @Test
    void startUp_failsWithEveryProblemOfEveryPolicy() {
        Map<String, Object> config = Map.of(
                "snapline.exports.good.sources", "orders",
                "snapline.exports.good.bucket", "exports-bucket",
                "snapline.exports.good.kms-key", "alias/exports",
                "snapline.exports.good.export-role-arn", "arn:aws:iam::111111111111:role/rds-export",
                "snapline.exports.good.acl-mode", "none",
                "snapline.exports.bad.sources", "orders-*",
                "snapline.exports.bad.bucket", "exports-bucket",
                "snapline.exports.bad.kms-key", "foo",
                "snapline.exports.bad.export-role-arn", "arn:aws:iam::111111111111:role/rds-export",
                "snapline.exports.bad.acl-mode", "sometimes");
        Map<String, Object> withDoubles = new java.util.HashMap<>(config);
        withDoubles.put(InMemoryExportBeans.PROPERTY, "true");
        assertThatThrownBy(() -> ApplicationContext.run(withDoubles).close())
                .hasStackTraceContaining("snapline.exports.bad.kms-key: 'foo'")
                .hasStackTraceContaining("snapline.exports.bad.acl-mode: 'sometimes'");
    }

    @Test
    void policies_bindFromConfiguration() {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                "snapline.exports.daily.sources", List.of("orders", "billing-*"),
                "snapline.exports.daily.kinds", List.of("automated", "aws-backup"),
                "snapline.exports.daily.bucket", "exports-bucket",
                "snapline.exports.daily.prefix", "rds/{source}/{date}",
                "snapline.exports.daily.kms-key", "alias/exports",
                "snapline.exports.daily.export-role-arn", "arn:aws:iam::111111111111:role/rds-export",
                "snapline.exports.daily.export-only", List.of("shop.orders"),
                "snapline.exports.daily.acl-mode", "per-object",
                "snapline.exports.daily.acl-batch-threshold", "500",
                "snapline.exports.daily.crawler", "orders-crawler"));
        // Keys of other views of the same policy (export retention) are not this binding's business.
        config.put("snapline.exports.daily.retention.keep-last", "1");
        // The handlers (created at start-up by the handler registry) need Gateways and Ledger beans.
        config.put(InMemoryExportBeans.PROPERTY, "true");
        try (ApplicationContext ctx = ApplicationContext.run(config)) {
            ExportPolicy p = ctx.getBean(ExportPolicies.class).byName("daily").orElseThrow();
            assertThat(p.sources()).containsExactly("orders", "billing-*");
            assertThat(p.kindSet()).containsExactlyInAnyOrder(ExportPolicy.Kind.AUTOMATED, ExportPolicy.Kind.AWS_BACKUP);
            assertThat(p.aclModeValue()).isEqualTo(ExportPolicy.AclMode.PER_OBJECT);
            assertThat(p.aclBatchThresholdValue()).isEqualTo(500);
            assertThat(p.exportOnly()).containsExactly("shop.orders");
            assertThat(p.crawlerName()).contains("orders-crawler");
            assertThat(p.matchesSource("billing-eu")).isTrue();
        }
    }

    @Test
    void unsetKeys_takeTheirDefaults() {
        ExportPolicy p = policy().aclMode(null).aclBatchThreshold(null).kinds().prefix(null).build();
        assertThat(p.aclModeValue()).isEqualTo(ExportPolicy.AclMode.AUTO);
        assertThat(p.aclBatchThresholdValue()).isEqualTo(10_000);
        assertThat(p.kindSet()).containsExactlyInAnyOrder(ExportPolicy.Kind.values());
        assertThat(p.prefix()).isEmpty();
    }

    @Test
    void validator_isAConfigurationCheck_answeringEveryProblemOfEveryPolicy() {
        assertThat(new ExportPolicyValidator(List.of(policy().kmsKey("foo").build())).problems())
                .singleElement().asString().startsWith("snapline.exports.analytics.kms-key: 'foo'");
    }

    @Test
    void prefix_reportsEveryProblemOfOneValue() {
        assertThat(problems(b -> b.prefix("/a:b")))
                .anySatisfy(p -> assertThat(p).startsWith("snapline.exports.analytics.prefix: '/a:b' starts with '/'"))
                .anySatisfy(p -> assertThat(p).startsWith("snapline.exports.analytics.prefix: '/a:b' contains ':'"));
        assertThat(problems(b -> b.prefix("x/{nope}/{what} y")))
                .anySatisfy(p -> assertThat(p).contains("unknown placeholder {nope}"))
                .anySatisfy(p -> assertThat(p).contains("unknown placeholder {what}"))
                .anySatisfy(p -> assertThat(p).contains("contains ' '"));
    }
}
