package io.snapline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeFaults;
import io.snapline.fake.FakeRds;
import io.snapline.fake.LoggedRequest;
import io.snapline.consumer.QueueTopology;
import io.snapline.message.Arn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import io.snapline.testing.EmbeddedSqs;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The reliability suite of issue 10: drives the service, a child JVM started with the Dockerfile's
 * JVM settings in an emulated 512 MiB container, through the real SDK clients against the embedded
 * SQS (ElasticMQ, in this JVM) and {@link FakeAws} (in this JVM, with its fault layer), and prints
 * one table: each row with its target, its measured figure and PASS/FAIL. Exits 1 when a target is
 * missed. Not a unit test: run it with {@code bench/run-reliability.sh} ({@code -Dreduced=true} for
 * the CI size, {@code -Drows=1,5} to run some rows only).
 *
 * <p>Every figure is a count of effects in the fakes' state (export tasks, object ACLs, SNS messages,
 * crawls), of messages in the queues, or of the service's answers; none is a time. Timeouts only
 * bound how long the suite waits for the service to finish.
 */
public final class ReliabilitySuite {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    static final String ACCT = FakeAws.ACCOUNT;
    static final String POLICY = "analytics";
    static final String INSTANCE = "orders";
    static final String BUCKET = "acme-analytics-exports";
    static final String CRAWLER = "orders-exports";
    static final String TOPIC = "arn:aws:sns:us-east-1:" + ACCT + ":snapline-exports";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:" + ACCT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String EXPORT_ROLE = "arn:aws:iam::" + ACCT + ":role/snapline-rds-export";
    static final String FULL_CONTROL = "bucket-owner-full-control";
    /** As the source-account module's default {@code max_receive_count}. */
    static final int MAX_RECEIVE_COUNT = 8;
    static final int VISIBILITY_SECONDS = 10;
    static final long BUDGET_KIB = 512L * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RDS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** One line of the table. */
    record Row(String row, String target, String measured, boolean pass, String what) {
    }

    private final boolean reduced;
    private final Set<String> selected;
    private final EmbeddedSqs sqs = new EmbeddedSqs();
    private final Path work;
    private final List<Row> rows = new ArrayList<>();
    private final Random random = new Random(10);
    private final HttpClient http = HttpClient.newHttpClient();
    /** Filled by row 5, read by row 6. */
    private long hostilePeakRssKib = -1;
    private long localPeakRssKib = -1;

    private ReliabilitySuite(boolean reduced, Set<String> selected) throws IOException {
        this.reduced = reduced;
        this.selected = selected;
        this.work = Files.createTempDirectory("snapline-reliability");
    }

    public static void main(String[] args) throws Exception {
        boolean reduced = Boolean.getBoolean("reduced");
        Set<String> selected = new HashSet<>(List.of(System.getProperty("rows", "1,2,3,4,5,6").split(",")));
        ReliabilitySuite suite = new ReliabilitySuite(reduced, selected);
        int status;
        try {
            status = suite.run();
        } finally {
            suite.sqs.close();
        }
        System.exit(status);
    }

    private int run() {
        System.out.println("Snapline reliability suite (" + (reduced ? "reduced" : "full") + "); work directory " + work);
        System.out.println("service JVM: " + safe(() -> String.join(" ", ServiceProcess.dockerfileJvmOptions()))
                + " -XX:MaxRAM=" + ServiceProcess.CONTAINER_MEMORY + " (the Dockerfile's JAVA_TOOL_OPTIONS)");
        row("1", this::duplicates);
        row("5", this::hostile); // before 2..4: row 6 reads its peak RSS
        row("2", this::crashes);
        row("4", this::sigterm);
        row("3", this::storm);
        if (selected.contains("6")) {
            rows.add(hostilePeakRssKib < 0
                    ? new Row("6 peak RSS under the hostile load", "< 512 MiB", "not measured (row 5 did not run)", false, "")
                    : new Row("6 peak RSS under the hostile load", "< 512 MiB (each service JVM)",
                            String.format(Locale.ROOT, "%.1f MiB (queue mode), %.1f MiB (local mode)",
                                    hostilePeakRssKib / 1024.0, localPeakRssKib / 1024.0),
                            hostilePeakRssKib > 0 && localPeakRssKib > 0 && hostilePeakRssKib < BUDGET_KIB && localPeakRssKib < BUDGET_KIB,
                            "VmHWM (/proc/<pid>/status) of each service JVM of row 5 (Dockerfile JVM options, -XX:MaxRAM=512m) "
                                    + "at the end of its load"));
        }
        rows.sort((a, b) -> a.row().compareTo(b.row()));
        printTable();
        return rows.stream().allMatch(Row::pass) ? 0 : 1;
    }

    private interface RowBody {
        void run() throws Exception;
    }

    private void row(String id, RowBody body) {
        if (!selected.contains(id)) {
            return;
        }
        long start = System.nanoTime();
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace(System.out);
            rows.add(new Row(id + " (did not finish)", "finishes", String.valueOf(e), false, ""));
        }
        System.out.printf(Locale.ROOT, "row %s took %.0f s%n", id, (System.nanoTime() - start) / 1e9);
    }

    // ------------------------------------------------------------------ row 1: duplicates

    private void duplicates() throws Exception {
        int n = reduced ? 60 : 1000;
        try (Rig rig = new Rig("dup", MAX_RECEIVE_COUNT)) {
            rig.fake.glue().instantCrawls(true); // one crawler, n exports: each StartCrawler must find it READY
            List<String> ids = rig.seed("dup", n);
            rig.player(3, false);
            rig.start(Map.of());
            List<String> bodies = new ArrayList<>();
            for (String id : ids) {
                bodies.addAll(createdDeliveries(id, 3));
            }
            Collections.shuffle(bodies, random);
            rig.send(bodies);
            boolean finished = rig.awaitComplete(ids, Duration.ofSeconds(reduced ? 180 : 900));
            rig.awaitQuiet(Duration.ofSeconds(60));
            Tally t = rig.tally(ids);
            int dlq = rig.dlqDepth();
            boolean pass = finished && t.exactlyOnce(n) && dlq == 0;
            rows.add(new Row("1 each event delivered 3x, shuffled (SNS, EventBridge, re-published copy)",
                    "per event: 1 export, 1 PutObjectAcl per object, 1 notification, crawl step done; crawls started <= events; DLQ 0",
                    n + " events: " + t.describe() + "; DLQ " + dlq, pass,
                    "effects counted in the fakes' state; " + (3 * n) + " created + " + (3 * n) + " completed deliveries"));
        }
    }

    // ------------------------------------------------------------------ row 2: crashes

    private record CrashPoint(String name, String operation, long nth, FakeFaults.Phase phase) {
    }

    private void crashes() throws Exception {
        List<CrashPoint> points = List.of(
                new CrashPoint("event claimed", "DescribeDBSnapshots", 1, FakeFaults.Phase.NOT_APPLIED),
                new CrashPoint("export kickoff claimed", "GetBucketOwnershipControls", 1, FakeFaults.Phase.NOT_APPLIED),
                new CrashPoint("StartExportTask sent, answer lost", "StartExportTask", 1, FakeFaults.Phase.AFTER_APPLIED),
                new CrashPoint("ACL rewrite mid-way (5 of 10)", "PutObjectAcl", 5, FakeFaults.Phase.AFTER_APPLIED),
                new CrashPoint("notification claimed", "Publish", 1, FakeFaults.Phase.NOT_APPLIED),
                new CrashPoint("crawl claimed", "StartCrawler", 1, FakeFaults.Phase.NOT_APPLIED),
                new CrashPoint("StartCrawler sent, answer lost", "StartCrawler", 1, FakeFaults.Phase.AFTER_APPLIED));
        int resumed = 0;
        int lost = 0;
        int duplicated = 0;
        List<String> details = new ArrayList<>();
        int i = 0;
        for (CrashPoint p : points) {
            i++;
            // a 5 s visibility timeout (and so lease): the restart takes the dead process's claim over sooner
            try (Rig rig = new Rig("crash" + i, MAX_RECEIVE_COUNT, 5)) {
                String id = rig.seed("crash" + i, 1).get(0);
                rig.partsPerTable = new int[] {8}; // 8 parts + 2 export_info files: 10 objects to rewrite
                rig.player(1, true);
                rig.start(Map.of());
                AtomicBoolean killed = new AtomicBoolean();
                ServiceProcess first = rig.service;
                rig.fake.faults().onCall(p.operation(), p.nth(), p.phase(), () -> {
                    try {
                        first.kill();
                        killed.set(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                rig.send(createdDeliveries(id, 1));
                await(killed::get, Duration.ofSeconds(120));
                if (!killed.get()) {
                    details.add(p.name() + ": crash point never reached");
                    lost++;
                    continue;
                }
                rig.start(Map.of()); // the same ledger journal, the same queue
                boolean finished = rig.awaitComplete(List.of(id), Duration.ofSeconds(180));
                rig.awaitQuiet(Duration.ofSeconds(60));
                Tally t = rig.tally(List.of(id));
                boolean dup = t.exports > 1 || t.maxNotifications > 1 || t.crawls > 1 || t.startedTwice > 0;
                if (finished && t.complete == 1) {
                    resumed++;
                } else {
                    lost++;
                }
                if (dup) {
                    duplicated++;
                }
                details.add(p.name() + ": " + (finished ? "resumed" : "LOST") + (dup ? ", DUPLICATED " : ", ") + t.describe());
            }
        }
        details.forEach(d -> System.out.println("  crash at " + d));
        rows.add(new Row("2 kill -9 at each export step (" + points.size() + " points), restart",
                "resumed " + points.size() + ", lost 0, duplicated 0",
                "resumed " + resumed + ", lost " + lost + ", duplicated " + duplicated,
                resumed == points.size() && lost == 0 && duplicated == 0,
                "SIGKILL of the service JVM from a fake's hook; effects counted in the fakes' state"));
    }

    // ------------------------------------------------------------------ row 3: storm

    private void storm() throws Exception {
        int n = reduced ? 12 : 200;
        try (Rig rig = new Rig("storm", MAX_RECEIVE_COUNT)) {
            rig.fake.glue().instantCrawls(true);
            List<String> ids = rig.seed("storm", n);
            rig.player(1, false);
            rig.fake.faults().throttle(0.5).serverErrors(0.05).dropConnections(0.05).latency(0.2, Duration.ofMillis(100));
            rig.start(Map.of());
            List<String> bodies = new ArrayList<>();
            ids.forEach(id -> bodies.addAll(createdDeliveries(id, 1)));
            rig.send(bodies);
            boolean finished = rig.awaitComplete(ids, Duration.ofSeconds(reduced ? 480 : 900));
            rig.awaitQuiet(Duration.ofSeconds(60));
            Map<String, Long> injected = rig.fake.faults().injectedCounts();
            rig.fake.faults().off();
            Tally t = rig.tally(ids);
            int dlq = rig.dlqDepth();
            rows.add(new Row("3 storm: 50% throttling, 5% 5xx, 5% dropped connections, 20% +100 ms",
                    "every pipeline completes; DLQ 0",
                    "completed " + t.complete + "/" + n + "; DLQ " + dlq + "; faults injected " + injected,
                    finished && t.complete == n && dlq == 0 && t.exports == n,
                    "every AWS operation of the fakes faulted (SQS not); " + t.describe()));
        }
    }

    // ------------------------------------------------------------------ row 4: SIGTERM

    private void sigterm() throws Exception {
        int n = 100;
        try (Rig rig = new Rig("term", MAX_RECEIVE_COUNT)) {
            rig.fake.glue().instantCrawls(true);
            List<String> ids = rig.seed("term", n);
            rig.player(1, false);
            rig.fake.faults().latency(1.0, Duration.ofMillis(1500));
            rig.start(Map.of("snapline.queue.max-in-flight", "128", "snapline.queue.shutdown-deadline", "60s"));
            List<String> bodies = new ArrayList<>();
            ids.forEach(id -> bodies.addAll(createdDeliveries(id, 1)));
            rig.send(bodies);
            await(() -> rig.notVisible() >= n, Duration.ofSeconds(60));
            int inFlight = rig.notVisible();
            int callsBefore = rig.fake.requests().size();
            int status = rig.service.terminate(Duration.ofSeconds(120));
            int callsAtExit = rig.fake.requests().size();
            rig.fake.faults().off();
            rig.start(Map.of());
            boolean finished = rig.awaitComplete(ids, Duration.ofSeconds(300));
            rig.awaitQuiet(Duration.ofSeconds(60));
            Tally t = rig.tally(ids);
            int lost = n - t.complete;
            int dlq = rig.dlqDepth();
            rows.add(new Row("4 SIGTERM with " + inFlight + " messages in flight (every AWS call +1.5 s), restart",
                    "lost 0; exit status 0",
                    "lost " + lost + "; exit status " + status + "; DLQ " + dlq,
                    finished && lost == 0 && status == 0 && dlq == 0 && t.exports == n && t.startedTwice == 0,
                    "AWS calls during the drain: " + (callsAtExit - callsBefore) + "; after restart " + t.describe()));
        }
    }

    // ------------------------------------------------------------------ row 5: hostile bodies

    private void hostile() throws Exception {
        int n = reduced ? 5_000 : 100_000;
        try (Rig rig = new Rig("hostile", 5)) {
            List<String> after = rig.seed("after", 1);
            rig.player(1, false);
            rig.start(Map.of());
            // POST /events exists in local mode only: a second service, as `java -jar snapline.jar` runs
            // on a laptop, takes the raw bytes; its own embedded SQS (a free port) holds its DLQ
            int localSqsPort = freePort();
            ServiceProcess local = ServiceProcess.start(Map.of("snapline.local.sqs-port", Integer.toString(localSqsPort),
                    "snapline.ledger.path", work.resolve("hostile-local-ledger.jsonl").toString()), work.resolve("hostile-local-service.log"));
            SqsClient localSqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + localSqsPort))
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("test", "test"))).build();
            String localQueue = localSqs.getQueueUrl(r -> r.queueName(QueueTopology.LOCAL_QUEUE)).queueUrl();
            String localDlq = localSqs.getQueueUrl(r -> r.queueName(QueueTopology.LOCAL_DLQ)).queueUrl();
            HostileBodies gen = new HostileBodies(42);
            Map<String, AtomicLong> postAnswers = new TreeMap<>();
            AtomicLong sqsRefused = new AtomicLong();
            AtomicLong sqsSent = new AtomicLong();
            DlqAudit audit = new DlqAudit(sqs.client(), rig.dlqUrl);
            DlqAudit localAudit = new DlqAudit(localSqs, localDlq);
            Thread auditor = new Thread(audit, "dlq-audit");
            auditor.setDaemon(true);
            auditor.start();
            Thread localAuditor = new Thread(localAudit, "local-dlq-audit");
            localAuditor.setDaemon(true);
            localAuditor.start();
            List<byte[]> sqsBatch = new ArrayList<>();
            java.util.concurrent.ExecutorService posters = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(16);
            for (int i = 0; i < n; i++) {
                byte[] body = gen.next();
                if (i % 2 == 0) {
                    window.acquire();
                    posters.execute(() -> {
                        try {
                            int status = local.postEvent(body);
                            postAnswers.computeIfAbsent(Integer.toString(status), k -> new AtomicLong()).incrementAndGet();
                        } finally {
                            window.release();
                        }
                    });
                } else {
                    sqsBatch.add(body);
                    if (sqsBatch.size() == 10) {
                        rig.sendHostile(sqsBatch, sqsSent, sqsRefused);
                        sqsBatch.clear();
                    }
                }
                if (i % 2000 == 0) {
                    while (rig.visible() > 2000 || visible(localSqs, localQueue) > 2000) {
                        Thread.sleep(200); // keep ElasticMQ's memory bounded: the service drains it
                    }
                    if (i % 20_000 == 0) {
                        System.out.println("  hostile: " + i + " sent; POST answers " + postAnswers + "; DLQ seen " + audit.seen
                                + " + " + localAudit.seen);
                    }
                }
            }
            rig.sendHostile(sqsBatch, sqsSent, sqsRefused);
            posters.shutdown();
            posters.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            rig.awaitQuiet(Duration.ofSeconds(reduced ? 180 : 900));
            await(() -> depth(localSqs, localQueue) == 0, Duration.ofSeconds(reduced ? 180 : 900));
            int depthLeft = rig.depth() + depth(localSqs, localQueue);
            boolean alive = rig.service.alive() && local.alive();
            // a normal snapshot event after the storm is still exported
            rig.send(createdDeliveries(after.get(0), 1));
            boolean exported = await(() -> rig.fake.rds().exportTasks().stream()
                    .anyMatch(t -> t.sourceArn().endsWith(":snapshot:" + after.get(0))), Duration.ofSeconds(60));
            int health = rig.service.health();
            int localHealth = local.health();
            hostilePeakRssKib = rig.service.peakRssKib();
            localPeakRssKib = local.peakRssKib();
            Thread.sleep(3000);
            audit.stop();
            localAudit.stop();
            auditor.join(30_000);
            localAuditor.join(30_000);
            local.close();
            localSqs.close();
            long dlqSeen = audit.seen + localAudit.seen;
            List<String> bad = new ArrayList<>(audit.bad);
            bad.addAll(localAudit.bad);
            Map<String, Long> kinds = new TreeMap<>(audit.kinds);
            localAudit.kinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
            long crashes = (alive ? 0 : 1) + postAnswers.entrySet().stream()
                    .filter(e -> e.getKey().equals("-1") || e.getKey().startsWith("5") && !e.getKey().equals("502"))
                    .mapToLong(e -> e.getValue().get()).sum();
            System.out.println("  hostile: POST /events answers " + postAnswers + "; SQS sent " + sqsSent + ", refused by SQS "
                    + sqsRefused + "; DLQ " + dlqSeen + " (kinds " + kinds + "); left in the queues " + depthLeft);
            bad.stream().limit(5).forEach(b -> System.out.println("  DLQ message without a valid reason: " + b));
            rows.add(new Row("5 " + n + " hostile bodies (half POST /events bytes, half SQS strings)",
                    "crashes 0; DLQ without a valid reason 0; later event exported; /health UP",
                    "crashes " + crashes + "; DLQ without a valid reason " + bad.size() + " of " + dlqSeen
                            + "; later event exported " + (exported ? "yes" : "NO") + "; /health " + (health == 200 ? "UP" : health)
                            + " (local mode " + (localHealth == 200 ? "UP" : localHealth) + ")",
                    crashes == 0 && bad.isEmpty() && exported && health == 200 && localHealth == 200 && alive && depthLeft == 0,
                    "POST /events to a local-mode service, SQS strings to the queue-mode one; crash = a service exited, "
                            + "POST answered 500 or not at all; POST answers " + postAnswers + "; " + gen.fixtureCount() + " fixtures mutated; "
                            + "SQS refused " + sqsRefused + " of the string forms at send (invalid SQS characters)"));
        }
    }

    /** Receives, checks and deletes what reaches a dead-letter queue, while a row runs. */
    private static final class DlqAudit implements Runnable {
        private final SqsClient client;
        private final String dlqUrl;
        private volatile boolean stop;
        volatile long seen;
        final List<String> bad = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> kinds = new ConcurrentHashMap<>();

        DlqAudit(SqsClient client, String dlqUrl) {
            this.client = client;
            this.dlqUrl = dlqUrl;
        }

        void stop() {
            stop = true;
        }

        @Override
        public void run() {
            while (true) {
                List<Message> page = client.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageAttributeNames("All")).messages();
                if (page.isEmpty() && stop) {
                    return;
                }
                for (Message m : page) {
                    seen++;
                    MessageAttributeValue reason = m.messageAttributes().get("snapline-failure-reason");
                    MessageAttributeValue kind = m.messageAttributes().get("snapline-failure-kind");
                    kinds.merge(kind == null ? "none" : kind.stringValue(), 1L, Long::sum);
                    String problem = reasonProblem(reason == null ? null : reason.stringValue());
                    if (problem != null) {
                        bad.add(problem + " (body " + m.body().length() + " chars: "
                                + m.body().substring(0, Math.min(80, m.body().length())).replaceAll("\\p{Cntrl}", "?") + ")");
                    }
                    client.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    /** Why a failure reason is not valid (absent, empty, too long, not single-line, not SQS-safe), or null. */
    static String reasonProblem(String reason) {
        if (reason == null) {
            return "no snapline-failure-reason";
        }
        if (reason.isBlank()) {
            return "blank reason";
        }
        if (reason.length() > 4000) {
            return "reason of " + reason.length() + " chars";
        }
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            boolean ok = cp == 0x9 || cp >= 0x20 && cp <= 0xD7FF || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 && cp <= 0x10FFFF;
            if (!ok || Character.isSurrogate(reason.charAt(i)) && Character.charCount(cp) == 1) {
                return "reason with character U+" + Integer.toHexString(cp);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    // ------------------------------------------------------------------ events

    /** The "snapshot created" deliveries of one snapshot: SNS, then EventBridge, then an SNS copy with a new id. */
    private List<String> createdDeliveries(String id, int copies) {
        String now = Instant.now().toString();
        String sns = fixture("events/sns/rds-0042-manual-db-snapshot.json").replace("orders-before-migration", id)
                .replace("2024-05-01 10:15:30.947", RDS_TIME.format(Instant.now()));
        String eb = fixture("events/eventbridge/rds-db-snapshot-0042.json").replace("orders-before-migration", id)
                .replace("cdd3c9cb-012d-5eae-b0a8-8582fe56227c", UUID.randomUUID().toString())
                .replace("2024-05-01T10:15:30.947Z", now).replace("2024-05-01T10:15:31Z", now);
        return deliveries(sns, "bac30eba-ebd8-5dd3-9b30-725e23e8891a", eb, copies);
    }

    /** The "export completed" (RDS-EVENT-0161) deliveries of one snapshot. */
    static List<String> completedDeliveries(String id, int copies) {
        String now = Instant.now().toString();
        String sns = fixture("events/sns/rds-0161-export-completed.json").replace("rds:orders-db-2024-05-01-03-10", id)
                .replace("2024-05-01 04:55:12.101", RDS_TIME.format(Instant.now()));
        String eb = fixture("events/eventbridge/rds-export-0161.json").replace("rds:orders-db-2024-05-01-03-10", id)
                .replace("3ed751e2-b32b-5abb-a2d1-da11b8d7d398", UUID.randomUUID().toString())
                .replace("2024-05-01T04:55:12.101Z", now).replace("2024-05-01T04:55:12Z", now);
        return deliveries(sns, "b1e4fd36-7774-5288-afef-11527868249e", eb, copies);
    }

    private static List<String> deliveries(String sns, String snsMessageId, String eventBridge, int copies) {
        List<String> out = new ArrayList<>();
        out.add(sns.replace(snsMessageId, UUID.randomUUID().toString()));
        if (copies > 1) {
            out.add(eventBridge);
        }
        for (int c = 2; c < copies; c++) {
            out.add(sns.replace(snsMessageId, UUID.randomUUID().toString())); // re-published: a new SNS MessageId
        }
        return out;
    }

    static String fixture(String path) {
        return new String(HostileBodies.fixture(path), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ counting effects

    /** Effects of a set of events, counted in the fakes' state. */
    static final class Tally {
        int events;
        int complete;
        int exports;
        int eventsWithOneExport;
        int objects;
        int objectsWithAcl;
        int maxAclCallsPerObject;
        int eventsWithOneAclRewrite;
        int maxNotifications;
        int eventsWithOneNotification;
        int crawlStepsDone;
        int crawls;
        int startedTwice;
        List<String> incomplete = new ArrayList<>();

        boolean exactlyOnce(int n) {
            return events == n && complete == n && eventsWithOneExport == n && eventsWithOneAclRewrite == n
                    && eventsWithOneNotification == n && crawlStepsDone == n && crawls >= 1 && crawls <= n && startedTwice == 0;
        }

        String describe() {
            return "complete " + complete + "/" + events + ", exports " + exports + " (1 each: " + eventsWithOneExport
                    + "), ACL rewrites 1 each: " + eventsWithOneAclRewrite + " (objects " + objectsWithAcl + "/" + objects
                    + ", max PutObjectAcl per object " + maxAclCallsPerObject + "), notifications 1 each: "
                    + eventsWithOneNotification + " (max " + maxNotifications + "), crawl steps done " + crawlStepsDone
                    + ", crawls started " + crawls + (startedTwice > 0 ? ", StartExportTask applied twice " + startedTwice : "")
                    + (incomplete.isEmpty() ? "" : ", incomplete e.g. " + incomplete.subList(0, Math.min(3, incomplete.size())));
        }
    }

    // ------------------------------------------------------------------ the world of one row

    /** One row's world: a FakeAws, a queue with its DLQ, a ledger journal, the service and the RDS player. */
    final class Rig implements AutoCloseable {
        final FakeAws fake = new FakeAws();
        final String name;
        final String queueUrl;
        final String dlqUrl;
        final Path ledger;
        final Path log;
        volatile ServiceProcess service;
        int[] partsPerTable = {1};
        private Thread player;
        private volatile boolean closing;

        Rig(String name, int maxReceiveCount) throws IOException {
            this(name, maxReceiveCount, VISIBILITY_SECONDS);
        }

        Rig(String name, int maxReceiveCount, int visibilitySeconds) throws IOException {
            this.name = name;
            String[] urls = sqs.createQueueWithDlq("reliability-" + name, visibilitySeconds, maxReceiveCount);
            queueUrl = urls[0];
            dlqUrl = urls[1];
            ledger = work.resolve(name + "-ledger.jsonl");
            log = work.resolve(name + "-service.log");
            fake.s3().createBucket(BUCKET, ACCT, "BucketOwnerPreferred");
            fake.glue().addCrawler(CRAWLER, "s3://" + BUCKET + "/rds/");
            // the player completes exports within ~100 ms; AWS's limit of 5 would only add 5-minute re-checks
            fake.rds().concurrentExportLimit(10_000);
        }

        /** Seeds {@code n} available manual snapshots of the instance the policy takes; answers their ids. */
        List<String> seed(String prefix, int n) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                fake.rds().addDbSnapshot(id, INSTANCE).engine("postgres").createdAt(Instant.now().minusSeconds(60));
                ids.add(id);
            }
            return ids;
        }

        void start(Map<String, String> extra) throws IOException, InterruptedException {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("snapline.region", "us-east-1");
            c.put("snapline.aws.endpoint", fake.endpoint().toString());
            c.put(io.snapline.testing.QueueModeApp.EmbeddedSqsClient.PROPERTY, sqs.endpoint().toString());
            c.put("snapline.queue.url", queueUrl);
            c.put("snapline.queue.wait-time", "1s");
            c.put("snapline.queue.backoff-base", "1s");
            c.put("snapline.queue.backoff-max", "5s");
            c.put("snapline.queue.shutdown-deadline", "20s");
            c.put("snapline.ledger.store", "embedded");
            c.put("snapline.ledger.path", ledger.toString());
            String p = "snapline.exports." + POLICY + ".";
            c.put(p + "sources", INSTANCE);
            c.put(p + "bucket", BUCKET);
            c.put(p + "prefix", "rds/{source}/{date}");
            c.put(p + "kms-key", KMS_KEY);
            c.put(p + "export-role-arn", EXPORT_ROLE);
            c.put(p + "crawler", CRAWLER);
            c.put(p + "acl-mode", "per-object");
            c.put(p + "notification-topic", TOPIC);
            c.put(p + "bucket-owner-account", ACCT);
            c.putAll(extra);
            service = ServiceProcess.start(c, log);
        }

        /**
         * Plays RDS and Glue: completes every started export (writing its files) and then delivers its
         * "export completed" event {@code copies} times, shuffled with the others of the moment; with
         * {@code finishCrawls}, ends a running crawl after a second, as Glue would.
         */
        void player(int copies, boolean finishCrawls) {
            Set<String> done = ConcurrentHashMap.newKeySet();
            player = new Thread(() -> {
                Instant crawlSeen = null;
                while (!closing) {
                    try {
                        List<String> bodies = new ArrayList<>();
                        for (FakeRds.ExportTask t : fake.rds().exportTasks()) {
                            if (t.status().equals("STARTING") && done.add(t.taskId())) {
                                fake.rds().completeExport(t.taskId(), ACCT, partsPerTable);
                                bodies.addAll(completedDeliveries(snapshotId(t.sourceArn()), copies));
                            }
                        }
                        Collections.shuffle(bodies, new Random(bodies.size()));
                        send(bodies);
                        if (finishCrawls && fake.glue().state(CRAWLER).equals("RUNNING")) {
                            crawlSeen = crawlSeen == null ? Instant.now() : crawlSeen;
                            if (Instant.now().isAfter(crawlSeen.plusSeconds(1))) {
                                fake.glue().finishCrawl(CRAWLER, "SUCCEEDED");
                                crawlSeen = null;
                            }
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        if (!closing) {
                            System.out.println("  player: " + e);
                        }
                    }
                }
            }, "rds-player-" + name);
            player.setDaemon(true);
            player.start();
        }

        void send(List<String> bodies) {
            for (int i = 0; i < bodies.size(); i += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(i + 10, bodies.size()); j++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
                }
                var result = sqs.client().sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                if (!result.failed().isEmpty()) {
                    throw new IllegalStateException("SQS refused a suite event: " + result.failed());
                }
            }
        }

        /** Sends the string forms of hostile bodies one by one (a refused one must not take the batch with it). */
        void sendHostile(List<byte[]> bodies, AtomicLong sent, AtomicLong refused) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = 0; j < bodies.size(); j++) {
                String s = HostileBodies.asSqsString(bodies.get(j));
                if (s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length > HostileBodies.LIMIT) {
                    refused.incrementAndGet(); // SQS refuses empty and oversized bodies before they exist
                    continue;
                }
                entries.add(SendMessageBatchRequestEntry.builder().id("h" + j).messageBody(s).build());
            }
            if (entries.isEmpty()) {
                return;
            }
            try {
                var result = sqs.client().sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                sent.addAndGet(result.successful().size());
                refused.addAndGet(result.failed().size());
            } catch (SqsException e) {
                for (SendMessageBatchRequestEntry entry : entries) { // the whole batch refused: one by one
                    try {
                        sqs.client().sendMessage(r -> r.queueUrl(queueUrl).messageBody(entry.messageBody()));
                        sent.incrementAndGet();
                    } catch (SqsException one) {
                        refused.incrementAndGet();
                    }
                }
            }
        }

        /** Waits until every event's pipeline is complete: export, ACLs on every object, notification, crawl step. */
        boolean awaitComplete(List<String> ids, Duration within) throws InterruptedException {
            Instant end = Instant.now().plus(within);
            Instant nextReport = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(end)) {
                Tally t = tally(ids);
                if (t.complete == ids.size()) {
                    return true;
                }
                if (Instant.now().isAfter(nextReport)) {
                    System.out.println("  " + name + ": " + t.describe() + "; queue " + depth() + ", DLQ " + dlqDepth());
                    nextReport = Instant.now().plusSeconds(30);
                }
                Thread.sleep(1000);
            }
            return false;
        }

        /** Waits until the queue is empty (nothing visible, in flight or delayed), then a few seconds more. */
        void awaitQuiet(Duration within) throws InterruptedException {
            await(() -> depth() == 0, within);
            Thread.sleep(3000);
        }

        /**
         * Counts the effects of {@code ids}. One crawler serves every export: a crawl that started after
         * an export's files landed covers it (CrawlerStarter), so crawls are not attributed to events; an
         * event's crawl is its crawl step DONE in GET /pipelines, and a duplicated crawl is more crawls
         * started than events.
         */
        Tally tally(List<String> ids) {
            Tally t = new Tally();
            t.events = ids.size();
            Map<String, List<FakeRds.ExportTask>> tasks = new HashMap<>();
            for (FakeRds.ExportTask task : fake.rds().exportTasks()) {
                tasks.computeIfAbsent(snapshotId(task.sourceArn()), k -> new ArrayList<>()).add(task);
            }
            Map<String, Integer> aclCalls = new HashMap<>();
            for (LoggedRequest r : fake.answered("PutObjectAcl")) {
                aclCalls.merge(r.params().get("Key"), 1, Integer::sum);
            }
            Map<String, Integer> started = new HashMap<>();
            for (LoggedRequest r : fake.answered("StartExportTask")) {
                started.merge(r.params().get("ExportTaskIdentifier"), 1, Integer::sum);
            }
            Map<String, Integer> notices = new HashMap<>();
            for (var m : fake.sns().messages(TOPIC)) {
                try {
                    JsonNode body = JSON.readTree(m.body());
                    if (body.path("event").asText().equals("export-completed")) {
                        notices.merge(body.path("exportTaskId").asText(), 1, Integer::sum);
                    }
                } catch (IOException e) {
                    notices.merge("unreadable", 1, Integer::sum);
                }
            }
            t.crawls = fake.glue().crawls(CRAWLER).size();
            for (String id : ids) {
                List<FakeRds.ExportTask> mine = tasks.getOrDefault(id, List.of());
                t.exports += mine.size();
                if (mine.size() != 1) {
                    t.incomplete.add(id + ": " + mine.size() + " exports");
                    continue;
                }
                t.eventsWithOneExport++;
                FakeRds.ExportTask task = mine.get(0);
                if (started.getOrDefault(task.taskId(), 0) > 1) {
                    t.startedTwice++;
                }
                var objects = fake.s3().objects(BUCKET, task.folder());
                int withAcl = 0;
                boolean oneCallEach = !objects.isEmpty();
                for (var o : objects) {
                    int calls = aclCalls.getOrDefault(o.key(), 0);
                    t.maxAclCallsPerObject = Math.max(t.maxAclCallsPerObject, calls);
                    oneCallEach &= calls == 1;
                    if (FULL_CONTROL.equals(o.acl())) {
                        withAcl++;
                    }
                }
                t.objects += objects.size();
                t.objectsWithAcl += withAcl;
                if (oneCallEach) {
                    t.eventsWithOneAclRewrite++;
                }
                int n = notices.getOrDefault(task.taskId(), 0);
                t.maxNotifications = Math.max(t.maxNotifications, n);
                if (n == 1) {
                    t.eventsWithOneNotification++;
                }
                boolean crawlDone = crawlStepDone(id);
                if (crawlDone) {
                    t.crawlStepsDone++;
                }
                boolean complete = !objects.isEmpty() && withAcl == objects.size() && n >= 1 && crawlDone;
                if (complete) {
                    t.complete++;
                } else {
                    t.incomplete.add(id + ": acl " + withAcl + "/" + objects.size() + ", notices " + n + ", crawl " + crawlDone);
                }
            }
            return t;
        }

        private final Set<String> crawlDone = ConcurrentHashMap.newKeySet();

        /** GET /pipelines/{snapshot}: is the crawl step DONE? (Remembered once it is: DONE stays DONE.) */
        boolean crawlStepDone(String id) {
            if (crawlDone.contains(id)) {
                return true;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(service.url("/pipelines/" + id)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return false;
                }
                for (JsonNode s : JSON.readTree(r.body()).path("steps")) {
                    if (s.path("name").asText().equals("crawl:" + POLICY) && s.path("state").asText().equals("DONE")) {
                        crawlDone.add(id);
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        int depth() {
            return sqs.depth(queueUrl);
        }

        int dlqDepth() {
            return sqs.depth(dlqUrl);
        }

        int visible() {
            return attribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        }

        int notVisible() {
            return attribute(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        }

        private int attribute(QueueAttributeName a) {
            return Integer.parseInt(sqs.client().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(a))
                    .attributes().get(a));
        }

        @Override
        public void close() throws InterruptedException {
            closing = true;
            if (player != null) {
                player.interrupt();
                player.join(5000);
            }
            if (service != null) {
                service.close();
            }
            fake.close();
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int visible(SqsClient client, String url) {
        return Integer.parseInt(client.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    static int depth(SqsClient client, String url) {
        return client.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().values().stream().mapToInt(Integer::parseInt).sum();
    }

    static String snapshotId(String sourceArn) {
        return Arn.parse(sourceArn).map(Arn::resourceId).orElse(sourceArn);
    }

    // ------------------------------------------------------------------ helpers

    static boolean await(BooleanSupplier condition, Duration within) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private interface Text {
        String get() throws Exception;
    }

    private static String safe(Text t) {
        try {
            return t.get();
        } catch (Exception e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private void printTable() {
        System.out.println();
        System.out.println("| row | target | measured | result |");
        System.out.println("|---|---|---|---|");
        for (Row r : rows) {
            System.out.println("| " + r.row() + " | " + r.target() + " | " + r.measured() + " | " + (r.pass() ? "PASS" : "FAIL") + " |");
        }
        System.out.println();
        for (Row r : rows) {
            if (!r.what().isEmpty()) {
                System.out.println("row " + r.row().split(" ")[0] + ": " + r.what());
            }
        }
        System.out.println(rows.stream().allMatch(Row::pass) ? "ALL TARGETS MET" : "TARGETS MISSED: "
                + rows.stream().filter(r -> !r.pass()).map(r -> r.row().split(" ")[0]).toList());
    }
}
