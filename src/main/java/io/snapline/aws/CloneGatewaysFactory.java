package io.snapline.aws;

import io.micronaut.context.annotation.Factory;
import io.snapline.config.AwsProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.CloneGateway;
import io.snapline.gateway.SecretsGateway;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The clone pipeline's gateways: the SDK adapters, or their dry run ({@link DryRunCloneGateways}) when
 * {@code snapline.dry-run=true} or in local mode, online or offline by the same rule as
 * {@link GatewaysFactory}. Clones are made in the service's own account and region.
 */
@Factory
public class CloneGatewaysFactory {

    @Singleton
    DryRunCloneGateways dryRun(SnaplineProperties snapline, QueueProperties queue, AwsProperties aws,
                               AwsClientFactory clients, SecretsManagerClient secrets) {
        boolean endpoint = aws.endpoint() != null && !aws.endpoint().isBlank();
        boolean online = !queue.localMode() || endpoint;
        return new DryRunCloneGateways(new SdkCloneGateway(clients.clientsFor(AwsAccess.DEFAULT).rds()),
                new SdkSecretsGateway(secrets), online, clients.region().id());
    }

    @Singleton
    CloneGateway cloneGateway(SnaplineProperties snapline, QueueProperties queue, AwsClientFactory clients,
                              io.micronaut.context.BeanProvider<DryRunCloneGateways> dryRun) {
        if (snapline.dryRun() || queue.localMode()) {
            return dryRun.get().clones();
        }
        return new SdkCloneGateway(clients.clientsFor(AwsAccess.DEFAULT).rds());
    }

    @Singleton
    SecretsGateway secretsGateway(SnaplineProperties snapline, QueueProperties queue, SecretsManagerClient secrets,
                                  io.micronaut.context.BeanProvider<DryRunCloneGateways> dryRun) {
        if (snapline.dryRun() || queue.localMode()) {
            return dryRun.get().secrets();
        }
        return new SdkSecretsGateway(secrets);
    }
}
