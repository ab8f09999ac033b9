package io.snapline.gateway;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** S3 (GetBucketOwnershipControls, ListObjectsV2, PutObjectAcl, DeleteObjects). */
public interface ObjectStoreGateway {

    /**
     * The bucket's Object Ownership ({@code BucketOwnerEnforced}, {@code BucketOwnerPreferred},
     * {@code ObjectWriter}); empty when the bucket has no ownership controls (ACLs apply).
     */
    Optional<String> objectOwnership(String bucket);

    /** Every object under the prefix, one page (≤1,000 keys) at a time, following continuation tokens. */
    void forEachPage(String bucket, String prefix, Consumer<List<ObjectInfo>> page);

    /** The folders directly below the prefix (delimiter {@code /}), all pages. */
    List<String> childFolders(String bucket, String prefix);

    /**
     * PutObjectAcl with {@code bucket-owner-full-control}. {@code AccessControlListNotSupported}
     * (the bucket enforces bucket-owner ownership) answers {@link AclResult#NOT_SUPPORTED}, which
     * counts as done.
     */
    AclResult grantBucketOwnerFullControl(String bucket, String key);

    /** DeleteObjects for at most 1,000 keys; per-key errors are returned, not thrown. */
    DeleteObjectsResult deleteObjects(String bucket, List<String> keys);

    enum AclResult { GRANTED, NOT_SUPPORTED }

    record ObjectInfo(String key, long size, java.time.Instant lastModified) {
    }

    record DeleteObjectsResult(List<String> deleted, List<KeyError> errors) {
        public DeleteObjectsResult {
            deleted = List.copyOf(deleted);
            errors = List.copyOf(errors);
        }
    }

    record KeyError(String key, String code, String message) {
    }
}
