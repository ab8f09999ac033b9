package io.snapline.aws;

import io.snapline.config.AwsProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.fake.FakeAws;
import io.snapline.gateway.AwsAccess;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link FakeAws} and the project's real {@link AwsClientFactory} pointed at it (not local mode:
 * the queue URL is set), plus {@link SdkGateways} over those clients: what an end-to-end test of a
 * handler needs. Close it after the test.
 */
public final class FakeAwsFixture implements AutoCloseable {

    static {
        // Static credentials win over the rest of the default chain (no slow instance-metadata probe).
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private final FakeAws fake = new FakeAws();
    private final AwsClientFactory factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
            new AwsProperties(fake.endpoint().toString()), queue("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            Optional.empty());
    private final SdkGateways gateways = new SdkGateways(factory, factory.snsClient());

    public FakeAws fake() {
        return fake;
    }

    public AwsClientFactory factory() {
        return factory;
    }

    /** The real SDK gateways, talking to {@link #fake()}. */
    public SdkGateways gateways() {
        return gateways;
    }

    public AwsClients clients() {
        return factory.clientsFor(AwsAccess.DEFAULT);
    }

    /** Queue properties with this URL ({@code null} or blank = local mode) and the defaults. */
    public static QueueProperties queue(String url) {
        return new QueueProperties(url, null, 2, 64, Duration.ofSeconds(20), Optional.empty(),
                Duration.ofSeconds(10), Duration.ofMinutes(15), Duration.ofSeconds(30), 200);
    }

    @Override
    public void close() {
        factory.closeAll();
        fake.close();
    }
}
