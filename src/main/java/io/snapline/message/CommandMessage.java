package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Snapline command message, bare, as an SNS {@code Message} or as the {@code detail} of a custom
 * EventBridge event: {@code command} (required, {@code [a-z][a-z0-9-]*}), {@code dryRun} (optional
 * boolean), {@code requestId} (optional non-blank string); every other top-level string, number or
 * boolean is an argument, as a string. Null values count as absent.
 *
 * <p>The parser knows no command names: {@code prune}, {@code reconcile}, {@code snapshot},
 * {@code clone}… all parse the same way, and the command handler rejects a name it does not know. So a
 * new command needs no change here.
 */
final class CommandMessage {

    private CommandMessage() {
    }

    static boolean recognises(JsonNode o) {
        return o.has("command");
    }

    /**
     * @param o      the object holding {@code command}
     * @param prefix the path of {@code o} in the body, for reasons ({@code ""} or {@code "detail."})
     */
    static SnaplineMessage read(JsonNode o, String prefix) {
        JsonNode c = o.get("command");
        if (!c.isTextual()) {
            return new Malformed("command field '" + prefix + "command' is " + Fields.describe(c) + ", expected a string");
        }
        String name = c.textValue();
        if (name.isBlank()) {
            return new Malformed("command field '" + prefix + "command' is blank");
        }
        if (!isCommandName(name)) {
            return new Malformed("command field '" + prefix + "command' " + Reasons.quote(name)
                    + " is not a command name (lower-case letters, digits and '-', starting with a letter)");
        }
        if (name.length() > MessageParser.MAX_NAME_CHARS) {
            throw Fields.tooLong(name, "command field '" + prefix + "command'");
        }
        boolean dryRun = false;
        String requestId = null;
        Map<String, String> args = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String field = e.getKey();
            JsonNode v = e.getValue();
            if (field.equals("command") || v.isNull()) {
                continue;
            }
            if (field.equals("dryRun")) {
                if (!v.isBoolean()) {
                    return new Malformed("command field '" + prefix + "dryRun' is " + Fields.describe(v)
                            + ", expected true or false");
                }
                dryRun = v.booleanValue();
            } else if (field.equals("requestId")) {
                if (!v.isTextual() || v.textValue().isBlank()) {
                    return new Malformed("command field '" + prefix + "requestId' is " + Fields.describe(v)
                            + ", expected a non-blank string");
                }
                requestId = v.textValue();
                if (requestId.length() > MessageParser.MAX_NAME_CHARS) {
                    throw Fields.tooLong(requestId, "command field '" + prefix + "requestId'");
                }
            } else if (v.isValueNode()) {
                args.put(field, v.asText());
            } else {
                return new Malformed("command field '" + prefix + Reasons.clip(field, 60) + "' is " + Fields.describe(v)
                        + "; command arguments must be strings, numbers or booleans");
            }
        }
        return new Command(name, args, dryRun, Optional.ofNullable(requestId));
    }

    private static boolean isCommandName(String s) {
        char first = s.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
                return false;
            }
        }
        return true;
    }
}
