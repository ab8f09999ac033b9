package io.snapline.consumer;

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

import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer wired for tests against the embedded SQS server, with a scripted {@code test}
 * command whose {@code behaviour} argument says what the handler does:
 * {@code ok}, {@code retry-N} (fail retryably until the N-th attempt), {@code permanent},
 * {@code slow-MS}, {@code recheck} (re-check later once, then done).
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

    ConsumerBench(String name, int visibilitySeconds, int maxInFlight, Duration backoffBase, Duration shutdownDeadline) {
        String[] urls = sqs.createQueueWithDlq(name, visibilitySeconds, 5);
        queueUrl = urls[0];
        dlqUrl = urls[1];
        properties = new QueueProperties(queueUrl, null, 2, maxInFlight, Duration.ofSeconds(1),
                Optional.empty(), backoffBase, Duration.ofSeconds(10), shutdownDeadline, 3);
        topology = new QueueTopology(sqs.client(), properties);
        processor = new MessageProcessor(new MessageParser(), TestRegistries.withCommands(action), ledger, properties,
                topology.queue());
    }

    SqsConsumer newConsumer() {
        return new SqsConsumer(sqs.client(), topology, processor, properties, new SimpleMeterRegistry());
    }

    String send(String body) {
        return sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    static String command(String id, String behaviour) {
        return "{\"command\":\"test\",\"id\":\"" + id + "\",\"behaviour\":\"" + behaviour + "\"}";
    }

    @Override
    public void close() {
        ledger.close();
        sqs.close();
    }

    /** The scripted handler; it records every attempt and every completed effect. */
    static final class ScriptedAction implements CommandAction {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Queue<String> effects = new ConcurrentLinkedQueue<>();
        final Queue<Long> attemptTimes = new ConcurrentLinkedQueue<>();
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
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                if (behaviour.startsWith("retry-") && attempt < Integer.parseInt(behaviour.substring(6))) {
                    throw new RetryableProcessingException("not yet, attempt " + attempt);
                }
                if (behaviour.equals("permanent")) {
                    throw new PermanentProcessingException("bucket 'nope' does not exist");
                }
                if (behaviour.startsWith("slow-")) {
                    Thread.sleep(Long.parseLong(behaviour.substring(5)));
                }
                if (behaviour.equals("recheck") && attempt == 1) {
                    return Outcome.recheckLater(Duration.ofSeconds(1), "snapshot not available yet");
                }
                effects.add(id);
                return Outcome.done("did " + id);
            } finally {
                running.decrementAndGet();
            }
        }
    }
}
