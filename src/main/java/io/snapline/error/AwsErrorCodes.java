package io.snapline.error;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.snapline.error.AwsErrorMeaning.ALREADY_EXISTS;
import static io.snapline.error.AwsErrorMeaning.NOT_FOUND;
import static io.snapline.error.AwsErrorMeaning.NOT_READY;
import static io.snapline.error.AwsErrorMeaning.PERMANENT;
import static io.snapline.error.AwsErrorMeaning.RETRYABLE;

/**
 * One table of AWS error codes per service: the wire code ({@code awsErrorDetails().errorCode()})
 * and what it means to Snapline. It is pure data, read by the {@code aws} gateways (to turn an
 * answer into a Snapline result: adopt, empty, re-check, refuse) and by {@link FailureClassifier}
 * (to decide retry or give up for an error nothing handled). Nothing else keeps a list of codes.
 *
 * <p>Where AWS and emulators spell a code differently, both are listed: the botocore models give
 * RDS and SNS errors a shape name ({@code InvalidExportSourceStateFault}) that differs from the wire
 * code ({@code InvalidExportSourceState}), and emulators answer the shape name (AWS-FACTS §3).
 * Every entry says where it comes from ({@link Origin}); {@code AwsErrorCodesModelTest} checks each
 * one against the service's botocore model, so a misspelt code cannot hide in a table.
 *
 * <p>Throttling, 5xx, timeouts and I/O errors need no entry: the classifier knows them generically.
 */
public final class AwsErrorCodes {

    /** Where an entry's code comes from, as the model test checks it. */
    public enum Origin {
        /** The wire code of an error shape in the service's botocore model. */
        MODEL,
        /** The name of an error shape whose wire code differs: what emulators answer. */
        SHAPE_NAME,
        /** One of AWS's common errors, which every API can answer and no model lists. */
        COMMON,
        /** Not an error shape, but documented: in the model's own text, AWS-FACTS or the service docs named in {@code source}. */
        DOCUMENTED,
        /** Not documented by AWS: a likely spelling, handled because the real one is unknown (AWS-FACTS marks it UNVERIFIED). */
        UNVERIFIED
    }

    /**
     * One code of one service.
     *
     * @param source where a {@link Origin#DOCUMENTED} or {@link Origin#UNVERIFIED} code is described (a page, a
     *               section of AWS-FACTS); empty for the others
     */
    public record Entry(AwsService service, String code, AwsErrorMeaning meaning, Origin origin, String source) {
    }

    /**
     * GetBucketOwnershipControls' "the bucket has no ownership controls": a NOT_FOUND of the controls,
     * not of the bucket, which the gateway must tell apart from {@code NoSuchBucket}.
     */
    public static final String S3_NO_OWNERSHIP_CONTROLS = "OwnershipControlsNotFoundError";

    private static final String RDS_COMMON = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html";
    private static final Map<AwsService, Map<String, Entry>> TABLES = new EnumMap<>(AwsService.class);

    static {
        table(AwsService.RDS,
                // StartExportTask / DescribeExportTasks (AWS-FACTS §3)
                model("ExportTaskAlreadyExists", ALREADY_EXISTS), shape("ExportTaskAlreadyExistsFault", ALREADY_EXISTS),
                model("ExportTaskNotFound", NOT_FOUND), shape("ExportTaskNotFoundFault", NOT_FOUND),
                model("InvalidExportSourceState", NOT_READY), shape("InvalidExportSourceStateFault", NOT_READY),
                model("InvalidExportOnly", PERMANENT), shape("InvalidExportOnlyFault", PERMANENT),
                model("InvalidS3BucketFault", PERMANENT),
                model("IamRoleMissingPermissions", PERMANENT), shape("IamRoleMissingPermissionsFault", PERMANENT),
                model("IamRoleNotFound", PERMANENT), shape("IamRoleNotFoundFault", PERMANENT),
                model("KMSKeyNotAccessibleFault", PERMANENT),
                model("InvalidExportTaskStateFault", PERMANENT),
                // the concurrent-export limit: AWS documents the limit (5) but not its code
                unverified("ExportTaskLimitReached", NOT_READY), unverified("ExportTaskLimitReachedFault", NOT_READY),
                unverified("ExportTaskLimitExceeded", NOT_READY), unverified("ExportTaskLimitExceededFault", NOT_READY),
                unverified("LimitExceeded", NOT_READY), unverified("LimitExceededException", NOT_READY),
                unverified("QuotaExceeded", NOT_READY), unverified("QuotaExceededException", NOT_READY),
                unverified("SnapshotExportQuotaExceeded", NOT_READY),
                // snapshots and their sources (AWS-FACTS §4)
                model("DBSnapshotNotFound", NOT_FOUND), shape("DBSnapshotNotFoundFault", NOT_FOUND),
                model("DBClusterSnapshotNotFoundFault", NOT_FOUND),
                model("DBClusterNotFoundFault", NOT_FOUND),
                model("DBInstanceNotFound", NOT_FOUND), shape("DBInstanceNotFoundFault", NOT_FOUND),
                model("InvalidDBSnapshotState", NOT_READY), shape("InvalidDBSnapshotStateFault", NOT_READY),
                model("InvalidDBClusterSnapshotStateFault", NOT_READY),
                model("DBSnapshotAlreadyExists", ALREADY_EXISTS), shape("DBSnapshotAlreadyExistsFault", ALREADY_EXISTS),
                model("DBClusterSnapshotAlreadyExistsFault", ALREADY_EXISTS),
                // CreateDB[Cluster]Snapshot: a busy source (backing up, modifying, stopping) is tried again later;
                // the manual-snapshot quota (100 a region) needs a person (AWS-FACTS §4)
                model("InvalidDBInstanceState", NOT_READY), shape("InvalidDBInstanceStateFault", NOT_READY),
                model("InvalidDBClusterStateFault", NOT_READY),
                model("SnapshotQuotaExceeded", PERMANENT), shape("SnapshotQuotaExceededFault", PERMANENT),
                // CopyDB[Cluster]Snapshot (AWS-FACTS §4): a missing option group or custom AZ needs a person.
                // SnapshotQuotaExceeded above is also the in-progress copy limit per destination region; the copy
                // gateway tells the two apart by the message (the limit is re-checked, the quota is permanent)
                model("CustomAvailabilityZoneNotFound", PERMANENT), shape("CustomAvailabilityZoneNotFoundFault", PERMANENT),
                model("OptionGroupNotFoundFault", PERMANENT),
                // clones: restores, instances, modifications, deletions (AWS-FACTS §9)
                // (InvalidDBInstanceState / InvalidDBClusterStateFault above: a busy source or clone, re-checked)
                model("DBClusterAlreadyExistsFault", ALREADY_EXISTS),
                model("DBInstanceAlreadyExists", ALREADY_EXISTS), shape("DBInstanceAlreadyExistsFault", ALREADY_EXISTS),
                model("InsufficientDBInstanceCapacity", NOT_READY), shape("InsufficientDBInstanceCapacityFault", NOT_READY),
                model("InsufficientDBClusterCapacityFault", NOT_READY),
                model("DBClusterQuotaExceededFault", PERMANENT),
                model("InstanceQuotaExceeded", PERMANENT), shape("InstanceQuotaExceededFault", PERMANENT),
                model("StorageQuotaExceeded", PERMANENT), shape("StorageQuotaExceededFault", PERMANENT),
                model("DBSubnetGroupNotFoundFault", PERMANENT),
                model("DBSubnetGroupDoesNotCoverEnoughAZs", PERMANENT),
                model("DBClusterParameterGroupNotFound", PERMANENT), shape("DBClusterParameterGroupNotFoundFault", PERMANENT),
                model("DBParameterGroupNotFound", PERMANENT), shape("DBParameterGroupNotFoundFault", PERMANENT),
                model("InvalidRestoreFault", PERMANENT),
                model("InvalidVPCNetworkStateFault", PERMANENT),
                model("InvalidSubnet", PERMANENT),
                model("StorageTypeNotSupported", PERMANENT), shape("StorageTypeNotSupportedFault", PERMANENT),
                // bad input, on any RDS call
                common("InvalidParameterValue", PERMANENT, RDS_COMMON), common("InvalidParameterCombination", PERMANENT, RDS_COMMON),
                common("MissingParameter", PERMANENT, RDS_COMMON));

        table(AwsService.S3,
                model("NoSuchBucket", NOT_FOUND),
                model("NoSuchKey", NOT_FOUND),
                // a bucket of another owner than ExpectedBucketOwner, or a missing permission
                model("AccessDenied", PERMANENT),
                model("InvalidRequest", PERMANENT),
                // PutObjectAcl on a BucketOwnerEnforced bucket: the owner owns every object already (AWS-FACTS §5)
                documented("AccessControlListNotSupported", ALREADY_EXISTS, "s3 model text; AWS-FACTS §5"),
                documented(S3_NO_OWNERSHIP_CONTROLS, NOT_FOUND,
                        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html"),
                documented("SlowDown", RETRYABLE, "AWS-FACTS §8 (throttling)"));

        table(AwsService.S3_CONTROL,
                model("IdempotencyException", PERMANENT),
                model("BadRequestException", PERMANENT),
                model("InvalidRequestException", PERMANENT),
                model("NotFoundException", NOT_FOUND),
                model("JobStatusException", PERMANENT),
                model("TooManyRequestsException", RETRYABLE),
                model("InternalServiceException", RETRYABLE),
                documented("AccessDenied", PERMANENT, "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"),
                documented("InvalidRequest", PERMANENT, "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"));

        table(AwsService.GLUE,
                model("EntityNotFoundException", NOT_FOUND),
                // StartCrawler on a running crawler: the caller decides whether to start again later (AWS-FACTS §6)
                model("CrawlerRunningException", NOT_READY),
                model("CrawlerStoppingException", NOT_READY),
                model("OperationTimeoutException", RETRYABLE),
                model("ThrottlingException", RETRYABLE),
                model("InternalServiceException", RETRYABLE),
                model("AccessDeniedException", PERMANENT),
                model("InvalidInputException", PERMANENT),
                model("ValidationException", PERMANENT));

        table(AwsService.SNS,
                model("NotFound", NOT_FOUND), shape("NotFoundException", NOT_FOUND),
                model("AuthorizationError", PERMANENT), shape("AuthorizationErrorException", PERMANENT),
                model("InvalidParameter", PERMANENT), shape("InvalidParameterException", PERMANENT),
                model("ParameterValueInvalid", PERMANENT), shape("InvalidParameterValueException", PERMANENT),
                model("InvalidSecurity", PERMANENT),
                model("KMSAccessDenied", PERMANENT), model("KMSDisabled", PERMANENT),
                model("KMSInvalidState", PERMANENT), model("KMSNotFound", PERMANENT),
                model("KMSOptInRequired", PERMANENT),
                model("KMSThrottling", RETRYABLE),
                model("Throttled", RETRYABLE), shape("ThrottledException", RETRYABLE),
                model("InternalError", RETRYABLE));

        table(AwsService.STS,
                model("MalformedPolicyDocument", PERMANENT),
                model("PackedPolicyTooLarge", PERMANENT),
                model("RegionDisabledException", PERMANENT),
                model("ExpiredTokenException", RETRYABLE),
                documented("AccessDenied", PERMANENT,
                        "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (not authorized to assume the role)"),
                common("InvalidClientTokenId", PERMANENT, "https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"));

        table(AwsService.SECRETS_MANAGER,
                // GetSecretValue (the clone's master credentials); Secrets Manager answers 400 for all of these
                model("ResourceNotFoundException", NOT_FOUND),
                model("InvalidParameterException", PERMANENT),
                model("InvalidRequestException", PERMANENT),
                model("DecryptionFailure", PERMANENT),
                model("InternalServiceError", RETRYABLE),
                common("AccessDeniedException", PERMANENT,
                        "https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html"));

        table(AwsService.SQS,
                model("QueueDoesNotExist", NOT_FOUND),
                documented("AWS.SimpleQueueService.NonExistentQueue", NOT_FOUND,
                        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html (query-compatible code)"),
                model("InvalidMessageContents", PERMANENT),
                model("InvalidAttributeValue", PERMANENT),
                model("UnsupportedOperation", PERMANENT),
                model("KmsAccessDenied", PERMANENT),
                model("OverLimit", NOT_READY),
                model("RequestThrottled", RETRYABLE));

        table(AwsService.DYNAMODB,
                model("ResourceNotFoundException", NOT_FOUND),
                model("ConditionalCheckFailedException", ALREADY_EXISTS),
                model("ProvisionedThroughputExceededException", RETRYABLE),
                model("RequestLimitExceeded", RETRYABLE),
                model("ThrottlingException", RETRYABLE),
                model("InternalServerError", RETRYABLE),
                documented("ValidationException", PERMANENT,
                        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html"));
    }

    private AwsErrorCodes() {
    }

    /** What a service's wire code means, if the table has it. */
    public static Optional<AwsErrorMeaning> meaning(AwsService service, String code) {
        return entry(service, code).map(Entry::meaning);
    }

    /** The entry of a service's wire code, if the table has it. */
    public static Optional<Entry> entry(AwsService service, String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(TABLES.get(service).get(code));
    }

    /**
     * What a code means when the service is not known: the meaning every table that lists it agrees
     * on, else empty (a code two services read differently means nothing without the service).
     */
    public static Optional<AwsErrorMeaning> meaningInAnyService(String code) {
        List<AwsErrorMeaning> found = TABLES.values().stream().map(t -> t.get(code)).filter(e -> e != null)
                .map(Entry::meaning).distinct().toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Every entry of a service's table, in table order. */
    public static List<Entry> table(AwsService service) {
        return List.copyOf(TABLES.get(service).values());
    }

    private static void table(AwsService service, Partial... entries) {
        Map<String, Entry> t = new LinkedHashMap<>();
        for (Partial p : entries) {
            Entry e = new Entry(service, p.code, p.meaning, p.origin, p.source);
            if (t.put(p.code, e) != null) {
                throw new IllegalStateException("AWS error table of " + service + " lists " + p.code + " twice");
            }
        }
        TABLES.put(service, Collections.unmodifiableMap(t));
    }

    private record Partial(String code, AwsErrorMeaning meaning, Origin origin, String source) {
    }

    private static Partial model(String code, AwsErrorMeaning meaning) {
        return new Partial(code, meaning, Origin.MODEL, "");
    }

    private static Partial shape(String code, AwsErrorMeaning meaning) {
        return new Partial(code, meaning, Origin.SHAPE_NAME, "");
    }

    private static Partial common(String code, AwsErrorMeaning meaning, String source) {
        return new Partial(code, meaning, Origin.COMMON, source);
    }

    private static Partial documented(String code, AwsErrorMeaning meaning, String source) {
        return new Partial(code, meaning, Origin.DOCUMENTED, source);
    }

    private static Partial unverified(String code, AwsErrorMeaning meaning) {
        return new Partial(code, meaning, Origin.UNVERIFIED, "AWS-FACTS §3: the over-limit error code is UNVERIFIED");
    }
}
