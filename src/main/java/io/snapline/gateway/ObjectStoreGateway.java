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

    /**
     * Whether the bucket belongs to {@code expectedBucketOwner} (a 12-digit account id), asked with a
     * bucket call that carries {@code ExpectedBucketOwner} before anything is written to it. S3 answers
     * "access denied" both when another account owns the bucket and when the caller may not ask
     * ({@link OwnerCheck#NOT_OWNED}).
     */
    OwnerCheck checkOwner(String bucket, String expectedBucketOwner);

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

    /** The answer of {@link #checkOwner}. */
    enum OwnerCheck { OWNED, NOT_OWNED, NO_SUCH_BUCKET }

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
