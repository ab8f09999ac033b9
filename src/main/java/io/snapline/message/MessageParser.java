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
                java.util.Map<String, String> args = new java.util.HashMap<>();
                node.fields().forEachRemaining(e -> {
                    if (e.getValue().isValueNode() && !java.util.Set.of("command", "dryRun", "requestId").contains(e.getKey())) {
                        args.put(e.getKey(), e.getValue().asText());
                    }
                });
                return new Command(node.get("command").asText(), args,
                        node.path("dryRun").asBoolean(false), java.util.Optional.ofNullable(node.get("requestId")).map(n -> n.asText()));
            }
            return new Ignored("unrecognised", "not a command");
        } catch (Exception e) {
            return new Malformed("not JSON: " + e.getMessage());
        }
    }
}
