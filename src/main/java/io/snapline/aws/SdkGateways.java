package io.snapline.aws;

import java.util.Optional;

import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.NotificationGateway;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.SnapshotCopyGateway;
import io.snapline.gateway.SnapshotCreationGateway;
import io.snapline.gateway.SnapshotGateway;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real {@link Gateways}: SDK adapters over the clients {@link AwsClientFactory#clientsFor} hands
 * out for an {@link AwsAccess} (the service's own credentials, or an assumed role), created once per
 * access and cached. Notifications always use the service's own {@code SnsClient} bean.
 */
public final class SdkGateways implements Gateways {

    private record ForAccess(ExportGateway exports, SnapshotGateway snapshots, ObjectStoreGateway objects,
                             BatchOperationsGateway batchOperations, CrawlerGateway crawlers,
                             SnapshotCreationGateway snapshotCreation) {
    }

    private final AwsClientFactory clients;
    private final NotificationGateway notifications;
    private final Map<AwsAccess, ForAccess> perAccess = new ConcurrentHashMap<>();

    public SdkGateways(AwsClientFactory clients, SnsClient sns) {
        this.clients = clients;
        this.notifications = new SdkNotificationGateway(sns);
    }

    private ForAccess forAccess(AwsAccess access) {
        return perAccess.computeIfAbsent(access, a -> {
            AwsClients c = clients.clientsFor(a);
            return new ForAccess(new SdkExportGateway(c.rds()), new SdkSnapshotGateway(c.rds()),
                    new SdkObjectStoreGateway(c.s3()), new SdkBatchOperationsGateway(c.s3Control()),
                    new SdkCrawlerGateway(c.glue()), new SdkSnapshotCreationGateway(c.rds()));
        });
    }

    @Override
    public String region() {
        return clients.region().id();
    }

    @Override
    public SnapshotGateway snapshotsIn(AwsAccess access, String region) {
        if (region.equals(region())) {
            return snapshots(access);
        }
        return new SdkSnapshotGateway(clients.rdsIn(access, Region.of(region)));
    }

    @Override
    public SnapshotCopyGateway snapshotCopies(AwsAccess access, String region) {
        return new SdkSnapshotCopyGateway(clients.rdsIn(access, Region.of(region)), region);
    }

    @Override
    public ExportGateway exports(AwsAccess access) {
        return forAccess(access).exports();
    }

    @Override
    public SnapshotGateway snapshots(AwsAccess access) {
        return forAccess(access).snapshots();
    }

    @Override
    public SnapshotCreationGateway snapshotCreation(AwsAccess access) {
        return forAccess(access).snapshotCreation();
    }

    @Override
    public ObjectStoreGateway objects(AwsAccess access, Optional<String> expectedBucketOwner) {
        return expectedBucketOwner.isEmpty() ? forAccess(access).objects()
                : new SdkObjectStoreGateway(clients.clientsFor(access).s3(), expectedBucketOwner);
    }

    @Override
    public BatchOperationsGateway batchOperations(AwsAccess access) {
        return forAccess(access).batchOperations();
    }

    @Override
    public CrawlerGateway crawlers(AwsAccess access) {
        return forAccess(access).crawlers();
    }

    @Override
    public NotificationGateway notifications() {
        return notifications;
    }
}
