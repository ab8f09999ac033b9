package io.snapline.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.config.QueueProperties;
import io.snapline.consumer.MessageProcessor;
import io.snapline.consumer.QueueTopology;
import io.snapline.consumer.SqsConsumer;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.ledger.EmbeddedLedger;
import io.snapline.message.Command;
import io.snapline.message.MessageParser;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.TestRegistries;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer benchmark (not a test): against the embedded SQS server in this JVM, it measures
 * (a) a raw SDK loop (receive 10, batch delete) as the baseline, (b) Snapline end to end (parse,
 * ledger claim and completion, dispatch to a no-op handler, batched delete) and its ratio to (a),
 * (c) Snapline with 100 ms handlers, whose throughput follows the in-flight limit, (d) enqueue to
 * delete latency under a paced load, and the peak RSS. Both loops are warmed up first.
 * Run: {@code bench/run-benchmark.sh}; options as system properties (messages, warmup, pollers).
 */
public final class ConsumerBenchmark {

    private static final int MESSAGES = Integer.getInteger("messages", 20_000);
    private static final int WARMUP = Integer.getInteger("warmup", 100_000);
    private static final int POLLERS = Integer.getInteger("pollers", 4);
    private static final int IN_FLIGHT = Integer.getInteger("inFlight", 64);

    private ConsumerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "snapline consumer benchmark: %d messages, %d warm-up, %d pollers, %d in flight, "
                + "%d cores, java %s%n", MESSAGES, WARMUP, POLLERS, IN_FLIGHT, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        try (EmbeddedSqs sqs = new EmbeddedSqs()) {
            String queue = sqs.createQueueWithDlq("bench", 120, 5)[0];
            Path ledgerDir = Files.createTempDirectory("snapline-bench");

            System.out.println("warming up ...");
            for (int done = 0; done < WARMUP; done += 20_000) {
                int n = Math.min(20_000, WARMUP - done);
                fill(sqs.client(), queue, n, "warm" + done);
                rawLoop(sqs.client(), queue, n);
                fill(sqs.client(), queue, n, "warmS" + done);
                snapline(sqs, queue, n, Duration.ZERO, IN_FLIGHT, ledgerDir.resolve("warm" + done + ".jsonl"));
            }

            fill(sqs.client(), queue, MESSAGES, "raw1");
            double raw1 = rawLoop(sqs.client(), queue, MESSAGES);
            fill(sqs.client(), queue, MESSAGES, "snap");
            double snap = snapline(sqs, queue, MESSAGES, Duration.ZERO, IN_FLIGHT, ledgerDir.resolve("snap.jsonl"));
            fill(sqs.client(), queue, MESSAGES, "raw2");
            double raw2 = rawLoop(sqs.client(), queue, MESSAGES);
            double raw = (raw1 + raw2) / 2;
            System.out.printf(Locale.ROOT, "(a) raw SDK loop (receive 10, batch delete, %d threads): %,.0f msg/s "
                    + "(runs: %,.0f and %,.0f)%n", POLLERS, raw, raw1, raw2);
            System.out.printf(Locale.ROOT, "(b) snapline end to end (parse, ledger claim, no-op handler, delete): "
                    + "%,.0f msg/s, ratio %.2f%n", snap, snap / raw);
            fill(sqs.client(), queue, MESSAGES, "raw3");
            double doubled = rawLoop(sqs.client(), queue, MESSAGES, POLLERS * 2);
            System.out.printf(Locale.ROOT, "(a') stricter baseline, the raw loop with %d threads (Snapline's pollers "
                    + "receive again while workers delete; this gives the raw loop the same overlap): %,.0f msg/s, "
                    + "snapline ratio %.2f%n", POLLERS * 2, doubled, snap / doubled);

            int slowCount = Math.max(1_000, IN_FLIGHT * 30);
            fill(sqs.client(), queue, slowCount, "slow");
            double slow = snapline(sqs, queue, slowCount, Duration.ofMillis(100), IN_FLIGHT,
                    ledgerDir.resolve("slow.jsonl"));
            System.out.printf(Locale.ROOT, "(c) snapline with 100 ms handlers, %d in flight: %,.0f msg/s "
                    + "(in-flight limit allows %,.0f msg/s)%n", IN_FLIGHT, slow, IN_FLIGHT / 0.1);

            long[] latencies = pacedLatency(sqs, queue, ledgerDir, Math.min(10_000, MESSAGES), snap * 0.5);
            System.out.printf(Locale.ROOT, "(d) enqueue-to-delete latency at %,.0f msg/s offered: p50 %d ms, p99 %d ms%n",
                    snap * 0.5, percentile(latencies, 50), percentile(latencies, 99));
            System.out.printf(Locale.ROOT, "peak RSS: %d MiB%n", peakRssKib() / 1024);
            System.out.printf(Locale.ROOT, "consumer/raw throughput ratio: %.2f%n", snap / raw);
        }
        System.exit(0);
    }

    private static void fill(SqsClient sqs, String queue, int count, String tag) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                try {
                    int start;
                    while ((start = next.getAndAdd(10)) < count) {
                        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int i = start; i < Math.min(count, start + 10); i++) {
                            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - start))
                                    .messageBody(body(tag, i)).build());
                        }
                        sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(entries));
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        pool.shutdown();
    }

    private static String body(String tag, int i) {
        return "{\"command\":\"noop\",\"requestId\":\"" + tag + "-" + i + "\",\"source\":\"orders-db\"}";
    }

    /** Baseline: POLLERS threads, each receiving 10 and deleting them in one batch. */
    private static double rawLoop(SqsClient sqs, String queue, int count) throws InterruptedException {
        return rawLoop(sqs, queue, count, POLLERS);
    }

    private static double rawLoop(SqsClient sqs, String queue, int count, int threads) throws InterruptedException {
        AtomicInteger deleted = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (deleted.get() < count) {
                        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                                .waitTimeSeconds(1).messageSystemAttributeNames(
                                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int i = 0; i < messages.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                    .receiptHandle(messages.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(r -> r.queueUrl(queue).entries(entries));
                        deleted.addAndGet(messages.size());
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        done.await();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Snapline's consumer with a no-op (or sleeping) handler, until {@code count} messages are deleted. */
    private static double snapline(EmbeddedSqs sqs, String queue, int count, Duration handlerTime, int inFlight,
                                   Path journal) throws Exception {
        QueueProperties properties = new QueueProperties(queue, null, POLLERS, inFlight, Duration.ofSeconds(1),
                Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10), 3);
        try (EmbeddedLedger ledger = new EmbeddedLedger(journal, Duration.ofDays(1), Clock.systemUTC())) {
            QueueTopology topology = new QueueTopology(sqs.client(), properties);
            MessageProcessor processor = new MessageProcessor(new MessageParser(),
                    TestRegistries.withCommands(noop(handlerTime)), ledger, properties, topology.queue());
            SqsConsumer consumer = new SqsConsumer(sqs.client(), topology, processor, properties,
                    new SimpleMeterRegistry());
            AtomicInteger deleted = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            consumer.addDeleteListener(m -> {
                if (deleted.incrementAndGet() == count) {
                    done.countDown();
                }
            });
            long start = System.nanoTime();
            consumer.start();
            done.await(10, TimeUnit.MINUTES);
            double rate = count / ((System.nanoTime() - start) / 1e9);
            consumer.stop();
            return rate;
        }
    }

    private static long[] pacedLatency(EmbeddedSqs sqs, String queue, Path dir, int count, double rate) throws Exception {
        long[] latencies = new long[count];
        QueueProperties properties = new QueueProperties(queue, null, POLLERS, IN_FLIGHT, Duration.ofSeconds(1),
                Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10), 3);
        try (EmbeddedLedger ledger = new EmbeddedLedger(dir.resolve("paced.jsonl"), Duration.ofDays(1), Clock.systemUTC())) {
            QueueTopology topology = new QueueTopology(sqs.client(), properties);
            SqsConsumer consumer = new SqsConsumer(sqs.client(), topology,
                    new MessageProcessor(new MessageParser(), TestRegistries.withCommands(noop(Duration.ZERO)), ledger,
                            properties, topology.queue()),
                    properties, new SimpleMeterRegistry());
            AtomicLong seen = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            consumer.addDeleteListener(m -> {
                int i = (int) seen.getAndIncrement();
                if (i < count) {
                    latencies[i] = System.currentTimeMillis()
                            - Long.parseLong(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP));
                    if (i == count - 1) {
                        done.countDown();
                    }
                }
            });
            consumer.start();
            long intervalNanos = (long) (1e9 * 10 / rate); // batches of 10
            long next = System.nanoTime();
            for (int i = 0; i < count; i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + 10); j++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j - i))
                            .messageBody(body("paced", j)).build());
                }
                sqs.client().sendMessageBatch(r -> r.queueUrl(queue).entries(entries));
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            done.await(5, TimeUnit.MINUTES);
            consumer.stop();
        }
        return latencies;
    }

    /** The benchmark's handler: does nothing, or sleeps for {@code handlerTime}. */
    private static CommandAction noop(Duration handlerTime) {
        return new CommandAction() {
            @Override
            public String name() {
                return "noop";
            }

            @Override
            public Outcome run(Command command) throws Exception {
                if (!handlerTime.isZero()) {
                    Thread.sleep(handlerTime.toMillis());
                }
                return Outcome.done("nothing to do");
            }
        };
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
