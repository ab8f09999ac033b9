package io.snapline.aws;

import io.micronaut.context.annotation.Factory;
import io.snapline.config.AwsProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.gateway.Gateways;
import io.snapline.local.OfflineRdsEvents;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Optional;

/**
 * Provides the single {@link Gateways} bean: the {@link SdkGateways} normally, or
 * {@link DryRunGateways} around them when {@code snapline.dry-run=true} or in local mode
 * ({@code snapline.queue.url} unset). The dry run reads from AWS when it is reachable (not local mode,
 * or {@code snapline.aws.endpoint} set) and is offline otherwise. See {@code docs/dry-run.md}.
 */
@Factory
public class GatewaysFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GatewaysFactory.class);

    @Singleton
    public Gateways gateways(SnaplineProperties snapline, QueueProperties queue, AwsProperties aws,
                             AwsClientFactory clients, SnsClient sns, Optional<OfflineRdsEvents> offlineEvents) {
        return select(snapline, queue, aws, new SdkGateways(clients, sns), clients.region().id(), offlineEvents);
    }

    static Gateways select(SnaplineProperties snapline, QueueProperties queue, AwsProperties aws, Gateways real,
                           String region) {
        return select(snapline, queue, aws, real, region, Optional.empty());
    }

    static Gateways select(SnaplineProperties snapline, QueueProperties queue, AwsProperties aws, Gateways real,
                           String region, Optional<OfflineRdsEvents> offlineEvents) {
        boolean local = queue.localMode();
        if (!snapline.dryRun() && !local) {
            return real;
        }
        boolean endpoint = aws.endpoint() != null && !aws.endpoint().isBlank();
        boolean online = !local || endpoint;
        LOG.info("Dry run ({}): AWS calls that would change something are logged on '{}' and not made; reads {}",
                local ? "local mode" : "snapline.dry-run=true", DryRunGateways.LOGGER,
                online ? "go to " + (endpoint ? aws.endpoint() : "AWS") : "are answered offline from the dry run's memory");
        return new DryRunGateways(real, online, region, offlineEvents);
    }
}
