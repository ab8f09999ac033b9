package io.snapline.handler.prune;

import io.snapline.config.PruneProperties;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.testing.PruneTestGateways;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.snapline.testing.PruneFixtures.exportPolicy;
import static io.snapline.testing.PruneFixtures.managed;
import static io.snapline.testing.PruneFixtures.policy;
import static io.snapline.testing.PruneFixtures.snapshot;
import static io.snapline.testing.PruneFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pruning at scale against the in-memory gateways: 10,000 snapshots across pages, and an export of
 * 200,000 objects. Asserts the API calls per item (list pages, delete batches), which is what keeps
 * memory flat: one page at a time.
 */
class PruneScaleTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    final PruneTestGateways aws = new PruneTestGateways();
    final TestLedger ledger = new TestLedger();

    @Test
    void tenThousandSnapshots_arePlannedPageByPage() {
        for (int i = 0; i < 10_000; i++) {
            String src = "db-" + (i / 10 % 20);
            Instant t = NOW.minus(Duration.ofHours(i));
            if (i % 10 == 0) {
                aws.snapshots.add(managed("snapline-" + i, src, t));
            } else {
                aws.snapshots.add(snapshot("rds:" + src + "-" + i, src, "automated", "available", t, Map.of()));
            }
        }
        Pruner pruner = new Pruner(aws, ledger, List.of(policy("all").sources("db-*").scope("instance")
                .keepLast(40).maxDeletes(1000).build()), List.of(), PruneProperties.defaults(), false,
                new PrunePlans(), Clock.fixed(NOW, ZoneOffset.UTC), new DeleteRateLimiter(1e9, System::nanoTime, n -> { }));

        PruneReport report = pruner.run(PruneRequest.all(false));

        // 20 sources x 50 managed each, 40 kept each
        assertThat(report.deletedSnapshots()).isEqualTo(200);
        // one pass of 100 pages to find the sources, then 5 pages per source
        assertThat(aws.snapshots.describePages.get()).isEqualTo(100 + 20 * 5);
        System.out.printf("prune scale: 10,000 snapshots, %d describe pages (%.3f per snapshot), %d deletes%n",
                aws.snapshots.describePages.get(), aws.snapshots.describePages.get() / 10_000.0,
                aws.snapshots.deleteCalls.get());
    }

    @Test
    void anExportOfTwoHundredThousandObjects_isDeletedInTwoHundredBatches() {
        String bucket = "exports";
        ExportTask old = task("exp-1", "snap-1", "COMPLETE", bucket, "exports/orders", NOW.minus(Duration.ofDays(2)));
        ExportTask fresh = task("exp-2", "snap-2", "COMPLETE", bucket, "exports/orders", NOW.minus(Duration.ofDays(1)));
        aws.exports.add(old);
        aws.exports.add(fresh);
        aws.snapshots.add(managed("snap-1", "orders", NOW.minus(Duration.ofDays(3))));
        aws.snapshots.add(managed("snap-2", "orders", NOW.minus(Duration.ofDays(2))));
        for (int i = 0; i < 200_000; i++) {
            aws.objects.put(bucket, old.s3Folder() + "db/public.t/" + (i / 1000) + "/part-" + i + ".gz.parquet");
        }
        aws.objects.put(bucket, fresh.s3Folder() + "export_info_exp-2.json");
        Pruner pruner = new Pruner(aws, ledger, List.of(), List.of(exportPolicy("analytics", bucket, "exports/{source}",
                List.of("orders"), null, 1, null)), PruneProperties.defaults(), false, new PrunePlans(),
                Clock.fixed(NOW, ZoneOffset.UTC), new DeleteRateLimiter(5));

        PruneReport report = pruner.run(PruneRequest.all(false));

        assertThat(report.deletedExports()).isEqualTo(1);
        assertThat(aws.objects.keys(bucket)).containsExactly(fresh.s3Folder() + "export_info_exp-2.json");
        assertThat(aws.objects.deleteCalls.get()).isEqualTo(200);
        System.out.printf("prune scale: 200,000 objects, %d DeleteObjects calls, %d list calls%n",
                aws.objects.deleteCalls.get(), aws.objects.listCalls.get());
    }
}
