package io.snapline.handler.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.SchedulingProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.message.SnapshotRef;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The manual snapshots of the service's region against their quota, as gauges in {@code /prometheus}:
 * {@code snapline_manual_snapshots{region,scope}} and {@code snapline_manual_snapshot_quota{region,scope}}
 * ({@code scope} = {@code instance} or {@code cluster}; AWS Backup snapshots do not count, as AWS counts).
 * Counting lists every snapshot, so it is refreshed when the service has just changed the number: after
 * a snapshot tick. A count that fails leaves the last value and logs why.
 */
@Singleton
public class ManualSnapshotGauge {

    private static final Logger LOG = LoggerFactory.getLogger(ManualSnapshotGauge.class);

    private final Gateways gateways;
    private final MeterRegistry meters;
    private final String region;
    private final int quota;
    private final Map<SnapshotRef.Scope, AtomicLong> counts = new ConcurrentHashMap<>();

    public ManualSnapshotGauge(Gateways gateways, MeterRegistry meters, SnaplineProperties snapline,
                               SchedulingProperties settings) {
        this.gateways = gateways;
        this.meters = meters;
        this.region = snapline.region() != null && !snapline.region().isBlank() ? snapline.region()
                : System.getenv().getOrDefault("AWS_REGION", "default");
        this.quota = settings.manualSnapshotQuota();
    }

    /** Counts the manual snapshots of the scope now; returns the count, or -1 when the count failed. */
    public long refresh(SnapshotRef.Scope scope) {
        AtomicLong value = counts.computeIfAbsent(scope, this::register);
        try {
            long[] n = {0};
            gateways.snapshots(AwsAccess.DEFAULT).forEachSnapshot(scope, java.util.Optional.empty(), s -> {
                if ("manual".equalsIgnoreCase(s.snapshotType())) {
                    n[0]++;
                }
            });
            value.set(n[0]);
            return n[0];
        } catch (RuntimeException e) {
            LOG.warn("manual snapshot count ({}) not refreshed: {}", label(scope), SafeText.of(e.toString(), 500));
            return -1;
        }
    }

    /** The last count of the scope, if one was taken. */
    public java.util.OptionalLong last(SnapshotRef.Scope scope) {
        AtomicLong v = counts.get(scope);
        return v == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v.get());
    }

    public int quota() {
        return quota;
    }

    private AtomicLong register(SnapshotRef.Scope scope) {
        AtomicLong v = new AtomicLong();
        Gauge.builder("snapline.manual.snapshots", v, AtomicLong::get)
                .description("manual snapshots in the region (refreshed after each snapshot tick)")
                .tag("region", region).tag("scope", label(scope)).register(meters);
        Gauge.builder("snapline.manual.snapshot.quota", () -> quota)
                .description("the manual-snapshot quota per region (snapline.scheduling.manual-snapshot-quota)")
                .tag("region", region).tag("scope", label(scope)).register(meters);
        return v;
    }

    static String label(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "cluster" : "instance";
    }
}
