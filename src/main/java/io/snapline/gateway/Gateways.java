package io.snapline.gateway;

import java.util.Optional;

/**
 * Hands out the gateways for an account. The SDK implementation caches one client set per
 * {@link AwsAccess}; in dry-run mode every gateway is wrapped so that it logs the exact request it
 * would make and changes nothing.
 */
public interface Gateways {

    ExportGateway exports(AwsAccess access);

    SnapshotGateway snapshots(AwsAccess access);

    /** The service's own region: where its sources and snapshots are, and where its other gateways act. */
    String region();

    /** Snapshots of another region than the service's (a copy policy's destination retention). */
    SnapshotGateway snapshotsIn(AwsAccess access, String region);

    /** Cross-region copies into {@code region}, and describing that region's snapshots. */
    SnapshotCopyGateway snapshotCopies(AwsAccess access, String region);

    /** Creating snapshots of DB instances and clusters (scheduled snapshots), and describing those sources. */
    SnapshotCreationGateway snapshotCreation(AwsAccess access);

    /** The object store, with no bucket-owner check. */
    default ObjectStoreGateway objects(AwsAccess access) {
        return objects(access, Optional.empty());
    }

    /**
     * The object store for buckets that must belong to {@code expectedBucketOwner} (a 12-digit
     * account id): every S3 request then carries {@code ExpectedBucketOwner}, and S3 refuses (403
     * AccessDenied, a permanent failure) to touch a bucket that another account owns, e.g. one
     * deleted and re-created by someone else under the same name.
     */
    ObjectStoreGateway objects(AwsAccess access, Optional<String> expectedBucketOwner);

    BatchOperationsGateway batchOperations(AwsAccess access);

    CrawlerGateway crawlers(AwsAccess access);

    NotificationGateway notifications();

    /** True when every gateway only logs the exact request it would send that changes something (a dry run). */
    default boolean dryRun() {
        return false;
    }
}
