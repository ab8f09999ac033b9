package io.snapline.infra;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.snapline.config.ExportPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the Terraform module hands secrets to Snapline: the export policy JSON in
 * MICRONAUT_APPLICATION_JSON says {@code "crawler-external-id": "${SNAPLINE_SECRET_<POLICY>_<KEY>}"}
 * and ECS sets that environment variable from Secrets Manager. A JVM started with exactly that
 * environment (environment variables cannot be set inside this one) binds the secret's value.
 */
class SecretPlaceholderIT {

    static final String SECRET = "3b9f0c6e1d2a4f58b7c9e0a1d2c3b4a5";

    @Test
    void theSecretOfTheEnvironmentReachesTheExportPolicy() throws Exception {
        // The JSON as modules/source-account renders it (keys sorted, unset keys left out).
        String json = "{\"snapline\":{\"exports\":{\"remote\":{\"acl-mode\":\"none\",\"bucket\":\"acme-exports\","
                + "\"crawler\":\"analytics-exports\",\"crawler-external-id\":\"${SNAPLINE_SECRET_REMOTE_CRAWLER_EXTERNAL_ID}\","
                + "\"crawler-role-arn\":\"arn:aws:iam::333333333333:role/snapline-cross-account\","
                + "\"export-role-arn\":\"arn:aws:iam::111111111111:role/snapline-rds-export\","
                + "\"kms-key\":\"arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555\","
                + "\"notification-topic\":\"arn:aws:sns:eu-west-1:111111111111:snapline-notifications\","
                + "\"prefix\":\"exports\",\"sources\":[\"orders-db\"]}}}}";
        String out = ChildJvm.run(Main.class, Map.of("MICRONAUT_APPLICATION_JSON", json, "SNAPLINE_SECRET_REMOTE_CRAWLER_EXTERNAL_ID", SECRET));
        assertThat(out).contains("crawler-external-id=" + SECRET);
    }

    /** Runs in the child JVM: prints the bound external id. */
    public static final class Main {
        public static void main(String[] args) {
            try (ApplicationContext ctx = ApplicationContext.run()) {
                ExportPolicy policy = ctx.getBean(ExportPolicy.class, Qualifiers.byName("remote"));
                System.out.println("crawler-external-id=" + policy.crawlerExternalId());
            }
            // Exit explicitly: about one start in six leaves a non-daemon Micronaut scheduled-executor
            // thread behind after the context is closed, and the JVM would wait for it (the service
            // itself always ends through a signal or System.exit, so it is not affected).
            System.exit(0);
        }
    }
}
