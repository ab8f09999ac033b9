package io.snapline.bench;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.snapline.aws.AwsClientFactory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/**
 * In the service JVM the reliability suite starts: replaces the application's {@link SqsClient}
 * (and only it) with one for the suite's embedded SQS when {@value #PROPERTY} is set. Outside local
 * mode {@code AwsClientFactory.sqsClient()} points SQS at {@code snapline.aws.endpoint}, and FakeAws
 * speaks no SQS; every other AWS client still comes from {@link AwsClientFactory}.
 */
@Factory
@Requires(property = SuiteSqsClient.PROPERTY)
public class SuiteSqsClient {

    public static final String PROPERTY = "snapline.bench.sqs-endpoint";

    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(bean = SqsClient.class, factory = AwsClientFactory.class)
    SqsClient sqsClient(@Value("${" + PROPERTY + "}") String endpoint) {
        return SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
