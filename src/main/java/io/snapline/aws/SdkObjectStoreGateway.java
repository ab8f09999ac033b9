package io.snapline.aws;

import io.snapline.error.AwsErrorCodes;
import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.gateway.ObjectStoreGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.PutObjectAclRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ObjectStoreGateway} over the S3 client: GetBucketOwnershipControls, ListObjectsV2,
 * PutObjectAcl, DeleteObjects. Errors are read through the S3 table of
 * {@link io.snapline.error.AwsErrorCodes}.
 *
 * <ul>
 *   <li>{@code OwnershipControlsNotFoundError} → no ownership controls (empty); {@code NoSuchBucket}
 *       → {@link io.snapline.error.PermanentProcessingException}.</li>
 *   <li>{@link #checkOwner}: GetBucketOwnershipControls with {@code ExpectedBucketOwner}; S3 answers
 *       403 {@code AccessDenied} when another account owns the bucket (or the caller may not ask).</li>
 *   <li>{@code AccessControlListNotSupported} on PutObjectAcl (the bucket is
 *       {@code BucketOwnerEnforced}: the bucket owner already owns every object) →
 *       {@link AclResult#NOT_SUPPORTED}, which counts as done (AWS-FACTS §5).</li>
 *   <li>DeleteObjects answers 200 with per-key {@code Errors}: they are returned, not thrown; keys
 *       that did not exist are reported deleted by S3.</li>
 * </ul>
 * Listing follows continuation tokens with the SDK paginator, one page (≤ 1,000 keys) in memory.
 */
public final class SdkObjectStoreGateway implements ObjectStoreGateway {

    static final int MAX_DELETE_KEYS = 1000;

    private final S3Client s3;
    private final String expectedOwner;

    public SdkObjectStoreGateway(S3Client s3) {
        this(s3, Optional.empty());
    }

    /** @param expectedOwner the bucket owner's account id, sent as {@code ExpectedBucketOwner} on every request */
    public SdkObjectStoreGateway(S3Client s3, Optional<String> expectedOwner) {
        this.s3 = s3;
        this.expectedOwner = expectedOwner.orElse(null);
    }

    @Override
    public Optional<String> objectOwnership(String bucket) {
        try {
            return s3.getBucketOwnershipControls(getBucketOwnershipControlsRequest(bucket, expectedOwner)).ownershipControls()
                    .rules().stream().findFirst().map(OwnershipControlsRule::objectOwnershipAsString);
        } catch (AwsServiceException e) {
            if (AwsFailures.code(e).equals(AwsErrorCodes.S3_NO_OWNERSHIP_CONTROLS)) {
                return Optional.empty();
            }
            if (AwsFailures.permanent(AwsService.S3, e)) {
                throw AwsFailures.permanent("GetBucketOwnershipControls of bucket " + bucket
                        + (expectedOwner == null ? "" : " (expected owner " + expectedOwner + ")"), e);
            }
            throw e;
        }
    }

    @Override
    public OwnerCheck checkOwner(String bucket, String expectedBucketOwner) {
        try {
            s3.getBucketOwnershipControls(getBucketOwnershipControlsRequest(bucket, expectedBucketOwner));
            return OwnerCheck.OWNED;
        } catch (AwsServiceException e) {
            if (AwsFailures.code(e).equals(AwsErrorCodes.S3_NO_OWNERSHIP_CONTROLS)) {
                // S3 checks ExpectedBucketOwner before it looks for the controls: the owner is right
                return OwnerCheck.OWNED;
            }
            if (AwsFailures.means(AwsService.S3, e, AwsErrorMeaning.NOT_FOUND)) {
                return OwnerCheck.NO_SUCH_BUCKET;
            }
            if (e.statusCode() == 403 && AwsFailures.permanent(AwsService.S3, e)) {
                return OwnerCheck.NOT_OWNED;
            }
            throw e;
        }
    }

    @Override
    public void forEachPage(String bucket, String prefix, Consumer<List<ObjectInfo>> page) {
        s3.listObjectsV2Paginator(listObjectsV2Request(bucket, prefix, null, expectedOwner)).stream()
                .map(r -> r.contents().stream().map(SdkObjectStoreGateway::toInfo).toList())
                .filter(objects -> !objects.isEmpty())
                .forEach(page);
    }

    @Override
    public List<String> childFolders(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(listObjectsV2Request(bucket, prefix, "/", expectedOwner)).stream()
                .flatMap(r -> r.commonPrefixes().stream())
                .map(CommonPrefix::prefix)
                .toList();
    }

    @Override
    public AclResult grantBucketOwnerFullControl(String bucket, String key) {
        try {
            s3.putObjectAcl(putObjectAclRequest(bucket, key, expectedOwner));
            return AclResult.GRANTED;
        } catch (AwsServiceException e) {
            if (AwsFailures.means(AwsService.S3, e, AwsErrorMeaning.ALREADY_EXISTS)) {
                return AclResult.NOT_SUPPORTED;
            }
            throw e;
        }
    }

    @Override
    public DeleteObjectsResult deleteObjects(String bucket, List<String> keys) {
        if (keys.isEmpty()) {
            return new DeleteObjectsResult(List.of(), List.of());
        }
        DeleteObjectsResponse response = s3.deleteObjects(deleteObjectsRequest(bucket, keys, expectedOwner));
        return new DeleteObjectsResult(
                response.deleted().stream().map(d -> d.key()).toList(),
                response.errors().stream().map(e -> new KeyError(e.key(), e.code(), e.message())).toList());
    }

    // ---------------------------------------------------------------- requests

    // expectedOwner may be null: the SDK then leaves ExpectedBucketOwner out

    static GetBucketOwnershipControlsRequest getBucketOwnershipControlsRequest(String bucket, String expectedOwner) {
        return GetBucketOwnershipControlsRequest.builder().bucket(bucket).expectedBucketOwner(expectedOwner).build();
    }

    static ListObjectsV2Request listObjectsV2Request(String bucket, String prefix, String delimiter, String expectedOwner) {
        ListObjectsV2Request.Builder b = ListObjectsV2Request.builder().bucket(bucket).maxKeys(1000)
                .expectedBucketOwner(expectedOwner);
        if (prefix != null && !prefix.isEmpty()) {
            b.prefix(prefix);
        }
        if (delimiter != null) {
            b.delimiter(delimiter);
        }
        return b.build();
    }

    static PutObjectAclRequest putObjectAclRequest(String bucket, String key, String expectedOwner) {
        return PutObjectAclRequest.builder().bucket(bucket).key(key).acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL)
                .expectedBucketOwner(expectedOwner).build();
    }

    static DeleteObjectsRequest deleteObjectsRequest(String bucket, List<String> keys, String expectedOwner) {
        if (keys.size() > MAX_DELETE_KEYS) {
            throw new IllegalArgumentException("DeleteObjects takes at most 1,000 keys, got " + keys.size());
        }
        return DeleteObjectsRequest.builder().bucket(bucket).expectedBucketOwner(expectedOwner)
                .delete(Delete.builder().quiet(false)
                        .objects(keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList())
                        .build())
                .build();
    }

    private static ObjectInfo toInfo(S3Object o) {
        return new ObjectInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified());
    }
}
