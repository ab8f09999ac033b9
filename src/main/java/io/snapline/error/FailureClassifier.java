package io.snapline.error;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The one place that decides whether a failure is retryable or permanent. It walks the cause
 * chain: Snapline's own exception roots decide first; then AWS errors, generically: throttling,
 * 5xx, timeouts and I/O are retryable; a 4xx whose code the service's table in {@link AwsErrorCodes}
 * calls permanent (bad input or configuration, a missing subject, "already exists") is permanent;
 * anything else is retryable, bounded by the queue's redrive policy. It keeps no list of codes of
 * its own.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /**
     * The verdict on one failure.
     *
     * @param awsTransient true when the failure is AWS's side and passing: throttling, a 5xx, a dropped
     *                     connection, a timeout or an unreadable answer (an error status whose body carries
     *                     no error code, as when the connection dropped mid-answer; also when Snapline wrapped it as
     *                     retryable). Such a message is not poison: however often it meets it, it is worth
     *                     trying again later. Never true of a permanent failure.
     */
    public record Failure(boolean permanent, String reason, Optional<String> awsErrorCode,
                          Optional<String> awsRequestId, Throwable cause, boolean awsTransient) {
    }

    /**
     * One walk of the cause chain. The first of Snapline's roots (permanent, retryable) or an AWS or I/O
     * error decides permanent or not; the first AWS or I/O error (or a permanent root before it) decides
     * whether it is AWS's passing trouble, so a retryable of Snapline's wrapping a throttling answer is.
     */
    public static Failure classify(Throwable error) {
        Optional<String> code = Optional.empty();
        Optional<String> requestId = Optional.empty();
        Boolean permanent = null;
        Boolean awsSide = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentProcessingException) {
                permanent = permanent == null ? Boolean.TRUE : permanent;
                awsSide = awsSide == null ? Boolean.FALSE : awsSide;
            } else if (t instanceof RetryableProcessingException) {
                permanent = permanent == null ? Boolean.FALSE : permanent;
            } else if (t instanceof SdkServiceException service) {
                if (requestId.isEmpty()) {
                    requestId = Optional.ofNullable(service.requestId());
                    if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                        code = Optional.ofNullable(aws.awsErrorDetails().errorCode());
                    }
                }
                permanent = permanent == null ? permanent(service) : permanent;
                awsSide = awsSide == null ? service.isThrottlingException() || service.statusCode() >= 500
                        || unreadable(service) : awsSide;
            } else if (t instanceof SdkClientException || t instanceof IOException || t instanceof UncheckedIOException) {
                permanent = permanent == null ? Boolean.FALSE : permanent;
                awsSide = awsSide == null ? Boolean.TRUE : awsSide;
            }
        }
        boolean isPermanent = Boolean.TRUE.equals(permanent);
        return new Failure(isPermanent, describe(error), code, requestId, error,
                !isPermanent && Boolean.TRUE.equals(awsSide));
    }

    /**
     * An AWS error answer the SDK could not read an error code from: a body cut off by a dropped
     * connection, or not the service's error format at all (a proxy's page). Nothing says the call was
     * wrong, only that the answer did not arrive whole.
     */
    private static boolean unreadable(SdkServiceException service) {
        return !(service instanceof AwsServiceException aws) || aws.awsErrorDetails() == null
                || aws.awsErrorDetails().errorCode() == null || aws.awsErrorDetails().errorCode().isBlank();
    }

    /** A 4xx that is not throttling and whose code its service's table calls permanent. */
    private static boolean permanent(SdkServiceException service) {
        if (service.isThrottlingException() || service.statusCode() < 400 || service.statusCode() >= 500) {
            return false;
        }
        return meaning(service).map(AwsErrorMeaning::permanent).orElse(false);
    }

    /** The meaning of an AWS error by its service's table (or, the service unknown, every table that agrees). */
    public static Optional<AwsErrorMeaning> meaning(SdkServiceException service) {
        if (!(service instanceof AwsServiceException aws) || aws.awsErrorDetails() == null
                || aws.awsErrorDetails().errorCode() == null) {
            return Optional.empty();
        }
        String code = aws.awsErrorDetails().errorCode();
        Optional<AwsService> of = AwsService.ofSdkName(aws.awsErrorDetails().serviceName());
        return of.isPresent() ? AwsErrorCodes.meaning(of.get(), code) : AwsErrorCodes.meaningInAnyService(code);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        String text = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }
}
