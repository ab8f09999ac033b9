package io.snapline.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.config.QueueProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.message.Command;
import io.snapline.message.MessageParser;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.MemoryLedgers;
import io.snapline.testing.TestRegistries;
import org.slf4j.MDC;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer wired for tests against the embedded SQS server, with a scripted {@code test}
 * command whose {@code behaviour} argument says what the handler does:
 * {@code ok}, {@code retry-N} (fail retryably until the N-th attempt), {@code retry-forever},
 * {@code retry-aws-N} (as retry-N, with an AWS error carrying request id {@code req-<id>}),
 * {@code permanent}, {@code hostile-N} (fail permanently with {@link HostileText#of hostile text N}
 * as the reason), {@code aws-hostile-N} (a permanent AWS error whose request id is hostile text N),
 * {@code slow-MS}, {@code recheck} (re-check later once, then done), {@code dirty-mdc} (leave an MDC
 * key behind, then done). Every attempt records the MDC it ran with.
 */
final class ConsumerBench implements AutoCloseable {

    final EmbeddedSqs sqs = new EmbeddedSqs();
    final String queueUrl;
    final String dlqUrl;
    final Ledger ledger = MemoryLedgers.fresh();
    final ScriptedAction action = new ScriptedAction();
    final QueueProperties properties;
    final QueueTopology topology;
    final MessageProcessor processor;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    ConsumerBench(String name, int visibilitySeconds, int maxInFlight, Duration backoffBase, Duration shutdownDeadline) {
        this(name, visibilitySeconds, 5, maxInFlight, backoffBase, shutdownDeadline);
    }

    ConsumerBench(String name, int visibilitySeconds, int maxReceiveCount, int maxInFlight, Duration backoffBase,
                  Duration shutdownDeadline) {
        String[] urls = sqs.createQueueWithDlq(name, visibilitySeconds, maxReceiveCount);
        queueUrl = urls[0];
        dlqUrl = urls[1];
        properties = new QueueProperties(queueUrl, null, 2, maxInFlight, Duration.ofSeconds(1),
                Optional.empty(), backoffBase, Duration.ofSeconds(10), shutdownDeadline, 3);
        topology = new QueueTopology(sqs.client(), properties);
        processor = new MessageProcessor(new MessageParser(), TestRegistries.withCommands(action), ledger, properties,
                topology.queue());
    }

    /** A new consumer with its own meters ({@link #meters} points at them). */
    SqsConsumer newConsumer() {
        return newConsumer(sqs.client());
    }

    /** A new consumer that talks to the queue through {@code client}. */
    SqsConsumer newConsumer(SqsClient client) {
        meters = new SimpleMeterRegistry();
        return new SqsConsumer(client, topology, processor, properties, meters);
    }

    String send(String body) {
        return sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    static String command(String id, String behaviour) {
        return "{\"command\":\"test\",\"id\":\"" + id + "\",\"behaviour\":\"" + behaviour + "\"}";
    }

    /** The count of a counter of the current consumer's meters, 0 when it was never incremented. */
    double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        ledger.close();
        sqs.close();
    }

    /** The scripted handler; it records every attempt, the MDC it saw, and every completed effect. */
    static final class ScriptedAction implements CommandAction {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Queue<String> effects = new ConcurrentLinkedQueue<>();
        final Queue<Long> attemptTimes = new ConcurrentLinkedQueue<>();
        final Map<String, Map<String, String>> mdc = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        @Override
        public String name() {
            return "test";
        }

        @Override
        public Outcome run(Command command) throws Exception {
            String id = command.arg("id").orElseThrow();
            String behaviour = command.arg("behaviour").orElse("ok");
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            attemptTimes.add(System.nanoTime());
            Map<String, String> context = MDC.getCopyOfContextMap();
            mdc.put(id, context == null ? Map.of() : Map.copyOf(context));
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                if (behaviour.startsWith("retry-aws-") && attempt < Integer.parseInt(behaviour.substring(10))) {
                    throw awsError(503, "ServiceUnavailable", "req-" + id);
                }
                if (behaviour.startsWith("retry-") && !behaviour.startsWith("retry-aws-")
                        && (behaviour.equals("retry-forever") || attempt < Integer.parseInt(behaviour.substring(6)))) {
                    throw new RetryableProcessingException("not yet, attempt " + attempt);
                }
                if (behaviour.equals("permanent")) {
                    throw new PermanentProcessingException("bucket 'nope' does not exist");
                }
                if (behaviour.startsWith("hostile-")) {
                    throw new PermanentProcessingException(HostileText.of(Integer.parseInt(behaviour.substring(8))));
                }
                if (behaviour.startsWith("aws-hostile-")) {
                    throw awsError(403, "AccessDenied", HostileText.of(Integer.parseInt(behaviour.substring(12))));
                }
                if (behaviour.startsWith("slow-")) {
                    Thread.sleep(Long.parseLong(behaviour.substring(5)));
                }
                if (behaviour.equals("recheck") && attempt == 1) {
                    return Outcome.recheckLater(Duration.ofSeconds(1), "snapshot not available yet");
                }
                if (behaviour.equals("dirty-mdc")) {
                    MDC.put("left-behind", "by " + id);
                }
                effects.add(id);
                return Outcome.done("did " + id);
            } finally {
                running.decrementAndGet();
            }
        }

        private static SqsException awsError(int status, String code, String requestId) {
            return (SqsException) SqsException.builder().statusCode(status).requestId(requestId)
                    .message(code + " from the test")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " from the test")
                            .build())
                    .build();
        }
    }
}
