package io.snapline.message;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The one JSON reader, shared by every layer (SQS body, SNS {@code Message}): trailing content is an
 * error, and nesting deeper than {@link MessageParser#MAX_NESTING_DEPTH} is refused by the reader
 * itself, so hostile input cannot exhaust the stack. Thread-safe.
 */
final class Json {

    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MessageParser.MAX_NESTING_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private Json() {
    }

    /** {@code text} as a JSON tree; not JSON, or over a limit, is {@link BadMessage} naming {@code what}. */
    static JsonNode read(String text, String what) {
        try {
            return READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new BadMessage(what + " exceeds a JSON limit: " + problem(e));
        } catch (JacksonException e) {
            throw new BadMessage(what + " is not valid JSON: " + problem(e) + "; it starts with " + Reasons.quote(text, 40));
        }
    }

    /** Jackson's own words (which quote the input, so made safe) and where, without its source excerpt. */
    private static String problem(JacksonException e) {
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        StringBuilder sb = new StringBuilder(Reasons.clip(String.valueOf(msg), 200));
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(" (line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr()).append(')');
        }
        return sb.toString();
    }
}
