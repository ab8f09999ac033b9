package io.snapline.config;

import io.snapline.masking.MaskingSpec;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every clone policy, the cloning settings and the Slack settings when the service starts,
 * and stops the start with one message listing every problem, each naming its full key and the fix.
 * The masking specification's problems are {@link MaskingSpec#problems}'s, under
 * {@code snapline.clones.<policy>.masking}. What can only be checked against the live database (a
 * column that does not exist) is checked by the masking engine before any row changes.
 */
@Singleton
public class ClonePolicyValidator implements ConfigurationCheck {

    static final Pattern SOURCE = Pattern.compile("^[A-Za-z0-9*?-]{1,63}$");
    static final Pattern INSTANCE_CLASS = Pattern.compile("^db\\.[a-z0-9-]+\\.[a-z0-9-]+$");
    static final Pattern SECURITY_GROUP = Pattern.compile("^sg-[0-9a-f]{8,17}$");
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,255}$");
    static final Pattern SECRET = Pattern.compile(
            "^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}|[A-Za-z0-9/_+=.@!-]{1,512})$");
    static final Pattern DATABASE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_$]{0,62}$");
    static final Pattern POLICY_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");
    /** RDS keeps a clone for at most this long here; clones are short-lived by design. */
    static final Duration LONGEST_TTL = Duration.ofDays(90);

    private final List<ClonePolicy> policies;
    private final CloningProperties cloning;
    private final SlackProperties slack;
    private final boolean dryRun;

    public ClonePolicyValidator(List<ClonePolicy> policies, CloningProperties cloning, SlackProperties slack,
                                QueueProperties queue, SnaplineProperties snapline) {
        this.policies = policies;
        this.cloning = cloning;
        this.slack = slack;
        this.dryRun = queue.localMode() || snapline.dryRun();
    }

    @Override
    public List<String> problems() {
        return problems(policies, cloning, slack, dryRun);
    }

    /** Every problem, each naming its key; empty when valid. {@code dryRun}: local mode or {@code snapline.dry-run}. */
    public static List<String> problems(List<ClonePolicy> policies, CloningProperties cloning, SlackProperties slack,
                                        boolean dryRun) {
        List<String> out = new ArrayList<>();
        policies.forEach(p -> out.addAll(problems(p, dryRun)));
        if (cloning.recheckInterval().compareTo(Duration.ofSeconds(1)) < 0
                || cloning.recheckInterval().compareTo(Duration.ofMinutes(15)) > 0) {
            out.add("snapline.cloning.recheck-interval: " + cloning.recheckInterval()
                    + " is out of range; use 1s to 15m (an SQS delay is at most 15 minutes)");
        }
        if (cloning.warnBefore().isNegative()) {
            out.add("snapline.cloning.warn-before: must not be negative (0 turns the warning off)");
        }
        if (cloning.maxDeletesPerRun() < 1) {
            out.add("snapline.cloning.max-deletes-per-run: " + cloning.maxDeletesPerRun() + " must be at least 1");
        }
        if (cloning.maxSetupTime().compareTo(Duration.ofMinutes(30)) < 0) {
            out.add("snapline.cloning.max-setup-time: " + cloning.maxSetupTime()
                    + " is too short for a restore, a masking and a resize; use at least 30m (default 12h)");
        }
        if (slack.defaultPolicy() != null && !slack.defaultPolicy().isBlank()
                && policies.stream().noneMatch(p -> p.name().equals(slack.defaultPolicy().trim()))) {
            out.add("snapline.slack.default-policy: '" + slack.defaultPolicy() + "' is not a clone policy; use one of "
                    + (policies.isEmpty() ? "(none configured)" : String.join(", ",
                    policies.stream().map(ClonePolicy::name).sorted().toList())));
        }
        if (slack.signingSecret() != null && !slack.signingSecret().isEmpty() && slack.signingSecret().isBlank()) {
            out.add("snapline.slack.signing-secret: is blank; give the Slack app's signing secret, or leave it unset");
        }
        return out;
    }

    /** Every problem of one policy. */
    public static List<String> problems(ClonePolicy p, boolean dryRun) {
        List<String> out = new ArrayList<>();
        String k = p.key();
        if (!POLICY_NAME.matcher(p.name()).matches()) {
            out.add("snapline.clones." + p.name() + ": the policy name must be 1-40 lower-case letters, digits and"
                    + " hyphens, starting with a letter (it becomes a tag value and part of ledger keys)");
        }
        if (p.sources().isEmpty()) {
            out.add(k + "sources: missing; list the Aurora DB cluster or DB instance identifiers that may be cloned");
        }
        for (String s : p.sources()) {
            if (s == null || !SOURCE.matcher(s.trim()).matches()) {
                out.add(k + "sources: '" + s + "' is not a DB cluster/instance identifier or glob; use letters, digits,"
                        + " hyphens, * and ?");
            }
        }
        out.addAll(MaskingSpec.problems(k + "masking", p.masking()));
        if (p.instanceClasses().isEmpty()) {
            out.add(k + "instance-classes: missing; list the classes a requester may ask for, e.g. db.r6g.large"
                    + " (the first is the default)");
        }
        for (String c : p.instanceClasses()) {
            if (c == null || !INSTANCE_CLASS.matcher(c).matches()) {
                out.add(k + "instance-classes: '" + c + "' is not an RDS instance class; write it as db.<family>.<size>,"
                        + " e.g. db.r6g.large");
            }
        }
        if (p.maskingClass() != null && !INSTANCE_CLASS.matcher(p.maskingClass().trim()).matches()) {
            out.add(k + "masking-class: '" + p.maskingClass() + "' is not an RDS instance class; e.g. db.r6g.4xlarge,"
                    + " or leave it out to mask on the source's class");
        }
        if (p.defaultTtl().compareTo(Duration.ofMinutes(1)) < 0) {
            out.add(k + "default-ttl: " + p.defaultTtl() + " is too short; use at least 1m (default 1d)");
        }
        if (p.maxTtl().compareTo(p.defaultTtl()) < 0) {
            out.add(k + "max-ttl: " + p.maxTtl() + " is shorter than default-ttl " + p.defaultTtl()
                    + "; make it at least as long");
        }
        if (p.maxTtl().compareTo(LONGEST_TTL) > 0) {
            out.add(k + "max-ttl: " + p.maxTtl() + " is longer than 90 days; clones are short-lived copies of"
                    + " production, keep it short");
        }
        if (p.subnetGroup() != null && !NAME.matcher(p.subnetGroup().trim()).matches()) {
            out.add(k + "subnet-group: '" + p.subnetGroup() + "' is not a DB subnet group name");
        }
        groups(out, k + "masking-security-groups", p.maskingSecurityGroups(),
                "the service's security group, so that only Snapline can reach the clone while it is unmasked");
        groups(out, k + "security-groups", p.securityGroups(),
                "the security groups the requesters reach the masked clone through");
        Set<String> overlap = new HashSet<>(p.maskingSecurityGroups());
        overlap.retainAll(p.securityGroups());
        if (!overlap.isEmpty()) {
            out.add(k + "masking-security-groups: " + String.join(", ", overlap.stream().sorted().toList())
                    + " is also in security-groups: whoever that group admits could reach the clone before it is"
                    + " masked; give the masking phase the service's group only");
        }
        if (p.clusterParameterGroup() != null && !NAME.matcher(p.clusterParameterGroup().trim()).matches()) {
            out.add(k + "cluster-parameter-group: '" + p.clusterParameterGroup() + "' is not a parameter group name");
        }
        if (p.parameterGroup() != null && !NAME.matcher(p.parameterGroup().trim()).matches()) {
            out.add(k + "parameter-group: '" + p.parameterGroup() + "' is not a parameter group name");
        }
        if (p.maxClonesPerSource() < 1) {
            out.add(k + "max-clones-per-source: " + p.maxClonesPerSource() + " must be at least 1");
        }
        if (p.database() != null && !DATABASE.matcher(p.database().trim()).matches()) {
            out.add(k + "database: '" + p.database() + "' is not a plain database name (a letter or _, then letters,"
                    + " digits, _ or $)");
        }
        if (p.credentialsSecret() != null && !SECRET.matcher(p.credentialsSecret().trim()).matches()) {
            out.add(k + "credentials-secret: '" + p.credentialsSecret() + "' is not a Secrets Manager secret ARN or name");
        }
        if (p.notificationTopic() != null && !p.notificationTopic().isBlank()
                && !ExportPolicyValidator.SNS_TOPIC_ARN.matcher(p.notificationTopic()).matches()) {
            out.add(k + "notification-topic: '" + p.notificationTopic() + "' is not a standard SNS topic ARN; give"
                    + " arn:aws:sns:<region>:<account>:<topic>");
        }
        if (p.webhookUrl() != null && !p.webhookUrl().isBlank() && !httpUrl(p.webhookUrl())) {
            out.add(k + "webhook-url: '" + p.webhookUrl() + "' is not an http(s) URL; give the webhook's full https://"
                    + " address");
        }
        if (p.maskingParallelism() < 1 || p.maskingParallelism() > 64) {
            out.add(k + "masking-parallelism: " + p.maskingParallelism() + " is out of range; use 1 to 64");
        }
        if (p.maskingBatchRows() < 1) {
            out.add(k + "masking-batch-rows: " + p.maskingBatchRows() + " must be at least 1");
        }
        if (p.localJdbcUrlValue().isPresent()) {
            String url = p.localJdbcUrlValue().get();
            if (!dryRun) {
                out.add(k + "local-jdbc-url: set outside local mode and dry run; it points the masking at another"
                        + " database than the clone, which a real run must never do: remove it");
            } else if (!(url.startsWith("jdbc:postgresql://") || url.startsWith("jdbc:mariadb://")
                    || url.startsWith("jdbc:mysql://"))) {
                out.add(k + "local-jdbc-url: '" + url + "' is not a PostgreSQL or MySQL/MariaDB JDBC URL; e.g."
                        + " jdbc:postgresql://localhost:5432/app");
            }
            if (p.localUser() == null || p.localUser().isBlank()) {
                out.add(k + "local-user: missing; give the user of local-jdbc-url");
            }
        } else if (p.localUser() != null || p.localPassword() != null) {
            out.add(k + "local-user/local-password: set without local-jdbc-url; give the URL too, or remove them");
        }
        return out;
    }

    private static void groups(List<String> out, String key, List<String> groups, String what) {
        if (groups.isEmpty()) {
            out.add(key + ": missing; give " + what + " (sg-...)");
        }
        for (String g : groups) {
            if (g == null || !SECURITY_GROUP.matcher(g.trim()).matches()) {
                out.add(key + ": '" + g + "' is not a VPC security group id (sg- and 8 or 17 hex digits)");
            }
        }
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = URI.create(url.trim());
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
