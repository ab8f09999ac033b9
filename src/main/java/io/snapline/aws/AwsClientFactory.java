package io.snapline.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.snapline.config.AwsProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.gateway.AwsAccess;
import io.snapline.local.LocalSqsServer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where AWS clients get their region, credentials, HTTP client and endpoint.
 * {@code snapline.aws.endpoint} overrides every client's endpoint here and nowhere else (S3 then
 * uses path-style addressing; S3 Control keeps the override's host instead of prefixing the
 * account id: its endpoint provider answers the override itself and host-prefix injection is off,
 * since {@code 123456789012.127.0.0.1} is not even a valid host). In local mode the SQS client talks
 * to the embedded SQS server.
 */
@Factory
public class AwsClientFactory {

    private static final Region LOCAL_REGION = Region.US_EAST_1;

    private final Optional<URI> endpoint;
    private final boolean localMode;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Optional<LocalSqsServer> localSqs;
    private final Map<AwsAccess, AwsClients> perAccess = new ConcurrentHashMap<>();
    private final Map<AwsAccess, AwsCredentialsProvider> credentialsPerAccess = new ConcurrentHashMap<>();
    private final Map<String, RdsClient> rdsPerRegion = new ConcurrentHashMap<>();

    public AwsClientFactory(SnaplineProperties snapline, AwsProperties aws, QueueProperties queue,
                            Optional<LocalSqsServer> localSqs) {
        this.endpoint = Optional.ofNullable(aws.endpoint()).filter(s -> !s.isBlank()).map(URI::create);
        this.localMode = queue.localMode();
        this.localSqs = localSqs;
        this.region = resolveRegion(snapline.region(), localMode || endpoint.isPresent());
        this.credentials = (localMode || endpoint.isPresent())
                ? AwsCredentialsProviderChain.builder()
                        .credentialsProviders(DefaultCredentialsProvider.builder().build(),
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build()
                : DefaultCredentialsProvider.builder().build();
        this.http = ApacheHttpClient.builder()
                .maxConnections(200)
                .socketTimeout(Duration.ofSeconds(30))
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static Region resolveRegion(String configured, boolean offline) {
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException e) {
            if (offline) {
                return LOCAL_REGION;
            }
            throw new IllegalStateException("No AWS region: set snapline.region (env SNAPLINE_REGION) or AWS_REGION", e);
        }
    }

    /** The region every client uses. */
    public Region region() {
        return region;
    }

    /** The endpoint override, if configured. */
    public Optional<URI> endpoint() {
        return endpoint;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider creds) {
        builder.region(region).credentialsProvider(creds);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(factory = io.micronaut.aws.sdk.v2.service.sqs.SqsClientFactory.class, bean = SqsClient.class)
    public SqsClient sqsClient() {
        var builder = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (localMode) {
            builder.endpointOverride(localSqs.orElseThrow(() ->
                    new IllegalStateException("local mode without the embedded SQS server")).endpoint());
        } else {
            endpoint.ifPresent(builder::endpointOverride);
        }
        return builder.build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(factory = io.micronaut.aws.sdk.v2.service.dynamodb.DynamoDbClientFactory.class, bean = DynamoDbClient.class)
    public DynamoDbClient dynamoDbClient() {
        return configure(DynamoDbClient.builder().httpClient(http), credentials).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(factory = io.micronaut.aws.sdk.v2.service.sns.SnsClientFactory.class, bean = SnsClient.class)
    public SnsClient snsClient() {
        return configure(SnsClient.builder().httpClient(http), credentials).build();
    }

    /** Secrets Manager, with the service's own credentials: the clone pipeline's masking credentials. */
    @Singleton
    @Bean(preDestroy = "close")
    @Replaces(factory = io.micronaut.aws.sdk.v2.service.secretsmanager.SecretsManagerClientFactory.class,
            bean = SecretsManagerClient.class)
    public SecretsManagerClient secretsManagerClient() {
        return configure(SecretsManagerClient.builder().httpClient(http), credentials).build();
    }

    /** The clients acting for one account: the service's own, or a role assumed (cached, refreshed by STS). */
    public AwsClients clientsFor(AwsAccess access) {
        return perAccess.computeIfAbsent(access, this::newClients);
    }

    /**
     * An RDS client acting for {@code access} in another region than the service's (cross-region copies
     * are made by the destination region's RDS; their retention runs there): the same credentials, HTTP
     * client and endpoint override as every other client, only the region differs. The service's own
     * region answers the client of {@link #clientsFor}.
     */
    public RdsClient rdsIn(AwsAccess access, Region rdsRegion) {
        if (rdsRegion.equals(region)) {
            return clientsFor(access).rds();
        }
        return rdsPerRegion.computeIfAbsent(access + "|" + rdsRegion.id(), k -> {
            var builder = RdsClient.builder().httpClient(http).region(rdsRegion)
                    .credentialsProvider(credentialsFor(access));
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private AwsCredentialsProvider credentialsFor(AwsAccess access) {
        if (access.roleArn().isEmpty()) {
            return credentials;
        }
        return credentialsPerAccess.computeIfAbsent(access, a -> {
            StsClient sts = configure(StsClient.builder().httpClient(http), credentials).build();
            return new LoggedAssumedRole(StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> {
                        r.roleArn(a.roleArn().get()).roleSessionName("snapline");
                        a.externalId().ifPresent(r::externalId);
                    })
                    .build(), a.roleArn().get(), a.externalId().isPresent());
        });
    }

    private AwsClients newClients(AwsAccess access) {
        AwsCredentialsProvider creds = credentialsFor(access);
        RdsClient rds = configure(RdsClient.builder().httpClient(http), creds).build();
        var s3Builder = configure(S3Client.builder().httpClient(http), creds);
        var s3Control = configure(S3ControlClient.builder().httpClient(http), creds);
        if (endpoint.isPresent()) {
            s3Builder.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            URI override = endpoint.get();
            s3Control.endpointProvider(params -> S3ControlEndpointProvider.defaultProvider().resolveEndpoint(params)
                            .thenApply(resolved -> resolved.toBuilder().url(override).build()))
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build());
        }
        GlueClient glue = configure(GlueClient.builder().httpClient(http), creds).build();
        return new AwsClients(rds, s3Builder.build(), s3Control.build(), glue);
    }

    /** Closes every client set and the shared HTTP client (the bean's pre-destroy; tests call it too). */
    @PreDestroy
    public void closeAll() {
        perAccess.values().forEach(AwsClients::close);
        rdsPerRegion.values().forEach(RdsClient::close);
        http.close();
    }
}
