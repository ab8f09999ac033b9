package io.snapline.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Test support: puts hostile text into one field of a JSON body, field names included, and also
 * inside JSON carried as a string (an SNS {@code Message}), then writes the body back, either with
 * the hostile characters raw or as JSON {@code \\uXXXX} escapes. A "slot" is one field name or one
 * string value, counted depth-first; a string that holds a JSON object is a slot itself (replaced
 * whole) and its own fields are slots too.
 */
final class HostileJson {

    /** How hostile characters reach the body. */
    enum Encoding {
        /** As the characters themselves (a lone surrogate is a lone UTF-16 char of the body). */
        RAW,
        /** As JSON escapes ({@code "\\ud800"}), as the Source ID had it. */
        ESCAPED
    }

    private static final ObjectMapper READ = new ObjectMapper();
    private static final Map<Encoding, ObjectMapper> WRITE = Map.of(
            Encoding.RAW, new ObjectMapper(),
            Encoding.ESCAPED, JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build());

    /**
     * Edits worth trying in any field: lone and reversed surrogates, a pair straddling the clip bounds
     * reasons use (40, 120, 200, 300, 400 chars), control characters and line breaks, non-characters,
     * a name longer than {@link MessageParser#MAX_NAME_CHARS}.
     */
    static final List<UnaryOperator<String>> EDITS = List.of(
            s -> "\ud800",
            s -> "\udc00",
            s -> s.substring(0, s.length() / 2) + "\ud800" + s.substring(s.length() / 2),
            s -> s + "\udbff",
            s -> "\ude00\ud83d" + s,
            s -> "x".repeat(39) + "\ud83d\ude00" + s,
            s -> "x".repeat(119) + "\ud83d\ude00" + s,
            s -> s + "y".repeat(Math.max(0, 199 - s.length())) + "\ud83d\ude00\ud83d\ude00",
            s -> "z".repeat(299) + "\ud83d\ude00" + s,
            s -> "w".repeat(399) + "\ud83d\ude00" + s,
            s -> "\u0000\u001b[31m" + s + "\n\r\t\u007f\u0085\u2028\u2029",
            s -> "\ufffe\uffff\ufeff" + s,
            s -> ("\ud83d\ude00\ud800" + s).repeat(2_000 / (s.length() + 3) + 1));

    private HostileJson() {
    }

    /** The JSON object in {@code body}, or null when it is not one. */
    static JsonNode tree(String body) {
        try {
            JsonNode n = READ.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** How many slots a JSON object has. */
    static int slots(JsonNode tree) {
        Walk w = new Walk(-1, s -> s, Encoding.RAW);
        w.walk(tree);
        return w.seen;
    }

    /** The body with slot {@code slot} edited by {@code edit}, written with {@code encoding}. */
    static String edit(JsonNode tree, int slot, UnaryOperator<String> edit, Encoding encoding) {
        Walk w = new Walk(slot, edit, encoding);
        return w.write(w.walk(tree));
    }

    private static final class Walk {
        private final int target;
        private final UnaryOperator<String> edit;
        private final ObjectMapper writer;
        int seen;

        Walk(int target, UnaryOperator<String> edit, Encoding encoding) {
            this.target = target;
            this.edit = edit;
            this.writer = WRITE.get(encoding);
        }

        JsonNode walk(JsonNode n) {
            if (n.isObject()) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    String name = seen++ == target ? edit.apply(e.getKey()) : e.getKey();
                    out.set(name, walk(e.getValue()));
                }
                return out;
            }
            if (n.isArray()) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                n.forEach(c -> out.add(walk(c)));
                return out;
            }
            if (n.isTextual()) {
                if (seen++ == target) {
                    return TextNode.valueOf(edit.apply(n.textValue()));
                }
                JsonNode embedded = n.textValue().startsWith("{") ? tree(n.textValue()) : null;
                return embedded == null ? n : TextNode.valueOf(write(walk(embedded)));
            }
            return n;
        }

        String write(JsonNode n) {
            try {
                return writer.writeValueAsString(n);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
