package io.snapline.aws;

import io.snapline.error.AwsErrorCodes;
import io.snapline.error.AwsErrorMeaning;
import io.snapline.error.AwsService;
import io.snapline.error.PermanentProcessingException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Optional;

/**
 * Reads AWS service errors by their wire code, through the service's table in {@link AwsErrorCodes},
 * and words them for Snapline's exceptions.
 */
final class AwsFailures {

    private AwsFailures() {
    }

    /** The wire error code ({@code awsErrorDetails().errorCode()}), or "" if there is none. */
    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    /** What the error means by the service's table; empty for a code the table does not know. */
    static Optional<AwsErrorMeaning> meaning(AwsService service, AwsServiceException e) {
        return AwsErrorCodes.meaning(service, code(e));
    }

    /** True when the service's table gives the error this meaning. */
    static boolean means(AwsService service, AwsServiceException e, AwsErrorMeaning meaning) {
        return meaning(service, e).filter(meaning::equals).isPresent();
    }

    /** True when the service's table calls the error permanent (bad input or configuration, not found, already exists). */
    static boolean permanent(AwsService service, AwsServiceException e) {
        return !e.isThrottlingException() && meaning(service, e).map(AwsErrorMeaning::permanent).orElse(false);
    }

    /** "{@code <code>: <message> (AWS request id <id>)}". */
    static String describe(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return code(e) + ": " + message + " (AWS request id " + e.requestId() + ")";
    }

    static PermanentProcessingException permanent(String what, AwsServiceException e) {
        return new PermanentProcessingException(what + " failed, and retrying cannot help: " + describe(e), e);
    }
}
