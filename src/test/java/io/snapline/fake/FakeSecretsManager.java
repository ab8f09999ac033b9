package io.snapline.fake;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fake Secrets Manager (JSON 1.1, {@code X-Amz-Target: secretsmanager.GetSecretValue}): secrets by ARN
 * (or name), each a {@code {"username": …, "password": …}} string; unknown → 400
 * {@code ResourceNotFoundException}.
 */
public final class FakeSecretsManager {

    private final Map<String, String> secrets = new LinkedHashMap<>();

    /** Stores a secret holding a database user and password. */
    public synchronized void put(String arnOrName, String user, String password) {
        try {
            secrets.put(arnOrName, FakeAws.JSON.writeValueAsString(Map.of("username", user, "password", password)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a secret string as it is. */
    public synchronized void putString(String arnOrName, String secretString) {
        secrets.put(arnOrName, secretString);
    }

    synchronized Map<String, Object> handle(String op, Map<String, Object> body) {
        if (!op.equals("GetSecretValue")) {
            throw new FakeAwsError("InvalidRequestException", 400, "The fake Secrets Manager does not implement " + op);
        }
        Object id = body.get("SecretId");
        String value = id == null ? null : secrets.get(id.toString());
        if (value == null) {
            throw new FakeAwsError("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ARN", id.toString());
        out.put("Name", id.toString());
        out.put("VersionId", "v1");
        out.put("SecretString", value);
        out.put("VersionStages", java.util.List.of("AWSCURRENT"));
        out.put("CreatedDate", 1.7E9);
        return out;
    }
}
