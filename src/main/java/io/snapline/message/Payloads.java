package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON shapes a payload can have, bare on the queue or inside one SNS envelope, tried in order.
 * To read a new envelope, add one line to {@link #read} (and its reader class, with a
 * {@code recognises} test); nothing else changes.
 *
 * <p>A plain chain of calls rather than a list of lambdas: with every kind of body arriving, a list
 * of three readers makes its call sites megamorphic, and the JIT inlines none of them
 * ({@code MessageParserThroughput}'s fixture mix ran at 106,000–156,000 messages/s with the list,
 * 167,000–184,000 with the chain, on the same machine).
 */
final class Payloads {

    /** The shapes {@link #read} knows, in its order, for the reason of a body that has none of them. */
    static final String KNOWN = "SNS envelope, EventBridge event, command, RDS event";

    private Payloads() {
    }

    /**
     * The payload inside (or without) an SNS envelope. First match wins: an EventBridge event may
     * carry a command as its detail, never the reverse.
     */
    static SnaplineMessage read(JsonNode o, Envelope env) {
        if (EventBridgeEvent.recognises(o)) {
            return EventBridgeEvent.read(o, env);
        }
        if (CommandMessage.recognises(o)) {
            return CommandMessage.read(o, "");
        }
        if (RdsSubscriptionMessage.recognises(o)) {
            return RdsSubscriptionMessage.read(o, env);
        }
        return new Ignored("unrecognised", "a JSON object with fields " + Fields.fieldNames(o)
                + " is none of the shapes Snapline knows (" + KNOWN + ")");
    }
}
