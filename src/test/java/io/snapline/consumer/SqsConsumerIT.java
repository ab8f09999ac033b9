package io.snapline.consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snapline.config.ConsumedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer against a real SQS-protocol server (ElasticMQ in process), through the real SDK client. */
class SqsConsumerIT {

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

    private void start(String name, int visibilitySeconds, int maxInFlight, Duration deadline) {
        bench = new ConsumerBench(name, visibilitySeconds, maxInFlight, Duration.ofSeconds(1), deadline);
        consumer = bench.newConsumer();
        consumer.start();
    }

    @Test
    void deletesMessage_onlyAfterHandlerSucceeded() {
        start("ok", 30, 8, Duration.ofSeconds(5));
        bench.send(ConsumerBench.command("a", "ok"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.contains("a")
                && bench.sqs.depth(bench.queueUrl) == 0);
        assertThat(bench.action.attempts.get("a").get()).isEqualTo(1);
        assertThat(bench.sqs.depth(bench.dlqUrl)).isZero();
    }

    @Test
    void retryableFailure_isNotDeleted_andComesBackAfterABackoff() {
        start("retry", 30, 8, Duration.ofSeconds(5));
        bench.send(ConsumerBench.command("r", "retry-3"));

        await().atMost(Duration.ofSeconds(20)).until(() -> bench.action.effects.contains("r"));
        assertThat(bench.action.attempts.get("r").get()).isEqualTo(3);
        List<Long> times = new ArrayList<>(bench.action.attemptTimes);
        // backoff base 1 s with equal jitter: the second retry waits at least half of 2 s
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(Duration.ofNanos(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        await().atMost(Duration.ofSeconds(5)).until(() -> bench.sqs.depth(bench.queueUrl) == 0);
        assertThat(bench.sqs.depth(bench.dlqUrl)).isZero();
    }

    @Test
    void permanentFailure_goesToTheDeadLetterQueueAtOnce_withTheReason() {
        start("perm", 30, 8, Duration.ofSeconds(5));
        String id = bench.send(ConsumerBench.command("p", "permanent"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bench.sqs.depth(bench.dlqUrl) == 1
                && bench.sqs.depth(bench.queueUrl) == 0);
        Message dead = bench.sqs.drain(bench.dlqUrl).get(0);
        assertThat(dead.body()).isEqualTo(ConsumerBench.command("p", "permanent"));
        assertThat(dead.messageAttributes().get(SqsConsumer.ATTR_FAILURE_REASON).stringValue())
                .contains("bucket 'nope' does not exist");
        assertThat(dead.messageAttributes().get(SqsConsumer.ATTR_ORIGINAL_ID).stringValue()).isEqualTo(id);
        assertThat(bench.action.attempts.get("p").get()).isEqualTo(1);
    }

    @Test
    void duplicateDelivery_ofTheSameEvent_hasOneEffect() {
        // a short visibility timeout: the claim's lease follows it, so a copy handled while the other
        // holds the claim waits only that long before it looks again
        start("dup", 3, 8, Duration.ofSeconds(5));
        String body = "{\"command\":\"test\",\"id\":\"d\",\"behaviour\":\"ok\",\"requestId\":\"run-42\"}";
        bench.send(body);
        bench.send(body);

        await().atMost(Duration.ofSeconds(20)).until(() -> bench.sqs.depth(bench.queueUrl) == 0);
        assertThat(bench.action.effects).containsExactly("d");
    }

    @Test
    void malformedInput_neverBlocksTheQueue_andIsKeptInTheDeadLetterQueue() {
        start("bad", 30, 8, Duration.ofSeconds(5));
        bench.send("{\"truncated\": ");
        bench.send("\u00ff\u00fe\t binary }{][ garbage \uFFFD");
        bench.send(ConsumerBench.command("after", "ok"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.contains("after")
                && bench.sqs.depth(bench.queueUrl) == 0 && bench.sqs.depth(bench.dlqUrl) == 2);
        assertThat(consumer.running()).isTrue();
    }

    @Test
    void longHandler_keepsItsMessageInvisible_untilDone() {
        start("slow", 2, 8, Duration.ofSeconds(5));
        bench.send(ConsumerBench.command("s", "slow-5000"));

        await().atMost(Duration.ofSeconds(15)).until(() -> bench.action.effects.contains("s")
                && bench.sqs.depth(bench.queueUrl) == 0);
        assertThat(bench.action.attempts.get("s").get()).as("never redelivered mid-work").isEqualTo(1);
    }

    @Test
    void recheckLater_resendsTheBodyWithADelay_andDeletesTheOriginal() {
        start("recheck", 30, 8, Duration.ofSeconds(5));
        bench.send(ConsumerBench.command("c", "recheck"));

        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.contains("c"));
        List<Long> times = new ArrayList<>(bench.action.attemptTimes);
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        await().atMost(Duration.ofSeconds(5)).until(() -> bench.sqs.depth(bench.queueUrl) == 0);
    }

    @Test
    void aMessageWhoseRecheckTimeHasNotCome_isSentOnWithoutBeingHandled() {
        start("hop", 30, 8, Duration.ofSeconds(5));
        long notBefore = System.currentTimeMillis() + Duration.ofMinutes(40).toMillis();
        bench.sqs.client().sendMessage(r -> r.queueUrl(bench.queueUrl).messageBody(ConsumerBench.command("h", "ok"))
                .messageAttributes(java.util.Map.of(
                        SqsConsumer.ATTR_NOT_BEFORE, software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                                .builder().dataType("Number").stringValue(Long.toString(notBefore)).build(),
                        SqsConsumer.ATTR_RECHECK_ATTEMPT, software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                                .builder().dataType("Number").stringValue("3").build())));

        // a delay above SQS's 15 minutes hops: the body is re-sent with the longest delay, nothing runs
        await().atMost(Duration.ofSeconds(10)).until(() -> delayed(bench.queueUrl) == 1);
        assertThat(bench.action.attempts).doesNotContainKey("h");
        assertThat(bench.sqs.depth(bench.queueUrl)).isEqualTo(1);
    }

    private int delayed(String queueUrl) {
        return Integer.parseInt(bench.sqs.client().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    @Test
    void inFlightMessages_neverExceedThePermits() {
        start("permits", 30, 3, Duration.ofSeconds(5));
        for (int i = 0; i < 12; i++) {
            bench.send(ConsumerBench.command("m" + i, "slow-200"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> bench.action.effects.size() == 12);
        assertThat(bench.action.maxRunning.get()).isLessThanOrEqualTo(3).isGreaterThan(1);
    }

    @Test
    void shutdown_releasesUnfinishedMessages_andLosesNothing() {
        start("shutdown", 30, 4, Duration.ofMillis(300));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            bench.send(ConsumerBench.command("x" + i, "slow-1500"));
            expected.add("x" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inFlight() == 4);

        DrainResult drain = consumer.stop();
        assertThat(drain.clean()).as("messages were released unfinished").isFalse();
        assertThat(drain.released()).isEqualTo(4);
        assertThat(bench.count("snapline.messages.released")).isEqualTo(4);
        List<String> firstInstance = new ArrayList<>(bench.action.effects);
        assertThat(new HashSet<>(firstInstance)).as("no effect twice in one instance").hasSameSizeAs(firstInstance);

        // the released and never-received messages are visible again at once, not after 30 s
        ConcurrentLinkedQueue<String> before = new ConcurrentLinkedQueue<>(bench.action.effects);
        SqsConsumer second = bench.newConsumer();
        second.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> new HashSet<>(bench.action.effects).containsAll(expected)
                    && bench.sqs.depth(bench.queueUrl) == 0);
        } finally {
            second.stop();
        }
        assertThat(before).isNotNull();
        assertThat(bench.sqs.depth(bench.dlqUrl)).isZero();
    }

    @Test
    void shutdown_whenEveryMessageFinishesBeforeTheDeadline_isClean() {
        start("clean", 30, 4, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            bench.send(ConsumerBench.command("c" + i, "slow-800"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inFlight() == 3);

        DrainResult drain = consumer.stop();

        assertThat(drain.clean()).isTrue();
        assertThat(drain.inFlightAtStop()).isEqualTo(3);
        assertThat(bench.action.effects).hasSize(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> bench.sqs.depth(bench.queueUrl) == 0);
    }

    @Test
    void shutdown_letsTheDeletesOfFinishedMessagesEnd_beforeItStopsItsThreads() {
        // every DeleteMessageBatch takes 3 s: the messages finish long before their deletes do
        bench = new ConsumerBench("slow-deletes", 30, 4, Duration.ofSeconds(1), Duration.ofSeconds(10));
        SqsClient slowDeletes = bench.sqs.client(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof DeleteMessageBatchRequest) {
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("delete interrupted");
                    }
                }
            }
        });
        consumer = bench.newConsumer(slowDeletes);
        consumer.start();
        for (int i = 0; i < 3; i++) {
            bench.send(ConsumerBench.command("d" + i, "slow-300"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.size() == 3);

        DrainResult drain = consumer.stop();

        assertThat(drain.clean()).as("drain " + drain).isTrue();
        assertThat(drain.deleteFailures()).isZero();
        assertThat(bench.sqs.depth(bench.queueUrl)).as("every finished message deleted by the time stop returns")
                .isZero();
    }

    @Test
    void theQueuesOwnSettings_areReadAtStartUp_notConfigured() {
        start("attrs", 7, 8, Duration.ofSeconds(5));
        ConsumedQueue queue = bench.topology.queue();
        assertThat(queue.visibilityTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(queue.maxReceiveCount()).isEqualTo(OptionalInt.of(5));
        assertThat(queue.maximumMessageSize()).isEqualTo(ConsumedQueue.DEFAULT_MAXIMUM_MESSAGE_SIZE);
        assertThat(bench.topology.dlqUrl()).contains(bench.dlqUrl);
    }

    @Test
    void eachMessagesOutcome_isCountedOnce_andRetriesAndRechecksApart() {
        start("metrics", 30, 8, Duration.ofSeconds(1));
        bench.send(ConsumerBench.command("r", "retry-3"));
        bench.send(ConsumerBench.command("c", "recheck"));
        bench.send(ConsumerBench.command("p", "permanent"));

        await().atMost(Duration.ofSeconds(20)).until(() -> bench.action.effects.containsAll(List.of("r", "c"))
                && bench.sqs.depth(bench.queueUrl) == 0 && bench.sqs.depth(bench.dlqUrl) == 1);

        assertThat(bench.count("snapline.messages", "kind", "command", "outcome", "done"))
                .as("r done once after 3 deliveries, c done once after its re-check").isEqualTo(2);
        assertThat(bench.count("snapline.messages", "kind", "command", "outcome", "dead_letter")).isEqualTo(1);
        assertThat(bench.meters.find("snapline.messages").counters()).hasSize(2);
        assertThat(bench.count("snapline.message.retries", "kind", "command")).isEqualTo(2);
        assertThat(bench.count("snapline.message.rechecks", "kind", "command")).isEqualTo(1);
        assertThat(bench.count("snapline.dlq.sends", "kind", "command")).isEqualTo(1);
    }

    @Test
    void theMdc_isClearedAfterEveryMessage_whateverTheHandlerLeftInIt() {
        start("mdc", 30, 1, Duration.ofSeconds(5));
        bench.send(ConsumerBench.command("dirty", "dirty-mdc"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.contains("dirty"));
        String second = bench.send("{\"command\":\"test\",\"id\":\"clean\",\"requestId\":\"q-2\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> bench.action.effects.contains("clean"));

        assertThat(bench.action.mdc.get("clean"))
                .containsEntry(SqsConsumer.MDC_MESSAGE_ID, second)
                .containsEntry(MessageProcessor.MDC_KIND, "command")
                .containsEntry(MessageProcessor.MDC_KEY, "test#q-2")
                .doesNotContainKey("left-behind");
    }

    @Test
    void failureLines_carryTheAwsRequestId_inTheMdcAndTheText() {
        Logger logger = (Logger) LoggerFactory.getLogger(SqsConsumer.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            start("reqid", 30, 8, Duration.ofSeconds(1));
            String id = bench.send(ConsumerBench.command("a", "retry-aws-2"));
            await().atMost(Duration.ofSeconds(15)).until(() -> bench.action.effects.contains("a"));

            assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.WARN
                            && e.getFormattedMessage().contains("outcome=retry"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getMDCPropertyMap()).containsEntry(SqsConsumer.MDC_AWS_REQUEST_ID, "req-a")
                                .containsEntry(SqsConsumer.MDC_MESSAGE_ID, id);
                        assertThat(e.getFormattedMessage()).contains("aws_request_id=req-a");
                    });
        } finally {
            logger.detachAppender(lines);
        }
    }
}
