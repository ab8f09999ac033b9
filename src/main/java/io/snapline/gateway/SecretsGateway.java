package io.snapline.gateway;

/**
 * Secrets Manager: the database credentials a clone is masked with (GetSecretValue of an RDS-managed
 * master secret, whose {@code SecretString} is {@code {"username": …, "password": …}}, or of a secret
 * a clone policy names with the same two keys).
 */
public interface SecretsGateway {

    /**
     * The credentials in the secret's current version.
     *
     * @param secretId the secret's ARN or name
     * @throws io.snapline.error.PermanentProcessingException when the secret does not exist, cannot be read,
     *         or holds no {@code username} and {@code password}
     */
    DbCredentials credentials(String secretId);

    /** A user and password; {@link #toString()} never shows the password. */
    record DbCredentials(String username, String password) {
        @Override
        public String toString() {
            return "DbCredentials[username=" + username + ", password=***]";
        }
    }
}
