package io.snapline.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.snapline.gateway.AwsAccess;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotCreated;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One named export policy ({@code snapline.exports.<name>.*}): which snapshots to export (sources
 * by DB instance or cluster identifier, exact or glob, and snapshot kinds) and where and how
 * (bucket, prefix template, KMS key, export role, {@code ExportOnly}, ACL rewrite, Glue crawler,
 * notifications, cross-account access).
 *
 * <p>Every key binds leniently (strings, nullable) so that {@link ExportPolicyValidator} can report
 * <em>all</em> problems of all policies at start-up in one message, each naming its full key.
 * The typed accessors ({@link #aclModeValue()}, {@link #kindSet()}, …) assume a validated policy.
 *
 * @param name               the policy name (the key below {@code snapline.exports})
 * @param sources            DB instance or cluster identifiers, exact or glob ({@code *}, {@code ?})
 * @param kinds              snapshot kinds: automated, manual, aws-backup, copy; empty = all
 * @param bucket             destination S3 bucket (same region as the snapshots)
 * @param prefix             S3 prefix template with {@code {source}}, {@code {date}} (yyyy/MM/dd of the
 *                           snapshot time, UTC) and {@code {policy}}; empty = bucket root
 * @param kmsKey             KMS key ARN, key id, or alias ({@code alias/…} or alias ARN)
 * @param exportRoleArn      the IAM role RDS assumes to write to S3
 * @param exportOnly         {@code ExportOnly} entries: database, database.table (MySQL/MariaDB),
 *                           database.schema[.table] (PostgreSQL); empty = everything
 * @param crawler            Glue crawler to start after the export, if any
 * @param crawlerRoleArn     role to assume to start the crawler when it lives in another account
 *                           (the analytics account), if any
 * @param crawlerExternalId  external id for {@code crawlerRoleArn}, if the role demands one
 * @param aclMode            auto, none, per-object or batch (default auto)
 * @param aclBatchThreshold  object count above which {@code auto} uses S3 Batch Operations
 * @param batchRoleArn       the role S3 Batch Operations assumes (required when batch is possible)
 * @param notificationTopic  SNS topic ARN for summaries, if any
 * @param webhookUrl         Slack-compatible webhook URL, if any
 * @param sourceRoleArn      role to assume in the source account (cross-account), if any
 * @param sourceExternalId   external id for {@code sourceRoleArn}, if the role demands one
 * @param bucketOwnerAccount the bucket owner's 12-digit account id: sent as {@code ExpectedBucketOwner} on
 *                           every S3 call on the bucket, so Snapline never touches a bucket of another owner
 */
@EachProperty("snapline.exports")
public record ExportPolicy(
        @Parameter String name,
        @Nullable List<String> sources,
        @Nullable List<String> kinds,
        @Nullable String bucket,
        @Nullable String prefix,
        @Nullable String kmsKey,
        @Nullable String exportRoleArn,
        @Nullable List<String> exportOnly,
        @Nullable String crawler,
        @Nullable String crawlerRoleArn,
        @Nullable String crawlerExternalId,
        @Nullable String aclMode,
        @Nullable Long aclBatchThreshold,
        @Nullable String batchRoleArn,
        @Nullable String notificationTopic,
        @Nullable String webhookUrl,
        @Nullable String sourceRoleArn,
        @Nullable String sourceExternalId,
        @Nullable String bucketOwnerAccount) {

    /** Default of {@code acl-batch-threshold}. */
    public static final long DEFAULT_ACL_BATCH_THRESHOLD = 10_000;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    /** What a placeholder may expand into: letters, digits, - _ . (RDS's S3Prefix takes them as they are). */
    private static final Pattern PREFIX_VALUE = Pattern.compile("^[A-Za-z0-9._-]+$");
    private static final Pattern ROLE_ACCOUNT = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/.+$");

    public ExportPolicy {
        sources = sources == null ? List.of() : List.copyOf(sources);
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        exportOnly = exportOnly == null ? List.of() : List.copyOf(exportOnly);
        prefix = prefix == null ? "" : prefix;
    }

    /** The snapshot kinds a policy can select. */
    public enum Kind {
        AUTOMATED("automated"), MANUAL("manual"), AWS_BACKUP("aws-backup"), COPY("copy");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The spelling used in configuration. */
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

        /** The kind of a snapshot announced by an event. */
        public static Kind of(SnapshotCreated.Origin origin) {
            return switch (origin) {
                case AUTOMATED -> AUTOMATED;
                case MANUAL -> MANUAL;
                case AWS_BACKUP -> AWS_BACKUP;
                case COPY -> COPY;
            };
        }
    }

    /** How exported objects get their {@code bucket-owner-full-control} ACL. */
    public enum AclMode {
        AUTO("auto"), NONE("none"), PER_OBJECT("per-object"), BATCH("batch");

        private final String key;

        AclMode(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Optional<AclMode> parse(String value) {
            for (AclMode m : values()) {
                if (m.key.equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        /** True when this mode may create an S3 Batch Operations job. */
        public boolean mayUseBatch() {
            return this == AUTO || this == BATCH;
        }
    }

    /** The ACL mode; {@code auto} when unset. */
    public AclMode aclModeValue() {
        return aclMode == null || aclMode.isBlank() ? AclMode.AUTO
                : AclMode.parse(aclMode).orElseThrow(() -> new IllegalStateException("invalid acl-mode " + aclMode));
    }

    /** The ACL batch threshold; 10,000 when unset. */
    public long aclBatchThresholdValue() {
        return aclBatchThreshold == null ? DEFAULT_ACL_BATCH_THRESHOLD : aclBatchThreshold;
    }

    /** The selected kinds; all when {@code kinds} is empty. */
    public Set<Kind> kindSet() {
        if (kinds.isEmpty()) {
            return EnumSet.allOf(Kind.class);
        }
        EnumSet<Kind> set = EnumSet.noneOf(Kind.class);
        kinds.forEach(k -> Kind.parse(k).ifPresent(set::add));
        return set;
    }

    /** True when a source pattern selects this DB instance or cluster identifier (case-insensitive). */
    public boolean matchesSource(String sourceId) {
        if (sourceId == null) {
            return false;
        }
        return sources.stream().anyMatch(p -> Globs.matches(p, sourceId));
    }

    /** True when {@code sources} has at least one glob pattern (reconciliation must then list everything). */
    public boolean hasGlobSource() {
        return sources.stream().anyMatch(Globs::isGlob);
    }

    /** Whose credentials act on the source account: the source role if configured, else the service's own. */
    public AwsAccess sourceAccess() {
        return sourceRoleArn == null || sourceRoleArn.isBlank() ? AwsAccess.DEFAULT
                : AwsAccess.assume(sourceRoleArn, blankToNull(sourceExternalId));
    }

    /** The bucket owner's account id, when configured: S3 calls on the bucket expect it. */
    public Optional<String> expectedBucketOwner() {
        return Optional.ofNullable(blankToNull(bucketOwnerAccount));
    }

    /** Whose credentials start the crawler: the crawler role if configured, else the service's own. */
    public AwsAccess crawlerAccess() {
        return crawlerRoleArn == null || crawlerRoleArn.isBlank() ? AwsAccess.DEFAULT
                : AwsAccess.assume(crawlerRoleArn, blankToNull(crawlerExternalId));
    }

    /** The source account id when a source role is configured (from its ARN). */
    public Optional<String> sourceAccountId() {
        return accountOfRole(sourceRoleArn);
    }

    /**
     * The account an S3 Batch Operations job is created in: the batch role's account, because
     * {@code iam:PassRole} can only pass a role of the caller's own account.
     */
    public Optional<String> batchJobAccountId() {
        return accountOfRole(batchRoleArn);
    }

    /**
     * Expands the prefix template for one snapshot; no trailing slash (RDS adds the task folder).
     * A placeholder is only ever expanded into characters RDS takes in {@code S3Prefix} as they are
     * (letters, digits, {@code - _ .}; no {@code /}, no {@code ..}): RDS rejects {@code :} and silently
     * turns {@code \}, {@code `}, {@code "} and space into {@code _} (AWS-FACTS §3), and a value such
     * as a snapshot id fallen back on ({@code awsbackup:job-…}) or {@code ..} must not make a prefix of
     * its own.
     *
     * @throws IllegalArgumentException naming the policy's key, the placeholder and the value, when a
     *                                  value has other characters: retrying cannot help
     */
    public String expandPrefix(String sourceId, Instant snapshotTime) {
        String source = placeholderValue("source", sourceId);
        String policy = placeholderValue("policy", name);
        String expanded = prefix
                .replace("{source}", source)
                .replace("{policy}", policy)
                .replace("{date}", DATE.format(snapshotTime));
        while (expanded.endsWith("/")) {
            expanded = expanded.substring(0, expanded.length() - 1);
        }
        return expanded;
    }

    /** Why a placeholder's value cannot go into an S3 prefix, if it cannot (see {@link #expandPrefix}). */
    public static Optional<String> placeholderValueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (!PREFIX_VALUE.matcher(value).matches()) {
            return Optional.of("has characters RDS does not take in S3Prefix as they are (only letters, digits, '-', '_' "
                    + "and '.' are expanded)");
        }
        if (value.contains("..")) {
            return Optional.of("contains '..'");
        }
        return Optional.empty();
    }

    private String placeholderValue(String placeholder, String value) {
        if (!prefix.contains("{" + placeholder + "}")) {
            return value == null ? "" : value;
        }
        Optional<String> problem = placeholderValueProblem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("snapline.exports." + name + ".prefix: {" + placeholder
                    + "} would expand to '" + SafeText.of(String.valueOf(value), 200) + "', which " + problem.get()
                    + "; the export is not started. Use a prefix without {" + placeholder + "} for such snapshots, "
                    + "or a policy whose sources have plain identifiers");
        }
        return value;
    }

    /** The optional crawler name. */
    public Optional<String> crawlerName() {
        return Optional.ofNullable(blankToNull(crawler));
    }

    public Optional<String> notificationTopicArn() {
        return Optional.ofNullable(blankToNull(notificationTopic));
    }

    public Optional<String> webhook() {
        return Optional.ofNullable(blankToNull(webhookUrl));
    }

    static Optional<String> accountOfRole(String roleArn) {
        if (roleArn == null) {
            return Optional.empty();
        }
        var m = ROLE_ACCOUNT.matcher(roleArn.trim());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
