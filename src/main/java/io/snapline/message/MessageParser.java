package io.snapline.message;

import jakarta.inject.Singleton;

/** Placeholder until the full parser lands: recognises only Snapline commands. */
@Singleton
public class MessageParser {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public SnaplineMessage parse(String body) {
        try {
            var node = JSON.readTree(body);
            if (node != null && node.hasNonNull("command")) {
                return new Command(node.get("command").asText(), java.util.Map.of(),
                        node.path("dryRun").asBoolean(false), java.util.Optional.ofNullable(node.get("requestId")).map(n -> n.asText()));
            }
            return new Ignored("unrecognised", "not a command");
        } catch (Exception e) {
            return new Malformed("not JSON: " + e.getMessage());
        }
    }
}
