package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The JSON shapes a payload can have, bare on the queue or inside one SNS envelope, tried in order.
 * To read a new envelope, add one {@link Shape} here (and its reader class); nothing else changes.
 */
final class Payloads {

    /**
     * One payload shape.
     *
     * @param name       how reasons name it
     * @param recognises whether a JSON object has this shape (a cheap look at its fields)
     * @param reader     reads it, given what the outer layers know
     */
    record Shape(String name, Predicate<JsonNode> recognises, BiFunction<JsonNode, Envelope, SnaplineMessage> reader) {
    }

    /** First match wins: an EventBridge event may carry a command as its detail, never the reverse. */
    static final List<Shape> SHAPES = List.of(
            new Shape("EventBridge event", o -> o.has("detail-type"), EventBridgeEvent::read),
            new Shape("command", o -> o.has("command"), (o, env) -> CommandMessage.read(o, "")),
            new Shape("RDS event", RdsSubscriptionMessage::recognises, RdsSubscriptionMessage::read));

    private static final String KNOWN = "SNS envelope, "
            + SHAPES.stream().map(Shape::name).collect(Collectors.joining(", "));

    private Payloads() {
    }

    /** The payload inside (or without) an SNS envelope. */
    static SnaplineMessage read(JsonNode o, Envelope env) {
        for (Shape shape : SHAPES) {
            if (shape.recognises().test(o)) {
                return shape.reader().apply(o, env);
            }
        }
        return new Ignored("unrecognised", "a JSON object with fields " + Fields.fieldNames(o)
                + " is none of the shapes Snapline knows (" + KNOWN + ")");
    }
}
