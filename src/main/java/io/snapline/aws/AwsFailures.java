package io.snapline.aws;

import io.snapline.error.PermanentProcessingException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Reads AWS service errors by their wire code and words them for Snapline's exceptions. */
final class AwsFailures {

    private AwsFailures() {
    }

    /** The wire error code ({@code awsErrorDetails().errorCode()}), or "" if there is none. */
    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
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
