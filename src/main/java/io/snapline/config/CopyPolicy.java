package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.snapline.message.Arn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cross-region disaster-recovery copy policy ({@code snapline.copies.<name>.*}): which snapshots of
 * the service's region are copied to which destination region, how, and how long the copies are kept
 * there.
 *
 * <p>A copy is made when a snapshot-created event names a snapshot of one of the {@code sources}, of
 * one of the {@code kinds}: {@code CopyDBSnapshot} / {@code CopyDBClusterSnapshot} in the destination
 * region, with the source's ARN and the SDK's {@code sourceRegion} presigning. The copy is named
 * {@code <name-prefix>-<source snapshot identifier>} (an automated snapshot's {@code rds:} and an AWS
 * Backup snapshot's {@code awsbackup:} cannot be kept: cleaned, with a hash when the name had to change)
 * and tagged with the management tag, {@value #POLICY_TAG} and {@value #COPY_OF_TAG}. A copy is never
 * copied again.
 *
 * @param name                 the policy name (the map key)
 * @param sources              DB instance / cluster identifiers, exact or glob, whose snapshots are copied
 * @param scope                {@code instance}, {@code cluster} or {@code both}
 * @param kinds                which snapshots: {@code scheduled} (Snapline's own scheduled snapshots), {@code manual}
 *                             (other manual ones), {@code automated}, {@code aws-backup}; default all four
 * @param destinationRegion    the region the copies are made in (required, not the service's own)
 * @param destinationKmsKeyId  the KMS key in the destination region for encrypted sources (keys are region-bound)
 * @param optionGroup          the destination option group, for sources that use a non-default one
 * @param copyTags             {@code CopyTags}: the source snapshot's tags go on the copy (AWS's default is false)
 * @param namePrefix           the copies' identifier prefix
 * @param managementTag        the tag each copy gets (with the policy tag) so retention may prune it
 * @param keepDays             destination retention: keep every copy at most this many days old
 * @param keepLast             destination retention: keep the newest K copies of each source
 * @param maxDeletes           destination retention: at most this many deletions per prune run
 * @param notificationTopic    SNS topic told when a copy completes or fails (optional)
 */
@EachProperty("snapline.copies")
public record CopyPolicy(
        @Parameter String name,
        @Nullable List<String> sources,
        @Bindable(defaultValue = "both") String scope,
        @Nullable List<String> kinds,
        @Nullable String destinationRegion,
        @Nullable String destinationKmsKeyId,
        @Nullable String optionGroup,
        @Bindable(defaultValue = "true") boolean copyTags,
        @Bindable(defaultValue = "snapline-copy") String namePrefix,
        @Nullable ManagementTag managementTag,
        @Nullable Integer keepDays,
        @Nullable Integer keepLast,
        @Bindable(defaultValue = "20") int maxDeletes,
        @Nullable String notificationTopic) {

    /** Tag naming the copy policy that made a copy: the destination retention deletes only its own copies. */
    public static final String POLICY_TAG = "snapline:copy-policy";
    /** Tag carrying the ARN of the snapshot a copy was made from. */
    public static final String COPY_OF_TAG = "snapline:copy-of";
    /** The longest prefix: it leaves room for a source identifier in a cluster snapshot's 63 characters. */
    public static final int MAX_PREFIX = 24;
    /** The name of the retention policy the pruner runs for a copy policy's destination retention. */
    public static final String RETENTION_PREFIX = "copies-";

    private static final Pattern PREFIX = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    /** The snapshot kinds a copy policy can select. */
    public enum Kind {
        SCHEDULED("scheduled"), MANUAL("manual"), AUTOMATED("automated"), AWS_BACKUP("aws-backup");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Optional<Kind> parse(String value) {
            for (Kind k : values()) {
                if (k.key.equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public CopyPolicy {
        sources = sources == null ? List.of() : List.copyOf(sources);
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        scope = scope == null ? "both" : scope;
        namePrefix = namePrefix == null ? "snapline-copy" : namePrefix;
    }

    /** The management tag ({@code snapline.copies.<name>.management-tag.key} / {@code .value}). */
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

    /** The selected kinds; all four when {@code kinds} is empty. */
    public Set<Kind> kindSet() {
        if (kinds.isEmpty()) {
            return EnumSet.allOf(Kind.class);
        }
        EnumSet<Kind> set = EnumSet.noneOf(Kind.class);
        kinds.forEach(k -> Kind.parse(k).ifPresent(set::add));
        return set;
    }

    public boolean coversInstances() {
        return scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("both");
    }

    public boolean coversClusters() {
        return scope.equalsIgnoreCase("cluster") || scope.equalsIgnoreCase("both");
    }

    /** True when a source pattern selects this DB instance or cluster identifier. */
    public boolean matchesSource(String sourceId) {
        return sourceId != null && sources.stream().anyMatch(g -> Globs.matches(g, sourceId));
    }

    public Optional<String> kmsKey() {
        return Optional.ofNullable(destinationKmsKeyId).filter(s -> !s.isBlank());
    }

    public Optional<String> optionGroupName() {
        return Optional.ofNullable(optionGroup).filter(s -> !s.isBlank());
    }

    /** True when the policy keeps its copies for a bounded time or number (a destination retention). */
    public boolean hasRetention() {
        return keepDays != null || keepLast != null;
    }

    /** The name of the destination retention in the pruner ({@code copies-<name>}). */
    public String retentionName() {
        return RETENTION_PREFIX + name;
    }

    /**
     * The destination retention as a snapshot retention policy: the copies' prefix, and as its management tag
     * {@value #POLICY_TAG}{@code =<name>}, so it deletes only copies this policy made (never a snapshot it did not
     * make, whatever its name). The pruner applies it in {@link #destinationRegion}.
     */
    public RetentionPolicy destinationRetention() {
        return new RetentionPolicy(retentionName(), sources, scope, namePrefix + "-", keepDays, keepLast, null, null,
                null, "UTC", new RetentionPolicy.ManagementTag(POLICY_TAG, name), maxDeletes, 50, notificationTopic);
    }

    /**
     * Every problem, each naming its key and the fix; empty when valid.
     *
     * @param serviceRegion the service's region (the sources' region), when known
     */
    public List<String> problems(Optional<String> serviceRegion) {
        String k = "snapline.copies." + name + ".";
        List<String> out = new ArrayList<>();
        if (sources.isEmpty() || sources.stream().anyMatch(s -> s == null || s.isBlank())) {
            out.add(k + "sources: give one or more DB instance/cluster identifiers (exact or glob, e.g. orders-*)");
        }
        if (!(scope.equalsIgnoreCase("instance") || scope.equalsIgnoreCase("cluster") || scope.equalsIgnoreCase("both"))) {
            out.add(k + "scope: '" + scope + "' is not one of instance, cluster, both");
        }
        for (String kind : kinds) {
            if (Kind.parse(kind).isEmpty()) {
                out.add(k + "kinds: '" + kind + "' is not one of scheduled, manual, automated, aws-backup");
            }
        }
        if (destinationRegion == null || destinationRegion.isBlank()) {
            out.add(k + "destination-region: required; the region the copies are made in (e.g. us-east-1)");
        } else if (!REGION.matcher(destinationRegion).matches()) {
            out.add(k + "destination-region: '" + destinationRegion + "' is not a region name such as us-east-1");
        } else if (serviceRegion.isPresent() && serviceRegion.get().equals(destinationRegion)) {
            out.add(k + "destination-region: '" + destinationRegion + "' is the service's own region; a disaster-"
                    + "recovery copy goes to another region (give e.g. us-east-1 for sources in ap-northeast-1)");
        }
        kmsKey().ifPresent(key -> {
            Optional<Arn> arn = Arn.parse(key);
            if (key.startsWith("arn:") && arn.isEmpty()) {
                out.add(k + "destination-kms-key-id: '" + key + "' is not a valid ARN");
            } else if (arn.isPresent() && destinationRegion != null && !arn.get().region().isEmpty()
                    && !arn.get().region().equals(destinationRegion)) {
                out.add(k + "destination-kms-key-id: the key is in " + arn.get().region() + ", not in the destination "
                        + "region " + destinationRegion + "; KMS keys are region-bound: give a key (or a multi-Region "
                        + "key's replica) in " + destinationRegion);
            }
        });
        if (!PREFIX.matcher(namePrefix).matches() || namePrefix.length() > MAX_PREFIX) {
            out.add(k + "name-prefix: '" + namePrefix + "' cannot start a valid snapshot identifier; give 1 to "
                    + MAX_PREFIX + " lower-case letters, digits and single hyphens, starting with a letter and not "
                    + "ending with a hyphen (e.g. snapline-copy)");
        }
        if (managementTag != null && (managementTag.key() == null || managementTag.key().isBlank())) {
            out.add(k + "management-tag.key: must not be blank (default " + RetentionPolicy.DEFAULT_TAG_KEY + ")");
        }
        RetentionPolicy.positive(out, k + "keep-days", keepDays);
        RetentionPolicy.positive(out, k + "keep-last", keepLast);
        if (maxDeletes < 1) {
            out.add(k + "max-deletes: " + maxDeletes + " must be at least 1");
        }
        return out;
    }
}
