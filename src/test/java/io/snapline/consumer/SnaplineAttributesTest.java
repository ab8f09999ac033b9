package io.snapline.consumer;

import io.snapline.message.SafeText;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size rule of a dead letter: SQS counts every attribute's name, type and value with the body
 * against the queue's MaximumMessageSize (the embedded server does not, so this is checked here).
 */
class SnaplineAttributesTest {

    static long size(String body, Map<String, MessageAttributeValue> attributes) {
        long total = body.getBytes(StandardCharsets.UTF_8).length;
        for (var e : attributes.entrySet()) {
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().dataType().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return total;
    }

    @Test
    void aLongReason_beside_aBodyNearTheLimit_isCutToFit() {
        String body = "x".repeat(262_144 - 600);
        String reason = "\u20AC".repeat(10_000); // 3 bytes each

        Map<String, MessageAttributeValue> attributes = SnaplineAttributes.deadLetter(reason, "command", "m-1",
                Optional.of("req-1"), body, 262_144).orElseThrow();

        assertThat(size(body, attributes)).isLessThanOrEqualTo(262_144);
        String kept = attributes.get(SnaplineAttributes.FAILURE_REASON).stringValue();
        assertThat(kept).startsWith("\u20AC\u20AC\u20AC").contains("chars)");
        assertThat(SafeText.isSafe(kept)).isTrue();
    }

    @Test
    void aBodyThatLeavesNoRoomForAReason_isNotDeadLettered() {
        String body = "x".repeat(262_144 - 100);
        assertThat(SnaplineAttributes.deadLetter("why", "command", "m-1", Optional.empty(), body, 262_144)).isEmpty();
    }

    @Test
    void emptyOrHostileValues_becomeNonEmptyValidText() {
        Map<String, MessageAttributeValue> attributes = SnaplineAttributes.deadLetter("", "\u0000", "\uD800",
                Optional.of("\n"), "{}", 262_144).orElseThrow();

        assertThat(attributes.get(SnaplineAttributes.FAILURE_REASON).stringValue()).isEqualTo("(no reason given)");
        assertThat(attributes.get(SnaplineAttributes.FAILURE_KIND).stringValue()).isEqualTo("\\u0000");
        assertThat(attributes.get(SnaplineAttributes.ORIGINAL_ID).stringValue()).isEqualTo("\\ud800");
        assertThat(attributes.get(SnaplineAttributes.AWS_REQUEST_ID).stringValue()).isEqualTo("\\n");
        assertThat(SnaplineAttributes.deadLetter("r", "k", "m", Optional.of("  "), "{}", 262_144).orElseThrow())
                .doesNotContainKey(SnaplineAttributes.AWS_REQUEST_ID);
    }
}
