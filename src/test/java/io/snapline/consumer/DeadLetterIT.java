package io.snapline.consumer;

import io.snapline.message.SafeText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters always say why: through the real SDK client against the embedded SQS server
 * (ElasticMQ refuses a lone surrogate, a control character or an empty value in an attribute with
 * {@code InvalidMessageContents}, as SQS does), no message reaches the dead-letter queue without
 * {@code snapline-failure-reason}, and every attribute Snapline writes is one SQS accepts.
 */
class DeadLetterIT {

    private ConsumerBench bench;
    private SqsConsumer consumer;

    @AfterEach
    void tearDown() {
        if (consumer != null) {
            consumer.stop();
        }
        if (bench != null) {
            bench.close();
        }
    }

    private void start(String name, int maxReceiveCount, int maxInFlight, Duration backoff) {
        bench = new ConsumerBench(name, 30, maxReceiveCount, maxInFlight, backoff, Duration.ofSeconds(5));
        consumer = bench.newConsumer();
        consumer.start();
    }

    @Test
    void hostileReasonsAndRequestIds_reachTheDeadLetterQueue_eachWithAValidReason() {
        start("hostile", 5, 16, Duration.ofSeconds(1));
        Set<String> sent = new HashSet<>();
        int n = 120;
        for (int i = 0; i < n; i++) {
            String behaviour = (i % 3 == 2 ? "aws-hostile-" : "hostile-") + i;
            sent.add(bench.send(ConsumerBench.command("h" + i, behaviour)));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> bench.sqs.depth(bench.queueUrl) == 0
                && bench.sqs.depth(bench.dlqUrl) == n);

        List<Message> dead = bench.sqs.drain(bench.dlqUrl);
        assertThat(dead).hasSize(n);
        Set<String> originals = new HashSet<>();
        for (Message m : dead) {
            assertDeadLetterAttributesValid(m);
            originals.add(m.messageAttributes().get(SqsConsumer.ATTR_ORIGINAL_ID).stringValue());
            assertThat(m.messageAttributes().get(SqsConsumer.ATTR_FAILURE_KIND).stringValue()).isEqualTo("command");
        }
        assertThat(originals).as("every message dead-lettered by Snapline, none moved by the redrive policy")
                .isEqualTo(sent);
        assertThat(dead).filteredOn(m -> m.messageAttributes().containsKey(SqsConsumer.ATTR_AWS_REQUEST_ID))
                .as("the AWS errors' (hostile) request ids are kept").hasSizeGreaterThanOrEqualTo(n / 3 - 5);
        assertThat(bench.count("snapline.dlq.send.failures")).isZero();
        assertThat(bench.count("snapline.messages", "outcome", "dead_letter")).isEqualTo(n);
    }

    @Test
    void fuzzedBodies_whateverTheParserSaysOfThem_neverReachTheDeadLetterQueueWithoutAReason() {
        start("fuzz", 5, 16, Duration.ofSeconds(1));
        List<String> bodies = fuzzedBodies(new Random(42), 150);
        bodies.forEach(bench::send);

        await().atMost(Duration.ofSeconds(60)).until(() -> bench.sqs.depth(bench.queueUrl) == 0
                && outcomes() == bodies.size());

        List<Message> dead = bench.sqs.drain(bench.dlqUrl);
        assertThat(dead).as("malformed bodies are dead-lettered").isNotEmpty();
        dead.forEach(DeadLetterIT::assertDeadLetterAttributesValid);
        assertThat((double) dead.size()).isEqualTo(bench.count("snapline.messages", "outcome", "dead_letter"));
        assertThat(bench.count("snapline.dlq.send.failures")).isZero();
    }

    @Test
    void aMessageThatFailsOnEveryReceive_isDeadLetteredOnItsLastReceive_withTheLastError() {
        start("exhaust", 3, 8, Duration.ofSeconds(1));
        String id = bench.send(ConsumerBench.command("e", "retry-forever"));

        await().atMost(Duration.ofSeconds(30)).until(() -> bench.sqs.depth(bench.dlqUrl) == 1
                && bench.sqs.depth(bench.queueUrl) == 0);

        Message dead = bench.sqs.drain(bench.dlqUrl).get(0);
        assertDeadLetterAttributesValid(dead);
        assertThat(dead.messageAttributes().get(SqsConsumer.ATTR_FAILURE_REASON).stringValue())
                .startsWith("gave up after 3 receives (the queue's maxReceiveCount): ")
                .contains("not yet, attempt 3");
        assertThat(dead.messageAttributes().get(SqsConsumer.ATTR_ORIGINAL_ID).stringValue()).isEqualTo(id);
        assertThat(bench.action.attempts.get("e").get()).isEqualTo(3);
        assertThat(bench.count("snapline.message.retries", "kind", "command")).isEqualTo(2);
        assertThat(bench.count("snapline.messages", "kind", "command", "outcome", "dead_letter")).isEqualTo(1);
    }

    @Test
    void aMessageThatMeetsAwsFailuresPastItsReceiveBudget_isSentOnAsADelayedCopy_andDoneOnce() {
        start("aws-storm", 3, 8, Duration.ofMillis(200));
        bench.send(ConsumerBench.command("s", "retry-aws-8"));

        await().atMost(Duration.ofSeconds(60)).until(() -> bench.action.effects.contains("s")
                && bench.sqs.depth(bench.queueUrl) == 0);

        assertThat(bench.action.attempts.get("s").get()).as("eight attempts on a queue that allows three receives")
                .isEqualTo(8);
        assertThat(bench.action.effects).containsOnlyOnce("s");
        assertThat(bench.sqs.depth(bench.dlqUrl)).isZero();
        assertThat(bench.count("snapline.messages", "outcome", "dead_letter")).isZero();
    }

    @Test
    void awsFailuresWithoutEnd_areDeadLetteredWithTheirReason_onceTheReSendsAreSpent() {
        start("aws-forever", 2, 8, Duration.ofMillis(200));
        bench.send(ConsumerBench.command("f", "retry-aws-1000"));

        await().atMost(Duration.ofSeconds(90)).until(() -> bench.sqs.depth(bench.dlqUrl) == 1
                && bench.sqs.depth(bench.queueUrl) == 0);

        Message dead = bench.sqs.drain(bench.dlqUrl).get(0);
        assertDeadLetterAttributesValid(dead);
        assertThat(dead.messageAttributes().get(SqsConsumer.ATTR_FAILURE_REASON).stringValue())
                .contains("AWS kept failing after 3 re-sends (snapline.queue.recheck-max-attempts)")
                .contains("ServiceUnavailable");
        assertThat(bench.action.attempts.get("f").get()).as("two receives, then three re-sends of two receives")
                .isEqualTo(8);
        assertThat(bench.action.effects).doesNotContain("f");
    }

    @Test
    void whenTheDeadLetterQueueRefusesTheMessage_theOriginalIsNotDeleted_andNoDeadLetterIsCounted() {
        start("refused", 5, 8, Duration.ofSeconds(20));
        bench.sqs.client().deleteQueue(r -> r.queueUrl(bench.dlqUrl));
        bench.send(ConsumerBench.command("p", "permanent"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bench.count("snapline.dlq.send.failures", "kind", "command") == 1);
        assertThat(bench.sqs.depth(bench.queueUrl)).as("the original stays on the queue").isEqualTo(1);
        assertThat(bench.count("snapline.messages", "outcome", "dead_letter")).isZero();
        assertThat(bench.count("snapline.dlq.sends")).isZero();
        assertThat(bench.action.attempts.get("p").get()).isEqualTo(1);
    }

    private double outcomes() {
        return bench.meters.find("snapline.messages").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Every Snapline attribute is present where it must be, not empty, and as SQS accepts it. */
    static void assertDeadLetterAttributesValid(Message m) {
        Map<String, MessageAttributeValue> attributes = m.messageAttributes();
        assertThat(attributes).as("a dead letter always says why").containsKey(SqsConsumer.ATTR_FAILURE_REASON)
                .containsKey(SqsConsumer.ATTR_FAILURE_KIND).containsKey(SqsConsumer.ATTR_ORIGINAL_ID);
        attributes.forEach((name, value) -> {
            assertThat(value.stringValue()).as(name).isNotBlank();
            assertThat(SafeText.isSafe(value.stringValue())).as(name + " is valid, single-line text").isTrue();
        });
        assertThat(attributes.get(SqsConsumer.ATTR_FAILURE_REASON).stringValue().length()).isLessThan(4100);
    }

    /**
     * Bodies SQS accepts (no lone surrogates or control characters: SQS refuses those itself) that
     * are anything but well-formed: fixtures cut at random code units (mostly inside astral pairs),
     * re-wrapped, with astral characters spliced in, and commands with hostile names.
     */
    static List<String> fuzzedBodies(Random random, int count) {
        String[] seeds = {
                "{\"Type\":\"Notification\",\"Message\":\"{\\\"Event Source\\\":\\\"db-snapshot\\\",\\\"Event ID\\\":"
                        + "\\\"http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#RDS-EVENT-0042\\\","
                        + "\\\"Source ID\\\":\\\"\uD83D\uDE00\uD83D\uDE00orders\uD83D\uDE00\\\"}\"}",
                "{\"version\":\"0\",\"detail-type\":\"RDS DB Snapshot Event\",\"source\":\"aws.rds\",\"detail\":"
                        + "{\"EventID\":\"RDS-EVENT-0042\",\"SourceIdentifier\":\"\uD83D\uDE00" + "x".repeat(90) + "\"}}",
                "{\"command\":\"\uD83D\uDE00" + "\uD83D\uDE00".repeat(50) + "\"}",
                "{\"command\":\"prune\",\"policy\":{\"nested\":\"\uD83D\uDE00\uD83D\uDE00\"}}",
                "\uD83D\uDE00".repeat(300),
        };
        List<String> bodies = new ArrayList<>(count);
        while (bodies.size() < count) {
            String seed = seeds[random.nextInt(seeds.length)];
            StringBuilder body = new StringBuilder(seed);
            int splices = random.nextInt(4);
            for (int i = 0; i < splices; i++) {
                body.insert(pairBoundary(body, random.nextInt(body.length() + 1)), "\uD83D\uDE00");
            }
            String text = body.toString();
            if (random.nextBoolean()) {
                text = text.substring(0, pairBoundary(text, 1 + random.nextInt(text.length() - 1)));
            }
            if (random.nextInt(5) == 0) {
                text = text + " trailing \uD83D\uDE00 garbage";
            }
            if (!text.isBlank() && text.getBytes(StandardCharsets.UTF_8).length < 200_000) {
                bodies.add(text);
            }
        }
        return bodies;
    }

    /** The nearest index at or before {@code i} that does not split a surrogate pair (SQS refuses a lone half). */
    private static int pairBoundary(CharSequence s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) ? i - 1 : i;
    }
}
