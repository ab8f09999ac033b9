package io.snapline.bench;

import io.snapline.aws.FakeAwsFixture;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.fake.FakeAws;
import io.snapline.fake.LoggedRequest;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway.ExportRequest;
import io.snapline.handler.prune.DeleteRateLimiter;
import io.snapline.handler.prune.PrunePlans;
import io.snapline.handler.prune.PruneReport;
import io.snapline.handler.prune.PruneRequest;
import io.snapline.handler.prune.Pruner;
import io.snapline.testing.TestLedger;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The pruning benchmark (not a test): plans and prunes N snapshots, then an export of M objects,
 * through the real SDK gateways against the wire-protocol fakes, each at a quarter of the size and
 * at full size, and prints the API calls made per item and the heap the run added above the seeded
 * fake's: the peak (sampled every 5 ms, garbage included, so mostly the young generation's size) and
 * what is retained after a GC. Calls per item should not grow and the heap should stay flat as the
 * count grows: listing holds one page, deleting one batch.
 * Run: {@code bench/run-prune-benchmark.sh} ({@code -Dsnapshots=10000 -Dobjects=200000}).
 */
public final class PruneBenchmark {

    private static final int SNAPSHOTS = Integer.getInteger("snapshots", 10_000);
    private static final int OBJECTS = Integer.getInteger("objects", 200_000);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private PruneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "snapline prune benchmark: %d snapshots, %d objects, java %s%n", SNAPSHOTS,
                OBJECTS, System.getProperty("java.version"));
        for (int n : new int[] {SNAPSHOTS / 4, SNAPSHOTS}) {
            snapshots(n);
        }
        for (int m : new int[] {OBJECTS / 4, OBJECTS}) {
            exports(m);
        }
    }

    static Pruner pruner(FakeAwsFixture env, PrunePlans plans, List<RetentionPolicy> policies,
                         List<ExportRetentionProperties> exports) {
        return new Pruner(env.gateways(), new TestLedger(), policies, exports,
                new PruneProperties(1_000_000, null, 1000, Duration.ofMinutes(5)), false, plans,
                Clock.systemUTC(), new DeleteRateLimiter(1_000_000));
    }

    /** The plans the run stored in the ledger (the embedded journal): their size and pages. */
    static void printStored(PrunePlans plans) {
        plans.latestOfAll().forEach((name, s) -> System.out.printf(Locale.ROOT,
                "  plan %s stored in the ledger: %d chars in %d page(s) of at most %d%n", name, s.chars(), s.pages(),
                PrunePlans.PAGE_CHARS));
    }

    /** 20 sources; a tenth of the snapshots managed; keep-last leaves 20% of the managed ones to delete. */
    static void snapshots(int n) {
        try (FakeAwsFixture env = new FakeAwsFixture()) {
            FakeAws fake = env.fake();
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                String source = "db-" + (i / 10 % 20);
                if (i % 10 == 0) {
                    fake.rds().addDbSnapshot("snapline-" + source + "-" + i, source)
                            .createdAt(now.minus(Duration.ofMinutes(i))).tag("snapline:managed", "true");
                } else {
                    fake.rds().addDbSnapshot("rds:" + source + "-" + i, source).createdAt(now.minus(Duration.ofMinutes(i)));
                }
            }
            int managedPerSource = n / 10 / 20;
            RetentionPolicy policy = new RetentionPolicy("bench", List.of("db-*"), "instance", "snapline-", null,
                    managedPerSource * 4 / 5, null, null, null, "UTC", null, n, 100, null);
            PrunePlans plans = new PrunePlans();
            Pruner pruner = pruner(env, plans, List.of(policy), List.of());
            measure("snapshots", n, fake, () -> pruner.run(PruneRequest.all(false)).deletedSnapshots());
            printStored(plans);
        }
    }

    /** One old export of m objects (100 tables) and a newer small one; keep-last 1 deletes the old one. */
    static void exports(int m) {
        try (FakeAwsFixture env = new FakeAwsFixture()) {
            FakeAws fake = env.fake();
            fake.s3().createBucket("lake");
            int[] tables = new int[100];
            java.util.Arrays.fill(tables, m / 100);
            start(env, "exp-old", "snap-old");
            fake.rds().completeExport("exp-old", tables);
            start(env, "exp-new", "snap-new");
            fake.rds().completeExport("exp-new", 1);
            ExportRetentionProperties policy = new ExportRetentionProperties("bench", "lake", "exports/{source}",
                    List.of("orders"), null, null, null, null, null, null, null, new ExportRetentionProperties.Retention(null, 1, 20));
            PrunePlans plans = new PrunePlans();
            Pruner pruner = pruner(env, plans, List.of(), List.of(policy));
            measure("export objects", m + 2, fake, () -> {
                PruneReport r = pruner.run(PruneRequest.all(false));
                return r.deletedExports();
            });
            printStored(plans);
        }
    }

    static void start(FakeAwsFixture env, String taskId, String snapshot) {
        String arn = env.fake().rds().addDbSnapshot(snapshot, "orders").arn();
        env.gateways().exports(AwsAccess.DEFAULT).startExport(new ExportRequest(taskId, arn, "lake", "exports/orders",
                "arn:aws:iam::" + FakeAws.ACCOUNT + ":role/export", "alias/export", List.of()));
    }

    static void measure(String what, int items, FakeAws fake, Supplier<Integer> run) {
        fake.clearRequests();
        System.gc();
        long baseline = MEMORY.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        int deleted = run.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        done.set(true);
        System.gc();
        long retained = MEMORY.getHeapMemoryUsage().getUsed() - baseline;
        List<LoggedRequest> requests = fake.requests();
        Map<String, Long> byOp = requests.stream()
                .collect(Collectors.groupingBy(LoggedRequest::operation, TreeMap::new, Collectors.counting()));
        System.out.printf(Locale.ROOT, "%-15s %8d items: %6d API calls (%.4f per item) %s; %d deleted; %d ms; "
                        + "heap above the seeded fake: peak +%d MB (garbage included), retained after GC %+d MB "
                        + "(the fake's request log included)%n", what, items, requests.size(),
                requests.size() / (double) items, byOp, deleted, ms, (peak.get() - baseline) / (1024 * 1024),
                retained / (1024 * 1024));
    }
}
