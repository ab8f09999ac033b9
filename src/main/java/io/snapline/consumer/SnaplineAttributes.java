package io.snapline.consumer;

import io.snapline.message.SafeText;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The message attributes Snapline writes and reads. Every string attribute it writes is made valid
 * for SQS, single-line and bounded by {@link SafeText} (a reason can quote anything a message held:
 * half a surrogate pair, a NUL, 256 KiB), and never empty, because SQS refuses the whole send for
 * one bad or empty attribute value ({@code InvalidMessageContents}); and a dead letter's attributes
 * are cut to fit, with the body, in the dead-letter queue's {@code MaximumMessageSize}, which
 * counts every attribute's name, type and value.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html">MessageAttributeValue</a>
 */
final class SnaplineAttributes {

    static final String RECHECK_ATTEMPT = "snapline-recheck-attempt";
    static final String NOT_BEFORE = "snapline-not-before";
    static final String FAILURE_REASON = "snapline-failure-reason";
    static final String FAILURE_KIND = "snapline-failure-kind";
    static final String ORIGINAL_ID = "snapline-original-message-id";
    static final String AWS_REQUEST_ID = "snapline-aws-request-id";

    /** The attributes a receive asks for. */
    static final String[] RECEIVED = {RECHECK_ATTEMPT, NOT_BEFORE, FAILURE_REASON};

    /** A reason is cut at this many characters. */
    static final int MAX_REASON_CHARS = 4000;
    /** Kind, original message id and request id are cut at this many characters. */
    static final int MAX_LABEL_CHARS = 200;
    /** Less room than this for the reason, and the dead letter cannot say why: it is not sent. */
    static final int MIN_REASON_BYTES = 64;
    private static final String STRING = "String";
    private static final String NUMBER = "Number";

    private SnaplineAttributes() {
    }

    /**
     * The attributes of a dead letter, or empty when even a cut reason cannot fit beside the body in
     * {@code maxMessageBytes}.
     */
    static Optional<Map<String, MessageAttributeValue>> deadLetter(String reason, String kind, String originalId,
                                                                   Optional<String> awsRequestId, String body,
                                                                   int maxMessageBytes) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FAILURE_KIND, nonEmpty(SafeText.of(kind, MAX_LABEL_CHARS), "unknown"));
        labels.put(ORIGINAL_ID, nonEmpty(SafeText.of(originalId, MAX_LABEL_CHARS), "unknown"));
        awsRequestId.map(id -> SafeText.of(id, MAX_LABEL_CHARS)).filter(id -> !id.isBlank())
                .ifPresent(id -> labels.put(AWS_REQUEST_ID, id));
        long used = utf8(body);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            used += size(e.getKey(), STRING, e.getValue());
        }
        long room = maxMessageBytes - used - size(FAILURE_REASON, STRING, "");
        Optional<String> text = fitted(reason, room);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(FAILURE_REASON, string(text.get()));
        labels.forEach((name, value) -> attributes.put(name, string(value)));
        return Optional.of(attributes);
    }

    /** The reason made safe and cut to at most {@code roomBytes} of UTF-8; empty when there is no room. */
    static Optional<String> fitted(String reason, long roomBytes) {
        if (roomBytes < MIN_REASON_BYTES) {
            return Optional.empty();
        }
        int chars = MAX_REASON_CHARS;
        while (true) {
            String text = nonEmpty(SafeText.of(reason, chars), "(no reason given)");
            if (utf8(text) <= roomBytes) {
                return Optional.of(text);
            }
            // A UTF-16 char takes at most 3 bytes (a pair: 4 bytes for 2); SafeText's cut note adds ~20.
            chars = (int) Math.min(chars - 1, Math.max(1, (roomBytes - 32) / 3));
        }
    }

    /** The attributes of a re-check: how many re-checks so far, and (for a hop) the time it is due. */
    static Map<String, MessageAttributeValue> recheck(int attempt, Optional<Long> notBefore) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(RECHECK_ATTEMPT, number(attempt));
        notBefore.ifPresent(t -> attributes.put(NOT_BEFORE, number(t)));
        return attributes;
    }

    /** True when the message carries Snapline's failure reason: it was redriven from the dead-letter queue. */
    static boolean carriesFailureReason(Message message) {
        return message.hasMessageAttributes() && message.messageAttributes().containsKey(FAILURE_REASON);
    }

    static int intAttribute(Message m, String name) {
        long value = longAttribute(m, name);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    static long longAttribute(Message m, String name) {
        MessageAttributeValue v = m.hasMessageAttributes() ? m.messageAttributes().get(name) : null;
        if (v == null || v.stringValue() == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.stringValue().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The message's {@code ApproximateReceiveCount}; 1 when SQS did not say. */
    static int receiveCount(Message m) {
        String v = m.hasAttributes() ? m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT) : null;
        try {
            return v == null ? 1 : Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long size(String name, String type, String value) {
        return utf8(name) + utf8(type) + utf8(value);
    }

    private static String nonEmpty(String text, String otherwise) {
        return text.isBlank() ? otherwise : text;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType(STRING).stringValue(value).build();
    }

    private static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder().dataType(NUMBER).stringValue(Long.toString(value)).build();
    }
}
