package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One snapshot schedule ({@code snapline.snapshots.<name>.*}): which DB instances and clusters get a
 * manual snapshot at each slot of a cron schedule, under which names and tags.
 *
 * <p>A tick is the command {@code {"command":"snapshot","policy":"<name>","slot":"<ISO instant>"}}, sent
 * by the EventBridge Scheduler schedule Terraform makes from the same values, or by the local
 * scheduler. Each snapshot is named {@code <name-prefix>-<source>-<yyyyMMdd-HHmm in time-zone>} and
 * tagged with the management tag (so a {@code snapline.retention} policy with the same prefix and tag
 * can prune them), {@code snapline:policy} and {@code snapline:slot}.
 *
 * @param name              the policy name (the map key)
 * @param sources           DB instance / cluster identifiers, exact or glob, resolved at each slot against what exists
 * @param scope             {@code instance}, {@code cluster} or {@code both}
 * @param schedule          EventBridge Scheduler cron, e.g. {@code cron(0 2,14 * * ? *)} (see {@link Cron})
 * @param timeZone          the zone the cron's hours and the identifiers' times are read in, daylight saving included
 * @param namePrefix        the snapshot identifiers' prefix (a letter first; letters, digits, single hyphens)
 * @param managementTag     the tag that lets a retention policy prune the snapshots
 * @param catchUpWindow     a tick older than this is skipped; {@code reconcile} creates a missed slot's snapshot within it
 * @param notificationTopic SNS topic told when a snapshot fails (optional)
 * @param webhookUrl        webhook told when a snapshot fails (optional)
 */
@EachProperty("snapline.snapshots")
public record SnapshotSchedule(
        @Parameter String name,
        @Nullable List<String> sources,
        @Bindable(defaultValue = "both") String scope,
        @Nullable String schedule,
        @Bindable(defaultValue = "UTC") String timeZone,
        @Nullable String namePrefix,
        @Nullable ManagementTag managementTag,
        @Bindable(defaultValue = "6h") Duration catchUpWindow,
        @Nullable String notificationTopic,
        @Nullable String webhookUrl) {

    /** Tag naming the schedule a snapshot was made by. */
    public static final String POLICY_TAG = "snapline:policy";
    /** Tag carrying the slot (ISO instant) a snapshot was made for. */
    public static final String SLOT_TAG = "snapline:slot";
    /** The longest prefix: it leaves room for the source and the time in a cluster snapshot's 63 characters. */
    public static final int MAX_PREFIX = 24;

    private static final Pattern PREFIX = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");

    public SnapshotSchedule {
        sources = sources == null ? List.of() : List.copyOf(sources);
        scope = scope == null ? "both" : scope;
        timeZone = timeZone == null ? "UTC" : timeZone;
        catchUpWindow = catchUpWindow == null ? Duration.ofHours(6) : catchUpWindow;
    }

    /** The management tag ({@code snapline.snapshots.<name>.management-tag.key} / {@code .value}). */
    @ConfigurationProperties("management-tag")
    public record ManagementTag(
            @Bindable(defaultValue = RetentionPolicy.DEFAULT_TAG_KEY) String key,
            @Bindable(defaultValue = RetentionPolicy.DEFAULT_TAG_VALUE) String value) {
    }

    public String tagKey() {
        return managementTag == null || managementTag.key() == null || managementTag.key().isBlank()
                ? RetentionPolicy.DEFAULT_TAG_KEY : managementTag.key();
    }

    public String tagValue() {
        return managementTag == null || managementTag.value() == null ? RetentionPolicy.DEFAULT_TAG_VALUE
                : managementTag.value();
    }

    /** The parsed cron; call {@link #problems()} first. */
    public Cron cron() {
        return Cron.parse(schedule);
    }

    /** The configured zone; call {@link #problems()} first. */
    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public boolean coversInstances() {
        return scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("both");
    }

    public boolean coversClusters() {
        return scope.equalsIgnoreCase("cluster") || scope.equalsIgnoreCase("both");
    }

    /** True when the source identifier is one this schedule names (exact, or by glob). */
    public boolean matchesSource(String sourceId) {
        return sources.stream().anyMatch(g -> Globs.matches(g, sourceId));
    }

    /**
     * Every problem, each naming its key and the fix; empty when valid. Checked at start-up: the
     * cron, the zone, the prefix, the sources, the scope, the window, the tag. Checked only at a slot
     * (they depend on what exists then): whether a source exists and is available, and the quota.
     */
    public List<String> problems() {
        String k = "snapline.snapshots." + name + ".";
        List<String> out = new ArrayList<>();
        if (sources.isEmpty() || sources.stream().anyMatch(s -> s == null || s.isBlank())) {
            out.add(k + "sources: give one or more DB instance/cluster identifiers (exact or glob, e.g. orders-*)");
        }
        if (!(scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("cluster") || scope.equalsIgnoreCase("both"))) {
            out.add(k + "scope: '" + scope + "' is not one of instance, cluster, both");
        }
        Cron.problem(schedule).ifPresent(p -> out.add(k + "schedule: " + p));
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            out.add(k + "time-zone: '" + timeZone + "' is not a zone id; give an IANA name such as UTC or Asia/Tokyo "
                    + "(the Terraform schedule passes it as ScheduleExpressionTimezone)");
        }
        if (namePrefix == null || namePrefix.isBlank()) {
            out.add(k + "name-prefix: required; the snapshots are named <name-prefix>-<source>-<yyyyMMdd-HHmm> "
                    + "(e.g. snapline-twice-daily)");
        } else if (!PREFIX.matcher(namePrefix).matches() || namePrefix.length() > MAX_PREFIX) {
            out.add(k + "name-prefix: '" + namePrefix + "' cannot start a valid snapshot identifier; give 1 to "
                    + MAX_PREFIX + " lower-case letters, digits and single hyphens, starting with a letter and not "
                    + "ending with a hyphen (e.g. " + suggestion(namePrefix) + ")");
        }
        if (catchUpWindow.isNegative() || catchUpWindow.isZero()) {
            out.add(k + "catch-up-window: " + catchUpWindow + " must be more than 0 (e.g. 6h)");
        }
        if (managementTag != null && (managementTag.key() == null || managementTag.key().isBlank())) {
            out.add(k + "management-tag.key: must not be blank (default " + RetentionPolicy.DEFAULT_TAG_KEY + ")");
        }
        return out;
    }

    private static String suggestion(String prefix) {
        String s = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^[^a-z]+", "")
                .replaceAll("-+$", "");
        s = s.length() > MAX_PREFIX ? s.substring(0, MAX_PREFIX).replaceAll("-+$", "") : s;
        return s.isEmpty() ? "snapline" : s;
    }
}
