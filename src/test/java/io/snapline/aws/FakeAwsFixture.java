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
 * the queue URL is set), plus {@link SdkGateways} over those clients. Close it after the test.
 */
final class FakeAwsFixture implements AutoCloseable {

    static {
        // Static credentials win over the rest of the default chain (no slow instance-metadata probe).
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    final FakeAws fake = new FakeAws();
    final AwsClientFactory factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
            new AwsProperties(fake.endpoint().toString()), queue("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            Optional.empty());
    final SdkGateways gateways = new SdkGateways(factory, factory.snsClient());

    AwsClients clients() {
        return factory.clientsFor(AwsAccess.DEFAULT);
    }

    static QueueProperties queue(String url) {
        return new QueueProperties(url, null, 2, 64, Duration.ofSeconds(20), Duration.ofSeconds(300),
                Duration.ofSeconds(10), Duration.ofMinutes(15), Duration.ofSeconds(30), 200);
    }

    @Override
    public void close() {
        factory.closeAll();
        fake.close();
    }
}
