package io.snapline.config;

import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every export policy when the service starts: one of the {@link ConfigurationCheck}s of the
 * start-up validation, which fails the start with one message that lists every problem, each naming
 * the full key ({@code snapline.exports.<name>.kms-key}) and the fix. A bad policy must never reach
 * AWS: most of these mistakes would otherwise surface hours later as a failed export. What can
 * only be checked against a snapshot (whether an {@code export-only} entry fits the engine) is
 * checked by {@link #engineProblem} at export time.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ExportSnapshot.html">Exporting DB snapshot data to Amazon S3</a>
 */
@Singleton
public class ExportPolicyValidator implements ConfigurationCheck {

    static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$");
    static final Pattern KMS_KEY_ARN = Pattern.compile(
            "^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-f]{32})$");
    static final Pattern KMS_KEY_ID = Pattern.compile(
            "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-f]{32})$");
    static final Pattern KMS_ALIAS = Pattern.compile(
            "^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:)?alias/[a-zA-Z0-9/_-]{1,250}$");
    static final Pattern SNS_TOPIC_ARN = Pattern.compile("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}$");
    static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    static final Pattern SOURCE = Pattern.compile("^[A-Za-z0-9*?-]{1,255}$");
    static final Pattern EXPORT_ONLY_PART = Pattern.compile("^[A-Za-z0-9$_]+$");
    static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");
    static final Pattern EXTERNAL_ID = Pattern.compile("^[\\w+=,.@:/-]{2,1224}$");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    static final Pattern LITERAL_PREFIX = Pattern.compile("^[A-Za-z0-9/._-]*$");
    static final List<String> PLACEHOLDERS = List.of("source", "date", "policy");

    private final List<ExportPolicy> policies;

    public ExportPolicyValidator(List<ExportPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    /** Every problem of every configured policy, in name order. */
    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        policies.stream().sorted(java.util.Comparator.comparing(ExportPolicy::name))
                .forEach(p -> problems.addAll(problems(p)));
        return problems;
    }

    /** Every problem of one policy, each naming the full key and the fix; empty when valid. */
    public static List<String> problems(ExportPolicy p) {
        List<String> out = new ArrayList<>();
        String k = "snapline.exports." + p.name() + ".";

        if (p.sources().isEmpty()) {
            out.add(k + "sources: missing; list the DB instance or cluster identifiers to export (exact or glob with * and ?)");
        }
        for (String s : p.sources()) {
            if (s == null || !SOURCE.matcher(s.trim()).matches()) {
                out.add(k + "sources: '" + s + "' is not a DB instance/cluster identifier or glob; use letters, digits, hyphens, * and ?");
            }
        }
        for (String kind : p.kinds()) {
            if (ExportPolicy.Kind.parse(kind).isEmpty()) {
                out.add(k + "kinds: '" + kind + "' is not a snapshot kind; use automated, manual, aws-backup or copy (or leave empty for all)");
            }
        }
        if (blank(p.bucket())) {
            out.add(k + "bucket: missing; give the destination S3 bucket name (same region as the snapshots)");
        } else if (!BUCKET.matcher(p.bucket()).matches() || p.bucket().contains("..")) {
            out.add(k + "bucket: '" + p.bucket() + "' is not a valid S3 bucket name; use 3-63 lower-case letters, digits, dots and hyphens (a name, not an ARN or s3:// URL)");
        }
        prefixProblems(p).forEach(msg -> out.add(k + "prefix: " + msg));
        if (blank(p.kmsKey())) {
            out.add(k + "kms-key: missing; give a symmetric KMS key ARN, key id, or alias (alias/name or alias ARN)");
        } else if (!KMS_KEY_ARN.matcher(p.kmsKey()).matches() && !KMS_KEY_ID.matcher(p.kmsKey()).matches()
                && !KMS_ALIAS.matcher(p.kmsKey()).matches()) {
            out.add(k + "kms-key: '" + p.kmsKey() + "' is not a KMS key ARN/id/alias; give arn:aws:kms:<region>:<account>:key/<id>, a key id (UUID or mrk-…), alias/<name> or an alias ARN");
        }
        if (blank(p.exportRoleArn())) {
            out.add(k + "export-role-arn: missing; give the ARN of the IAM role RDS assumes to write the export (trusts export.rds.amazonaws.com)");
        } else if (!ROLE_ARN.matcher(p.exportRoleArn()).matches()) {
            out.add(k + "export-role-arn: '" + p.exportRoleArn() + "' is not an IAM role ARN; give arn:aws:iam::<account>:role/<name>");
        }
        for (String entry : p.exportOnly()) {
            syntaxProblem(entry).ifPresent(msg -> out.add(k + "export-only: " + msg));
        }
        if (p.crawler() != null && (p.crawler().isBlank() || p.crawler().length() > 255)) {
            out.add(k + "crawler: '" + p.crawler() + "' is not a Glue crawler name; give 1-255 characters, or remove the key");
        }
        Optional<ExportPolicy.AclMode> mode = blank(p.aclMode()) ? Optional.of(ExportPolicy.AclMode.AUTO)
                : ExportPolicy.AclMode.parse(p.aclMode());
        if (mode.isEmpty()) {
            out.add(k + "acl-mode: '" + p.aclMode() + "' is not an ACL mode; use auto, none, per-object or batch");
        }
        if (p.aclBatchThreshold() != null && p.aclBatchThreshold() < 1) {
            out.add(k + "acl-batch-threshold: " + p.aclBatchThreshold() + " must be at least 1 (object count above which auto mode uses S3 Batch Operations)");
        }
        if (mode.isPresent() && mode.get().mayUseBatch()) {
            if (blank(p.batchRoleArn())) {
                out.add(k + "batch-role-arn: missing; acl-mode " + mode.get().key()
                        + " may create an S3 Batch Operations job, give the role it assumes (or set acl-mode to per-object or none)");
            }
        }
        if (!blank(p.batchRoleArn())) {
            if (!ROLE_ARN.matcher(p.batchRoleArn()).matches()) {
                out.add(k + "batch-role-arn: '" + p.batchRoleArn() + "' is not an IAM role ARN; give arn:aws:iam::<account>:role/<name>");
            } else if (p.sourceAccountId().isPresent()
                    && !p.sourceAccountId().equals(p.batchJobAccountId())) {
                out.add(k + "batch-role-arn: the role is in account " + p.batchJobAccountId().orElse("?")
                        + " but the job runs in the source account " + p.sourceAccountId().get()
                        + " (it owns the exported objects); give a batch role of the source account");
            }
        }
        if (!blank(p.notificationTopic()) && !SNS_TOPIC_ARN.matcher(p.notificationTopic()).matches()) {
            out.add(k + "notification-topic: '" + p.notificationTopic() + "' is not a standard SNS topic ARN; give arn:aws:sns:<region>:<account>:<topic> (FIFO topics are not supported)");
        }
        if (!blank(p.webhookUrl())) {
            webhookProblem(p.webhookUrl()).ifPresent(msg -> out.add(k + "webhook-url: " + msg));
        }
        if (!blank(p.sourceRoleArn()) && !ROLE_ARN.matcher(p.sourceRoleArn()).matches()) {
            out.add(k + "source-role-arn: '" + p.sourceRoleArn() + "' is not an IAM role ARN; give the role to assume in the source account, arn:aws:iam::<account>:role/<name>");
        }
        if (!blank(p.sourceExternalId())) {
            if (blank(p.sourceRoleArn())) {
                out.add(k + "source-external-id: set without source-role-arn; give source-role-arn too, or remove it");
            } else if (!EXTERNAL_ID.matcher(p.sourceExternalId()).matches()) {
                out.add(k + "source-external-id: must be 2-1224 characters of letters, digits and +=,.@:/-");
            }
        }
        if (!blank(p.crawlerRoleArn()) && !ROLE_ARN.matcher(p.crawlerRoleArn()).matches()) {
            out.add(k + "crawler-role-arn: '" + p.crawlerRoleArn() + "' is not an IAM role ARN; give the role to assume in the crawler's account, arn:aws:iam::<account>:role/<name>");
        }
        if (!blank(p.crawlerRoleArn()) && blank(p.crawler())) {
            out.add(k + "crawler-role-arn: set without crawler; name the Glue crawler too, or remove it");
        }
        if (!blank(p.crawlerExternalId())) {
            if (blank(p.crawlerRoleArn())) {
                out.add(k + "crawler-external-id: set without crawler-role-arn; give crawler-role-arn too, or remove it");
            } else if (!EXTERNAL_ID.matcher(p.crawlerExternalId()).matches()) {
                out.add(k + "crawler-external-id: must be 2-1224 characters of letters, digits and +=,.@:/-");
            }
        }
        if (!blank(p.bucketOwnerAccount()) && !ACCOUNT.matcher(p.bucketOwnerAccount()).matches()) {
            out.add(k + "bucket-owner-account: '" + p.bucketOwnerAccount() + "' is not an AWS account id; give the 12 digits of the bucket owner's account");
        }
        return out;
    }

    /** Every problem of the prefix template, not only the first: an operator fixes them in one go. */
    private static List<String> prefixProblems(ExportPolicy p) {
        String prefix = p.prefix();
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(prefix);
        java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        for (String name : unknown) {
            out.add("'" + prefix + "' has unknown placeholder {" + name + "}; use {source}, {date} or {policy}");
        }
        if (prefix.startsWith("/")) {
            out.add("'" + prefix + "' starts with '/'; give the prefix without it (e.g. rds/{source}/{date})");
        }
        if (prefix.contains("{policy}")) {
            Optional<String> name = ExportPolicy.placeholderValueProblem(p.name());
            if (name.isPresent()) {
                out.add("'" + prefix + "' uses {policy}, but the policy name '" + p.name() + "' " + name.get()
                        + "; rename the policy or drop {policy}");
            }
        }
        // Check the expansion too: a policy name ends up in the prefix through {policy}.
        String expanded;
        try {
            expanded = p.expandPrefix("source", Instant.EPOCH);
        } catch (IllegalArgumentException badPolicyName) {
            // named above; check the rest of the template with a plain name in its place
            expanded = p.prefix().replace("{policy}", "policy").replace("{source}", "source").replace("{date}", "1970/01/01");
            while (expanded.endsWith("/")) {
                expanded = expanded.substring(0, expanded.length() - 1);
            }
        }
        if (expanded.contains(":") || prefix.contains(":")) {
            out.add("'" + prefix + "' contains ':' which RDS rejects in S3Prefix; remove it");
        }
        for (char c : new char[] {'\\', '`', '"', ' '}) {
            if (expanded.indexOf(c) >= 0) {
                out.add("'" + prefix + "' contains '" + c + "' which RDS silently replaces with '_' (\\, `, \" and space); use letters, digits, - _ . /");
            }
        }
        String rest = PLACEHOLDER.matcher(prefix).replaceAll("");
        if (rest.contains("{") || rest.contains("}")) {
            out.add("'" + prefix + "' has an unbalanced brace; placeholders are {source}, {date} and {policy}");
        }
        String literal = PLACEHOLDER.matcher(prefix).replaceAll("x");
        boolean charactersNamed = out.stream().anyMatch(o -> o.contains("' contains '"));
        if (!charactersNamed && !LITERAL_PREFIX.matcher(literal.replace(":", "").replace("/", "/")).matches()) {
            out.add("'" + prefix + "' has characters RDS does not take in S3Prefix as they are; use letters, digits, - _ . / and the placeholders");
        }
        String folders = expanded.startsWith("/") ? expanded.substring(1) : expanded; // a leading '/' is named above
        for (String segment : folders.isEmpty() ? new String[0] : folders.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                out.add("'" + prefix + "' has an empty, '.' or '..' folder; give folders with a name (e.g. rds/{source}/{date})");
                break;
            }
        }
        if (expanded.length() > 900) {
            out.add("'" + prefix + "' is too long; keep it well under S3's 1,024-byte key limit");
        }
        return out;
    }

    /** A syntax problem of one {@code export-only} entry (engine-independent), if any. */
    public static Optional<String> syntaxProblem(String entry) {
        if (entry == null || entry.isBlank()) {
            return Optional.of("an entry is empty; give database, database.table or database.schema.table");
        }
        String[] parts = entry.trim().split("\\.", -1);
        if (parts.length > 3) {
            return Optional.of("'" + entry + "' has more than three parts; give database, database.table (MySQL/MariaDB) or database.schema[.table] (PostgreSQL)");
        }
        for (String part : parts) {
            if (!EXPORT_ONLY_PART.matcher(part).matches()) {
                return Optional.of("'" + entry + "' has a name with characters RDS does not accept; names may only use A-Z a-z 0-9 $ _");
            }
        }
        return Optional.empty();
    }

    /**
     * Why an {@code export-only} entry does not fit the snapshot's engine, if it does not:
     * {@code database.table} is MySQL/MariaDB only, {@code database.schema.table} PostgreSQL only.
     */
    public static Optional<String> engineProblem(String entry, String engine) {
        Optional<String> syntax = syntaxProblem(entry);
        if (syntax.isPresent()) {
            return syntax;
        }
        int parts = entry.trim().split("\\.", -1).length;
        String e = engine == null ? "" : engine.toLowerCase(Locale.ROOT);
        boolean mysql = e.contains("mysql") || e.contains("mariadb");
        boolean postgres = e.contains("postgres");
        int max = mysql ? 2 : postgres ? 3 : 1;
        if (parts > max) {
            String allowed = mysql ? "database or database.table" : postgres ? "database, database.schema or database.schema.table" : "database";
            return Optional.of("export-only entry '" + entry + "' does not fit engine '" + engine + "'; it accepts " + allowed);
        }
        return Optional.empty();
    }

    private static Optional<String> webhookProblem(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                return Optional.of("'" + url + "' is not an http(s) URL; give the webhook's full https:// address");
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + url + "' is not a URL (" + e.getMessage() + "); give the webhook's full https:// address");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
