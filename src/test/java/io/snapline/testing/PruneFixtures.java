package io.snapline.testing;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.message.SnapshotRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for pruning tests: snapshots, export tasks and policies with readable defaults. */
public final class PruneFixtures {

    public static final String ACCOUNT = "111122223333";
    public static final Map<String, String> MANAGED = Map.of("snapline:managed", "true");

    private PruneFixtures() {
    }

    public static String snapshotArn(String id) {
        return "arn:aws:rds:us-east-1:" + ACCOUNT + ":snapshot:" + id;
    }

    /** A manual, available, tagged DB snapshot. */
    public static SnapshotInfo managed(String id, String source, Instant created) {
        return snapshot(id, source, "manual", "available", created, MANAGED);
    }

    public static SnapshotInfo snapshot(String id, String source, String type, String status, Instant created,
                                        Map<String, String> tags) {
        return new SnapshotInfo(id, snapshotArn(id), SnapshotRef.Scope.DB_SNAPSHOT, source, type, status, created,
                "postgres", tags);
    }

    public static ExportTask task(String taskId, String snapshotId, String status, String bucket, String prefix,
                                  Instant end) {
        return new ExportTask(taskId, snapshotArn(snapshotId), status, bucket, prefix, Optional.empty(),
                Optional.of(end.minusSeconds(3600)), "COMPLETE".equals(status) || "FAILED".equals(status)
                ? Optional.of(end) : Optional.empty(), 1);
    }

    /** A snapshot policy builder with safe defaults (prefix {@code snapline-}, default tag, caps 20 / 50%). */
    public static Policy policy(String name) {
        return new Policy(name);
    }

    public static ExportRetentionProperties exportPolicy(String name, String bucket, String prefix, List<String> sources,
                                                         Integer keepDays, Integer keepLast, String crawler) {
        return new ExportRetentionProperties(name, bucket, prefix, sources, crawler, null, null, null, null, null, null,
                new ExportRetentionProperties.Retention(keepDays, keepLast, 20));
    }

    /**
     * The configuration keys of one export policy that the export pipeline's own validator requires,
     * for context tests that add {@code retention.*} to it.
     */
    public static Map<String, Object> exportPolicyConfig(String name, String bucket, String sources) {
        String k = "snapline.exports." + name + ".";
        return Map.of(k + "bucket", bucket, k + "sources", sources, k + "kms-key", "alias/export",
                k + "export-role-arn", "arn:aws:iam::123456789012:role/export", k + "acl-mode", "none");
    }

    /** Mutable builder of {@link RetentionPolicy}. */
    public static final class Policy {
        public String name;
        public List<String> sources = List.of("orders");
        public String scope = "both";
        public String namePrefix = "snapline-";
        public Integer keepDays;
        public Integer keepLast;
        public Integer keepDaily;
        public Integer keepWeekly;
        public Integer keepMonthly;
        public String timeZone = "UTC";
        public RetentionPolicy.ManagementTag tag;
        public int maxDeletes = 20;
        public int maxDeletePercent = 50;
        public String topic;

        Policy(String name) {
            this.name = name;
        }

        public Policy sources(String... s) { sources = List.of(s); return this; }
        public Policy scope(String s) { scope = s; return this; }
        public Policy prefix(String p) { namePrefix = p; return this; }
        public Policy keepDays(Integer d) { keepDays = d; return this; }
        public Policy keepLast(Integer k) { keepLast = k; return this; }
        public Policy keepDaily(Integer m) { keepDaily = m; return this; }
        public Policy keepWeekly(Integer m) { keepWeekly = m; return this; }
        public Policy keepMonthly(Integer m) { keepMonthly = m; return this; }
        public Policy zone(String z) { timeZone = z; return this; }
        public Policy tag(String k, String v) { tag = new RetentionPolicy.ManagementTag(k, v); return this; }
        public Policy maxDeletes(int n) { maxDeletes = n; return this; }
        public Policy maxDeletePercent(int n) { maxDeletePercent = n; return this; }
        public Policy topic(String t) { topic = t; return this; }

        public RetentionPolicy build() {
            return new RetentionPolicy(name, sources, scope, namePrefix, keepDays, keepLast, keepDaily, keepWeekly,
                    keepMonthly, timeZone, tag, maxDeletes, maxDeletePercent, topic);
        }
    }
}
