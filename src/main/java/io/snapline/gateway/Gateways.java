package io.snapline.gateway;

/**
 * Hands out the gateways for an account. The SDK implementation caches one client set per
 * {@link AwsAccess}; in dry-run mode every gateway is wrapped so that it logs the exact request it
 * would make and changes nothing.
 */
public interface Gateways {

    ExportGateway exports(AwsAccess access);

    SnapshotGateway snapshots(AwsAccess access);

    ObjectStoreGateway objects(AwsAccess access);

    BatchOperationsGateway batchOperations(AwsAccess access);

    CrawlerGateway crawlers(AwsAccess access);

    NotificationGateway notifications();
}
