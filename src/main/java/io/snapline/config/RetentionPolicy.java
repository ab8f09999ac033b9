package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot retention policy ({@code snapline.retention.<name>.*}): which manual snapshots
 * Snapline manages for which sources, and how many of them to keep.
 *
 * <p>A snapshot is a deletion candidate only if it is manual, its identifier starts with
 * {@code name-prefix}, and it carries the management tag. The keep rules are a union: a candidate
 * is kept when <em>any</em> rule keeps it. At least one of {@code keep-days} / {@code keep-last} is
 * required, so that a policy can never mean "delete everything".
 *
 * @param name             the policy name (the map key)
 * @param sources          DB instance / cluster identifiers, exact or glob ({@code *}, {@code ?})
 * @param scope            {@code instance}, {@code cluster} or {@code both}
 * @param namePrefix       only snapshots whose identifier starts with this are candidates (required)
 * @param keepDays         keep every snapshot at most this many days old (exactly N days old is kept)
 * @param keepLast         keep the newest K snapshots
 * @param keepDaily        keep the newest snapshot of each of the last M calendar days
 * @param keepWeekly       keep the newest snapshot of each of the last M ISO weeks
 * @param keepMonthly      keep the newest snapshot of each of the last M calendar months
 * @param timeZone         the zone in which days, weeks and months are cut
 * @param managementTag    the tag that marks a snapshot as Snapline's to delete
 * @param maxDeletes       at most this many deletions per run, else the run deletes nothing
 * @param maxDeletePercent at most this percentage of a source's managed snapshots per run
 * @param notificationTopic SNS topic for this policy's run summaries (default {@code snapline.prune.notification-topic})
 */
@EachProperty("snapline.retention")
public record RetentionPolicy(
        @Parameter String name,
        @Nullable List<String> sources,
        @Bindable(defaultValue = "both") String scope,
        @Nullable String namePrefix,
        @Nullable Integer keepDays,
        @Nullable Integer keepLast,
        @Nullable Integer keepDaily,
        @Nullable Integer keepWeekly,
        @Nullable Integer keepMonthly,
        @Bindable(defaultValue = "UTC") String timeZone,
        @Nullable ManagementTag managementTag,
        @Bindable(defaultValue = "20") int maxDeletes,
        @Bindable(defaultValue = "50") int maxDeletePercent,
        @Nullable String notificationTopic) {

    /** The default management tag key. */
    public static final String DEFAULT_TAG_KEY = "snapline:managed";
    /** The default management tag value. */
    public static final String DEFAULT_TAG_VALUE = "true";

    public RetentionPolicy {
        sources = sources == null ? List.of() : List.copyOf(sources);
        scope = scope == null ? "both" : scope;
        timeZone = timeZone == null ? "UTC" : timeZone;
    }

    /**
     * The management tag ({@code snapline.retention.<name>.management-tag.key} / {@code .value}).
     */
    @ConfigurationProperties("management-tag")
    public record ManagementTag(
            @Bindable(defaultValue = DEFAULT_TAG_KEY) String key,
            @Bindable(defaultValue = DEFAULT_TAG_VALUE) String value) {
    }

    /** The tag key, defaulted. */
    public String tagKey() {
        return managementTag == null || managementTag.key() == null || managementTag.key().isBlank()
                ? DEFAULT_TAG_KEY : managementTag.key();
    }

    /** The tag value, defaulted. */
    public String tagValue() {
        return managementTag == null || managementTag.value() == null ? DEFAULT_TAG_VALUE : managementTag.value();
    }

    /** The configured zone; call {@link #problems()} first. */
    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** True when the policy covers DB instance snapshots. */
    public boolean coversInstances() {
        return scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("both");
    }

    /** True when the policy covers DB cluster snapshots. */
    public boolean coversClusters() {
        return scope.equalsIgnoreCase("cluster") || scope.equalsIgnoreCase("both");
    }

    /** Each problem names its key and the fix; empty when the policy is valid. */
    public List<String> problems() {
        String k = "snapline.retention." + name + ".";
        List<String> out = new ArrayList<>();
        if (sources.isEmpty() || sources.stream().anyMatch(s -> s == null || s.isBlank())) {
            out.add(k + "sources: give one or more DB instance/cluster identifiers (exact or glob, e.g. orders-*)");
        }
        if (!(scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("cluster")
                || scope.equalsIgnoreCase("both"))) {
            out.add(k + "scope: '" + scope + "' is not one of instance, cluster, both");
        }
        if (namePrefix == null || namePrefix.isBlank()) {
            out.add(k + "name-prefix: required; only snapshots whose identifier starts with it can be deleted "
                    + "(e.g. snapline-)");
        } else if (!namePrefix.equals(namePrefix.toLowerCase(java.util.Locale.ROOT))) {
            out.add(k + "name-prefix: '" + namePrefix + "' has upper-case letters; RDS stores snapshot identifiers "
                    + "in lower case, so give it in lower case");
        } else if (namePrefix.startsWith("rds:") || namePrefix.startsWith("awsbackup:")) {
            out.add(k + "name-prefix: '" + namePrefix + "' names automated or AWS Backup snapshots, which are "
                    + "never deleted; use the prefix of the manual snapshots Snapline manages");
        }
        if (keepDays == null && keepLast == null) {
            out.add(k + "keep-days / keep-last: give at least one (e.g. keep-days: 35)");
        }
        positive(out, k + "keep-days", keepDays);
        positive(out, k + "keep-last", keepLast);
        positive(out, k + "keep-daily", keepDaily);
        positive(out, k + "keep-weekly", keepWeekly);
        positive(out, k + "keep-monthly", keepMonthly);
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            out.add(k + "time-zone: '" + timeZone + "' is not a zone id; give e.g. UTC or Europe/Berlin");
        }
        if (managementTag != null && (managementTag.key() == null || managementTag.key().isBlank())) {
            out.add(k + "management-tag.key: must not be blank (default " + DEFAULT_TAG_KEY + ")");
        }
        if (maxDeletes < 1) {
            out.add(k + "max-deletes: " + maxDeletes + " must be at least 1");
        }
        if (maxDeletePercent < 1 || maxDeletePercent > 100) {
            out.add(k + "max-delete-percent: " + maxDeletePercent + " must be between 1 and 100");
        }
        return out;
    }

    static void positive(List<String> out, String key, Integer v) {
        if (v != null && v < 1) {
            out.add(key + ": " + v + " must be at least 1");
        }
    }
}
