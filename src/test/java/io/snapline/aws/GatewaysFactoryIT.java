package io.snapline.aws;

import io.micronaut.context.ApplicationContext;
import io.snapline.fake.FakeAws;
import io.snapline.gateway.Gateways;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Micronaut wiring of the single {@link Gateways} bean. */
class GatewaysFactoryIT {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private static final java.nio.file.Path LEDGER = tempLedger();

    private static java.nio.file.Path tempLedger() {
        try {
            return java.nio.file.Files.createTempDirectory("snapline-gateways-it").resolve("ledger.jsonl");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> config(FakeAws fake, boolean dryRun) {
        return Map.of("snapline.queue.url", "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "snapline.region", "us-east-1",
                "snapline.aws.endpoint", fake.endpoint().toString(),
                "snapline.dry-run", String.valueOf(dryRun),
                // no queue is consumed here (the URL is not served): the start-up check must not read it
                "snapline.consumer.enabled", "false",
                // the export handlers make the handler registry build the ledger at start-up
                "snapline.ledger.store", "embedded",
                "snapline.ledger.path", LEDGER.toString());
    }

    @Test
    void theBeanIsTheSdkGateways_unlessDryRun() {
        try (FakeAws fake = new FakeAws();
             ApplicationContext context = ApplicationContext.run(config(fake, false))) {
            fake.s3().createBucket("exports");

            Gateways gateways = context.getBean(Gateways.class);

            assertThat(gateways).isInstanceOf(SdkGateways.class);
            assertThat(gateways.objects(io.snapline.gateway.AwsAccess.DEFAULT).objectOwnership("exports"))
                    .contains("BucketOwnerEnforced");
        }
    }

    @Test
    void theBeanIsTheDryRun_whenDryRunIsOn() {
        try (FakeAws fake = new FakeAws();
             ApplicationContext context = ApplicationContext.run(config(fake, true))) {

            assertThat(context.getBean(Gateways.class))
                    .isInstanceOfSatisfying(DryRunGateways.class, d -> assertThat(d.online()).isTrue());
        }
    }
}
