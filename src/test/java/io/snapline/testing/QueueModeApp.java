package io.snapline.testing;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.snapline.aws.AwsClientFactory;
import io.snapline.config.ClockFactory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The application in queue mode for end-to-end tests: every AWS client from {@code snapline.aws.endpoint}
 * (the wire fakes), except the {@link SqsClient}, which {@link EmbeddedSqsClient} replaces with one for the
 * embedded SQS server, and an embedded ledger on a journal file. {@link #config} gives the settings every
 * such test shares; a test adds its policies to the map it answers.
 */
public final class QueueModeApp {

    private QueueModeApp() {
    }

    /** The shared settings, in a map the caller adds to; {@code visibilityTimeout} e.g. {@code "10s"}. */
    public static Map<String, Object> config(URI awsEndpoint, URI sqsEndpoint, String queueUrl, Path ledgerFile,
                                             String visibilityTimeout) {
        Map<String, Object> config = new HashMap<>();
        config.put("micronaut.server.port", -1);
        config.put("snapline.region", "us-east-1");
        config.put("snapline.aws.endpoint", awsEndpoint.toString());
        config.put(EmbeddedSqsClient.PROPERTY, sqsEndpoint.toString());
        config.put("snapline.queue.url", queueUrl);
        config.put("snapline.queue.wait-time", "1s");
        config.put("snapline.queue.visibility-timeout", visibilityTimeout);
        config.put("snapline.queue.backoff-base", "1s");
        config.put("snapline.queue.shutdown-deadline", "5s");
        config.put("snapline.ledger.store", "embedded");
        config.put("snapline.ledger.path", ledgerFile.toString());
        return config;
    }

    /**
     * Replaces the application's {@link SqsClient} (and only it) with one for the embedded SQS server
     * when {@code snapline.test.sqs-endpoint} is set; every other AWS client still comes from
     * {@link AwsClientFactory} and {@code snapline.aws.endpoint}.
     */
    @Factory
    @Requires(property = EmbeddedSqsClient.PROPERTY)
    public static class EmbeddedSqsClient {

        public static final String PROPERTY = "snapline.test.sqs-endpoint";

        @Singleton
        @Bean(preDestroy = "close")
        @Replaces(bean = SqsClient.class, factory = AwsClientFactory.class)
        SqsClient sqsClient(@Value("${" + PROPERTY + "}") String endpoint) {
            return SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
        }
    }

    /**
     * Replaces the application's {@link Clock} with the one a test hands to {@link #use} when
     * {@value #PROPERTY} is set: the end-to-end tests that drive simulated days.
     */
    @Factory
    @Requires(property = TestClock.PROPERTY)
    public static class TestClock {

        public static final String PROPERTY = "snapline.test.clock";
        private static volatile Clock clock;

        /** The clock of the next application context started with {@value #PROPERTY}. */
        public static void use(Clock testClock) {
            clock = testClock;
        }

        @Singleton
        @Replaces(bean = Clock.class, factory = ClockFactory.class)
        Clock clock() {
            return Objects.requireNonNull(clock, "QueueModeApp.TestClock.use(clock) was not called before the start");
        }
    }
}
