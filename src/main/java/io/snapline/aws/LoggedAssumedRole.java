package io.snapline.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An assumed role's credentials that say so once: the first time STS hands them out, one INFO line
 * names the role, whether an external id was sent and until when the credentials hold, so that a
 * cross-account run shows what went right as well as what failed (a failure to assume surfaces as
 * the failing step's ERROR line). Later refreshes are silent.
 */
final class LoggedAssumedRole implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedAssumedRole.class);

    private final AwsCredentialsProvider delegate;
    private final String roleArn;
    private final boolean externalId;
    private final AtomicBoolean told = new AtomicBoolean();

    LoggedAssumedRole(AwsCredentialsProvider delegate, String roleArn, boolean externalId) {
        this.delegate = delegate;
        this.roleArn = roleArn;
        this.externalId = externalId;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        AwsCredentials credentials = delegate.resolveCredentials();
        if (told.compareAndSet(false, true)) {
            Optional<String> until = credentials instanceof AwsSessionCredentials session
                    ? session.expirationTime().map(Object::toString) : Optional.empty();
            LOG.info("assumed role {} ({}external id){}", roleArn, externalId ? "with " : "without ",
                    until.map(t -> "; credentials valid until " + t).orElse(""));
        }
        return credentials;
    }

    @Override
    public void close() {
        if (delegate instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
