package io.snapline.fake;

/**
 * An AWS error the fake answers with: the wire {@code code}, the HTTP status and a message. Each
 * protocol renders it in its own format (query {@code ErrorResponse}, S3 {@code Error}, Glue
 * {@code __type}, S3 Control {@code ErrorResponse}).
 */
public final class FakeAwsError extends RuntimeException {

    private final String code;
    private final int status;

    public FakeAwsError(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
