package io.snapline.error;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides whether a failure is retryable or permanent. It walks the cause
 * chain: Snapline's own exception roots decide first; then AWS errors: throttling, 5xx, timeouts
 * and I/O are retryable; the 4xx codes that mean bad input or missing configuration are permanent;
 * anything unknown is retryable, bounded by the queue's redrive policy.
 */
public final class FailureClassifier {

    /** AWS error codes that retrying cannot fix (bad input, missing subject or configuration). */
    private static final Set<String> PERMANENT_CODES = Set.of(
            "InvalidParameterValue", "InvalidParameterCombination", "ValidationException",
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "InvalidExportOnly", "InvalidS3BucketFault", "IamRoleNotFound", "IamRoleMissingPermissions",
            "KMSKeyNotAccessibleFault", "DBSnapshotNotFound", "DBClusterSnapshotNotFoundFault",
            "DBClusterNotFoundFault", "NoSuchBucket", "EntityNotFoundException", "NotFound",
            "InvalidClientTokenId", "MalformedPolicyDocument");

    private FailureClassifier() {
    }

    /** The verdict on one failure. */
    public record Failure(boolean permanent, String reason, Optional<String> awsErrorCode,
                          Optional<String> awsRequestId, Throwable cause) {
    }

    public static Failure classify(Throwable error) {
        Optional<String> code = Optional.empty();
        Optional<String> requestId = Optional.empty();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkServiceException service && requestId.isEmpty()) {
                requestId = Optional.ofNullable(service.requestId());
                if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                    code = Optional.ofNullable(aws.awsErrorDetails().errorCode());
                }
            }
        }
        String reason = describe(error);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentProcessingException) {
                return new Failure(true, reason, code, requestId, error);
            }
            if (t instanceof RetryableProcessingException) {
                return new Failure(false, reason, code, requestId, error);
            }
            if (t instanceof SdkServiceException service) {
                boolean permanent = !service.isThrottlingException()
                        && service.statusCode() >= 400 && service.statusCode() < 500
                        && code.map(PERMANENT_CODES::contains).orElse(false);
                return new Failure(permanent, reason, code, requestId, error);
            }
            if (t instanceof SdkClientException || t instanceof IOException || t instanceof UncheckedIOException) {
                return new Failure(false, reason, code, requestId, error);
            }
        }
        return new Failure(false, reason, code, requestId, error);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        String text = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }
}
