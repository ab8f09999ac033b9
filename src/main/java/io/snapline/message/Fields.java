package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Locale;

/**
 * Reading the fields of a JSON object the one way every envelope does: an absent field and JSON
 * {@code null} are the same; a field of the wrong type is {@link BadMessage} (so {@link Malformed}),
 * never a silent default; a field that becomes part of a key (an identifier, an ARN, a job id, a
 * crawler or command name, a request id) is bounded by {@link MessageParser#MAX_NAME_CHARS}.
 */
final class Fields {

    /**
     * Where fields are read from, for reasons: {@code new Where("EventBridge", "detail.")} names the
     * field {@code EventID} as {@code EventBridge field 'detail.EventID'}. The name is built only
     * when a reason needs it, so reading a field costs no string work.
     *
     * @param owner what holds the fields ({@code RDS event}, {@code SNS}, {@code EventBridge})
     * @param path  the path of the object inside it, ending in a dot, or empty
     */
    record Where(String owner, String path) {

        String name(String field) {
            return owner + " field '" + path + field + "'";
        }
    }

    private Fields() {
    }

    /** The text of an optional field: null when absent or JSON null; a wrong type is malformed. */
    static String optText(JsonNode o, String field, Where where) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadMessage(where.name(field) + " is " + describe(v) + ", expected a string");
        }
        return v.textValue();
    }

    /** The text of a required field; absent, blank or a wrong type is malformed. */
    static String reqText(JsonNode o, String field, Where where) {
        String s = optText(o, field, where);
        if (s == null || s.isBlank()) {
            throw new BadMessage(where.name(field) + " is " + (s == null ? "missing" : "blank"));
        }
        return s;
    }

    /** An optional field that names something (and so may become a key): {@link #optText}, bounded. */
    static String optName(JsonNode o, String field, Where where) {
        String s = optText(o, field, where);
        if (s != null && s.length() > MessageParser.MAX_NAME_CHARS) {
            throw tooLong(s, where.name(field));
        }
        return s;
    }

    /** A required field that names something (and so becomes a key): {@link #reqText}, bounded. */
    static String reqName(JsonNode o, String field, Where where) {
        String s = reqText(o, field, where);
        if (s.length() > MessageParser.MAX_NAME_CHARS) {
            throw tooLong(s, where.name(field));
        }
        return s;
    }

    /** {@code value} unless it is longer than any name Snapline accepts, which is malformed. */
    static String bounded(String value, String name) {
        if (value != null && value.length() > MessageParser.MAX_NAME_CHARS) {
            throw tooLong(value, name);
        }
        return value;
    }

    /** The problem of a name longer than {@link MessageParser#MAX_NAME_CHARS}, naming the field. */
    static BadMessage tooLong(String value, String name) {
        return new BadMessage(name + " is " + value.length() + " characters long, over the "
                + MessageParser.MAX_NAME_CHARS + " Snapline accepts for a name (an RDS identifier has at most 255);"
                + " it starts with " + Reasons.quote(value, 40));
    }

    /** What a JSON value is, for a reason: {@code missing}, {@code an object}, {@code a string ('x')}, … */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        if (v.isNull()) {
            return "JSON null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            return "a string (" + Reasons.quote(v.textValue(), 40) + ")";
        }
        if (v.isNumber()) {
            return "a number (" + Reasons.clip(v.asText(), 40) + ")";
        }
        if (v.isBoolean()) {
            return "a boolean (" + v.asText() + ")";
        }
        return "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** The first five field names of an object, for a reason: {@code [a, b, c, d, e, …]}. */
    static String fieldNames(JsonNode o) {
        StringBuilder sb = new StringBuilder("[");
        int n = 0;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (n == 5) {
                sb.append(", …");
                break;
            }
            sb.append(n == 0 ? "" : ", ").append(Reasons.clip(f, 40));
            n++;
        }
        return sb.append(']').toString();
    }
}
