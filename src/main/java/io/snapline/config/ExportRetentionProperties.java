package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.snapline.gateway.AwsAccess;

import java.util.ArrayList;
import java.util.List;

/**
 * The retention view of one export policy ({@code snapline.exports.<name>.*}): only the keys that
 * export pruning needs. The export pipeline binds the same prefix with its own, fuller properties
 * class; Micronaut binds both (each {@code @EachProperty} type gets its own beans, one per name).
 *
 * <p>Exports of a policy live at {@code s3://<bucket>/<expanded prefix>/<taskId>/}. A policy with no
 * {@code retention} block keeps every export.
 *
 * @param name      the export policy name (the map key)
 * @param bucket    the export bucket
 * @param prefix    the S3 prefix template; the part before the first {@code {} is static
 * @param sources   the DB instance / cluster identifiers (exact or glob) the policy exports
 * @param crawler   the Glue crawler over the exports, started after exports are deleted
 * @param crawlerRoleArn    role to assume to start the crawler when it lives in another account
 * @param crawlerExternalId external id for {@code crawlerRoleArn}, if the role demands one
 * @param notificationTopic SNS topic for this policy's prune summaries (default {@code snapline.prune.notification-topic})
 * @param sourceRoleArn    role in the source account (cross-account exports): export tasks, snapshots and
 *                         export objects are read and deleted with it, as the export pipeline writes them
 * @param sourceExternalId external id for {@code sourceRoleArn}, if the role demands one
 * @param retention the export retention, if any
 */
@EachProperty("snapline.exports")
public record ExportRetentionProperties(
        @Parameter String name,
        @Nullable String bucket,
        @Nullable String prefix,
        @Nullable List<String> sources,
        @Nullable String crawler,
        @Nullable String crawlerRoleArn,
        @Nullable String crawlerExternalId,
        @Nullable String notificationTopic,
        @Nullable String sourceRoleArn,
        @Nullable String sourceExternalId,
        @Nullable String bucketOwnerAccount,
        @Nullable Retention retention) {

    public ExportRetentionProperties {
        sources = sources == null ? List.of() : List.copyOf(sources);
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * {@code snapline.exports.<name>.retention.*}.
     *
     * @param keepDays   keep every export at most this many days old (exactly N days old is kept)
     * @param keepLast   keep the newest K completed exports (1 = "latest only")
     * @param maxDeletes at most this many export deletions per run, else the run deletes nothing
     */
    @ConfigurationProperties("retention")
    public record Retention(
            @Nullable Integer keepDays,
            @Nullable Integer keepLast,
            @Bindable(defaultValue = "20") int maxDeletes) {
    }

    /** The credentials export tasks, snapshots and objects of this policy are reached with. */
    public AwsAccess access() {
        return sourceRoleArn == null || sourceRoleArn.isBlank() ? AwsAccess.DEFAULT
                : AwsAccess.assume(sourceRoleArn, sourceExternalId == null || sourceExternalId.isBlank()
                ? null : sourceExternalId);
    }

    /** The bucket owner's account id, when configured: deletes on the bucket expect it. */
    public java.util.Optional<String> expectedBucketOwner() {
        return bucketOwnerAccount == null || bucketOwnerAccount.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(bucketOwnerAccount);
    }

    /** The credentials the crawler is started with. */
    public AwsAccess crawlerAccess() {
        return crawlerRoleArn == null || crawlerRoleArn.isBlank() ? AwsAccess.DEFAULT
                : AwsAccess.assume(crawlerRoleArn, crawlerExternalId == null || crawlerExternalId.isBlank()
                ? null : crawlerExternalId);
    }

    /** True when the policy has a retention block with at least one keep rule set. */
    public boolean hasRetention() {
        return retention != null && (retention.keepDays() != null || retention.keepLast() != null);
    }

    /** The static part of the prefix: everything before the first placeholder. */
    public String staticPrefix() {
        int brace = prefix.indexOf('{');
        return brace < 0 ? prefix : prefix.substring(0, brace);
    }

    /**
     * Each problem of the {@code retention} block names its key and the fix; empty when valid or when
     * there is no retention. The export pipeline's own validator checks {@code bucket}, {@code sources}
     * and {@code prefix}.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (retention == null) {
            return out;
        }
        String k = "snapline.exports." + name + ".";
        if (retention.keepDays() == null && retention.keepLast() == null) {
            out.add(k + "retention: give retention.keep-days and/or retention.keep-last (1 = latest only)");
        }
        RetentionPolicy.positive(out, k + "retention.keep-days", retention.keepDays());
        RetentionPolicy.positive(out, k + "retention.keep-last", retention.keepLast());
        if (retention.maxDeletes() < 1) {
            out.add(k + "retention.max-deletes: " + retention.maxDeletes() + " must be at least 1");
        }
        return out;
    }
}
