package io.snapline.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One clone policy ({@code snapline.clones.<name>.*}): which production databases may be cloned,
 * how the clone is masked, which instance classes a requester may ask for, how long a clone may
 * live, and where it is placed and announced.
 *
 * <p>Every key binds leniently (nullable, strings) so that {@link ClonePolicyValidator} reports all
 * problems of all policies at start-up in one message, each naming its key. The accessors below
 * give the defaults; they assume a validated policy.
 *
 * @param name                   the policy name (the key below {@code snapline.clones})
 * @param sources                DB cluster (Aurora) or DB instance identifiers that may be cloned, exact or glob
 * @param masking                the masking specification ({@code docs/masking.md}): {@code tables.<schema.table>.columns.<column>: <strategy>}
 * @param database               the database to mask (default: the source's own {@code DatabaseName} / {@code DBName})
 * @param instanceClasses        the instance classes a requester may ask for (the first is the default)
 * @param maskingClass           the class the clone is masked on before it is resized (default: the source's class)
 * @param defaultTtl             how long a clone lives when the request names no TTL (default 1d)
 * @param maxTtl                 the longest TTL a request or an extension may ask for (default 7d)
 * @param subnetGroup            the DB subnet group of the clone (default: the source's)
 * @param maskingSecurityGroups  VPC security groups of the clone until it is masked: the service's, so only it can connect
 * @param securityGroups         VPC security groups the clone gets once it is masked and verified
 * @param clusterParameterGroup  DB cluster parameter group of an Aurora clone (default: RDS's default)
 * @param parameterGroup         DB parameter group of the clone's instance (default: RDS's default)
 * @param maxClonesPerSource     live clones of one source at most (default 2)
 * @param credentialsSecret      Secrets Manager secret (ARN or name) with the master user's {@code username} and
 *                               {@code password} for masking an Aurora clone (default: the source cluster's RDS-managed
 *                               master secret); an instance clone is restored with its own RDS-managed secret
 * @param notificationTopic      SNS topic for the clone's hand-over, warnings and failures, if any
 * @param webhookUrl             Slack-compatible webhook for the same, if any
 * @param maskingParallelism     connections masking at once (default 4; raise it with the masking class's cores)
 * @param maskingBatchRows       rows per masked range, the unit of commit and checkpoint (default 50000)
 * @param localJdbcUrl           local mode / dry run only: mask this database (a JDBC URL) instead of a clone, so
 *                               a new user sees the masking work on a database of their own
 * @param localUser              the user for {@code local-jdbc-url}
 * @param localPassword          the password for {@code local-jdbc-url}
 */
@EachProperty("snapline.clones")
public record ClonePolicy(
        @Parameter String name,
        @Nullable List<String> sources,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.NESTED, keyFormat = io.micronaut.core.naming.conventions.StringConvention.RAW) Map<String, Object> masking,
        @Nullable String database,
        @Nullable List<String> instanceClasses,
        @Nullable String maskingClass,
        @Bindable(defaultValue = "1d") @Nullable Duration defaultTtl,
        @Bindable(defaultValue = "7d") @Nullable Duration maxTtl,
        @Nullable String subnetGroup,
        @Nullable List<String> maskingSecurityGroups,
        @Nullable List<String> securityGroups,
        @Nullable String clusterParameterGroup,
        @Nullable String parameterGroup,
        @Bindable(defaultValue = "2") @Nullable Integer maxClonesPerSource,
        @Nullable String credentialsSecret,
        @Nullable String notificationTopic,
        @Nullable String webhookUrl,
        @Bindable(defaultValue = "4") @Nullable Integer maskingParallelism,
        @Bindable(defaultValue = "50000") @Nullable Integer maskingBatchRows,
        @Nullable String localJdbcUrl,
        @Nullable String localUser,
        @Nullable String localPassword) {

    public ClonePolicy {
        sources = sources == null ? List.of() : List.copyOf(sources);
        masking = masking == null ? Map.of() : masking;
        instanceClasses = instanceClasses == null ? List.of() : List.copyOf(instanceClasses);
        maskingSecurityGroups = maskingSecurityGroups == null ? List.of() : List.copyOf(maskingSecurityGroups);
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        defaultTtl = defaultTtl == null ? Duration.ofDays(1) : defaultTtl;
        maxTtl = maxTtl == null ? Duration.ofDays(7) : maxTtl;
        maxClonesPerSource = maxClonesPerSource == null ? 2 : maxClonesPerSource;
        maskingParallelism = maskingParallelism == null ? 4 : maskingParallelism;
        maskingBatchRows = maskingBatchRows == null ? 50_000 : maskingBatchRows;
    }

    /** The key prefix of this policy, {@code snapline.clones.<name>.}. */
    public String key() {
        return "snapline.clones." + name + ".";
    }

    /** True when the policy may clone this source (exact or glob, case-insensitive). */
    public boolean allowsSource(String source) {
        return source != null && sources.stream().anyMatch(s -> s != null && Globs.matches(s, source));
    }

    /** True when a requester may ask for this class. */
    public boolean allowsClass(String instanceClass) {
        return instanceClass != null && instanceClasses.stream().anyMatch(c -> c.equals(instanceClass));
    }

    /** The class used when a request names none. */
    public String defaultInstanceClass() {
        return instanceClasses.isEmpty() ? "" : instanceClasses.get(0);
    }

    public Optional<String> maskingClassValue() {
        return blankToEmpty(maskingClass);
    }

    public Optional<String> databaseValue() {
        return blankToEmpty(database);
    }

    public Optional<String> subnetGroupValue() {
        return blankToEmpty(subnetGroup);
    }

    public Optional<String> clusterParameterGroupValue() {
        return blankToEmpty(clusterParameterGroup);
    }

    public Optional<String> parameterGroupValue() {
        return blankToEmpty(parameterGroup);
    }

    public Optional<String> credentialsSecretValue() {
        return blankToEmpty(credentialsSecret);
    }

    public Optional<String> notificationTopicArn() {
        return blankToEmpty(notificationTopic);
    }

    public Optional<String> webhook() {
        return blankToEmpty(webhookUrl);
    }

    public Optional<String> localJdbcUrlValue() {
        return blankToEmpty(localJdbcUrl);
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
