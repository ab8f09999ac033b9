package io.snapline.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.error.AwsService;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.SecretsGateway;
import io.snapline.message.SafeText;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

import java.io.IOException;

/**
 * {@link SecretsGateway} over the Secrets Manager client: GetSecretValue of the current version, its
 * {@code SecretString} read as {@code {"username": …, "password": …}} (the shape of an RDS-managed
 * master secret). The secret's value never reaches a log line or an exception message.
 */
public final class SdkSecretsGateway implements SecretsGateway {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient secretsManager;

    public SdkSecretsGateway(SecretsManagerClient secrets) {
        this.secretsManager = secrets;
    }

    @Override
    public DbCredentials credentials(String secretId) {
        String text;
        try {
            text = secretsManager.getSecretValue(getSecretValueRequest(secretId)).secretString();
        } catch (AwsServiceException e) {
            if (AwsFailures.permanent(AwsService.SECRETS_MANAGER, e)) {
                throw AwsFailures.permanent("GetSecretValue of " + SafeText.of(secretId, 300), e);
            }
            throw e;
        }
        return parse(secretId, text);
    }

    static DbCredentials parse(String secretId, String text) {
        String where = "secret " + SafeText.of(secretId, 300);
        if (text == null) {
            throw new PermanentProcessingException(where + " has no SecretString; it must hold {\"username\": …,"
                    + " \"password\": …}");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new PermanentProcessingException(where + " is not JSON; it must hold {\"username\": …, \"password\": …}");
        }
        JsonNode user = node == null ? null : node.get("username");
        JsonNode password = node == null ? null : node.get("password");
        if (user == null || !user.isTextual() || user.textValue().isEmpty() || password == null || !password.isTextual()) {
            throw new PermanentProcessingException(where + " holds no username and password strings");
        }
        return new DbCredentials(user.textValue(), password.textValue());
    }

    static GetSecretValueRequest getSecretValueRequest(String secretId) {
        return GetSecretValueRequest.builder().secretId(secretId).build();
    }
}
