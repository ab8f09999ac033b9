package io.snapline.consumer;

import io.snapline.config.QueueProperties;
import io.snapline.testing.EmbeddedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's view of the dead-letter queue, against embedded SQS (ElasticMQ) through the real client. */
class DeadLetterQueueIT {

    private EmbeddedSqs sqs;
    private String queue;
    private String dlq;
    private DeadLetterQueue dead;

    @BeforeEach
    void start() {
        sqs = new EmbeddedSqs();
        String[] urls = sqs.createQueueWithDlq("console", 30, 3);
        queue = urls[0];
        dlq = urls[1];
        dead = new DeadLetterQueue(sqs.client(), new QueueTopology(sqs.client(), new QueueProperties(queue, null, 2, 64,
                Duration.ofSeconds(1), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 10)));
    }

    @AfterEach
    void stop() {
        sqs.close();
    }

    private String deadLetter(String body, String reason) {
        Map<String, MessageAttributeValue> attributes = SnaplineAttributes.deadLetter(reason, "command", "orig-1",
                Optional.of("req-9"), body, 262_144).orElseThrow();
        return sqs.client().sendMessage(r -> r.queueUrl(dlq).messageBody(body).messageAttributes(attributes)).messageId();
    }

    @Test
    void peek_readsEveryDeadLetterWithItsAttributes_andLeavesThemInTheQueue() {
        String a = deadLetter("{\"command\":\"nope\"}", "unknown command 'nope'");
        String b = deadLetter("<script>alert(1)</script>", "not JSON");

        List<DeadLetterQueue.DeadLetter> first = dead.peek(50);
        List<DeadLetterQueue.DeadLetter> again = dead.peek(50);

        assertThat(first).extracting(DeadLetterQueue.DeadLetter::messageId).containsExactlyInAnyOrder(a, b);
        assertThat(again).extracting(DeadLetterQueue.DeadLetter::messageId).containsExactlyInAnyOrder(a, b);
        DeadLetterQueue.DeadLetter one = first.stream().filter(d -> d.messageId().equals(a)).findFirst().orElseThrow();
        assertThat(one.reason()).contains("unknown command 'nope'");
        assertThat(one.kind()).contains("command");
        assertThat(one.originalMessageId()).contains("orig-1");
        assertThat(one.awsRequestId()).contains("req-9");
        assertThat(one.sentAt()).isPresent();
        assertThat(sqs.depth(dlq)).isEqualTo(2);
    }

    @Test
    void redrive_sendsTheBodyAndEveryAttributeToTheQueue_andDeletesOnlyThatDeadLetter() {
        String a = deadLetter("{\"command\":\"a\"}", "reason a");
        String b = deadLetter("{\"command\":\"b\"}", "reason b");

        assertThat(dead.redrive(a)).isPresent();

        List<Message> moved = sqs.drain(queue);
        assertThat(moved).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("{\"command\":\"a\"}");
            assertThat(SnaplineAttributes.carriesFailureReason(m)).isTrue();
        });
        assertThat(dead.peek(50)).extracting(DeadLetterQueue.DeadLetter::messageId).containsExactly(b);
        assertThat(dead.redrive("no-such-id")).isEmpty();
    }

    @Test
    void discard_deletesOnlyThatDeadLetter() {
        String a = deadLetter("a", "reason a");
        String b = deadLetter("b", "reason b");

        assertThat(dead.discard(a)).isTrue();
        assertThat(dead.discard(a)).isFalse();

        assertThat(dead.peek(50)).extracting(DeadLetterQueue.DeadLetter::messageId).containsExactly(b);
        assertThat(sqs.depth(queue)).isZero();
    }

    /** ElasticMQ 1.6.11 implements StartMessageMoveTask: the tested path for "redrive all". */
    @Test
    void redriveAll_movesEveryDeadLetterBack_withItsAttributes() {
        deadLetter("a", "reason a");
        deadLetter("b", "reason b");

        DeadLetterQueue.MoveTask task = dead.redriveAll();

        assertThat(task.taskHandle()).isNotBlank();
        assertThat(task.sourceArn()).endsWith(":console-dlq");
        assertThat(task.destinationArn()).endsWith(":console");
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.depth(dlq) == 0);
        List<Message> moved = sqs.drain(queue);
        assertThat(moved).extracting(Message::body).containsExactlyInAnyOrder("a", "b");
        assertThat(moved).allSatisfy(m -> assertThat(SnaplineAttributes.carriesFailureReason(m)).isTrue());
    }
}
