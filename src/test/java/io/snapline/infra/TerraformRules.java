package io.snapline.infra;

import io.snapline.infra.TerraformModel.Block;
import io.snapline.infra.TerraformModel.Statement;
import io.snapline.infra.TerraformModel.TfFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security invariants of Snapline's Terraform, each a function from the parsed code to the list
 * of violations (empty = holds), so that the rules can be shown to fire on bad fixtures as well as
 * to pass on the real modules.
 */
final class TerraformRules {

    /** {@code *} or a whole-service wildcard such as {@code s3:*}. */
    private static final Pattern SERVICE_WILDCARD = Pattern.compile("^\\*$|^[A-Za-z0-9-]+:\\*$");

    /** The start of a list attribute of an IAM statement whose wildcards need a reason. */
    private static final Pattern WILDCARD_ATTRIBUTE =
            Pattern.compile("^\\s*(actions|not_actions|resources|not_resources)\\s*=");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final Pattern DLQ_REFERENCE =
            Pattern.compile("deadLetterTargetArn\\s*=\\s*aws_sqs_queue\\.([A-Za-z0-9_-]+)\\.arn");

    private static final Set<String> RESOURCE_POLICY_TYPES =
            Set.of("aws_sqs_queue_policy", "aws_s3_bucket_policy", "aws_sns_topic_policy");

    private TerraformRules() {
    }

    /**
     * No Allow statement grants {@code *} or {@code service:*}. Deny statements may (a TLS-only deny
     * over every S3 action grants nothing; it only takes away).
     */
    static List<String> wildcardActionsInAllowStatements(TerraformModel model) {
        List<String> violations = new ArrayList<>();
        for (Block doc : model.blocks("data", "aws_iam_policy_document")) {
            for (Statement s : TerraformModel.statements(doc)) {
                if (s.deny()) {
                    continue;
                }
                for (String action : s.actions()) {
                    if (SERVICE_WILDCARD.matcher(action).matches()) {
                        violations.add(s.where() + ": Allow with wildcard action '" + action + "'");
                    }
                }
            }
        }
        return violations;
    }

    /**
     * Every {@code resources = ["*"]} and every action holding a {@code *} (e.g. the RDS guide's
     * {@code s3:PutObject*}) carries a comment saying why: on the line right above the attribute, or
     * at the end of its line. hcl4j drops comments, so this rule reads the source text.
     */
    static List<String> uncommentedWildcards(TerraformModel model) {
        List<String> violations = new ArrayList<>();
        for (TfFile f : model.files()) {
            List<String> lines = f.lines();
            for (int i = 0; i < lines.size(); i++) {
                Matcher attr = WILDCARD_ATTRIBUTE.matcher(lines.get(i));
                if (!attr.find()) {
                    continue;
                }
                boolean isResource = attr.group(1).contains("resources");
                int end = endOfList(lines, i);
                List<String> wildcards = new ArrayList<>();
                for (int j = i; j <= end; j++) {
                    Matcher lit = STRING_LITERAL.matcher(stripComment(lines.get(j)));
                    while (lit.find()) {
                        String value = lit.group(1);
                        if (isResource ? value.equals("*") : value.contains("*")) {
                            wildcards.add(value);
                        }
                    }
                }
                if (!wildcards.isEmpty() && !hasReason(lines, i)) {
                    violations.add(f.path() + ":" + (i + 1) + ": " + attr.group(1) + " " + wildcards
                            + " without a comment saying why (put it on the line above)");
                }
            }
        }
        return violations;
    }

    /** {@code dead_letter_config { arn = aws_sqs_queue.<name>[...].arn }} in a Scheduler schedule. */
    private static final Pattern SCHEDULER_DLQ_REFERENCE = Pattern.compile(
            "dead_letter_config\\s*\\{\\s*arn\\s*=\\s*aws_sqs_queue\\.([A-Za-z0-9_-]+)");

    /**
     * Every queue is encrypted ({@code kms_master_key_id} or {@code sqs_managed_sse_enabled = true})
     * and has a {@code redrive_policy} naming its dead-letter queue, except a queue that another
     * queue's redrive policy names as its {@code deadLetterTargetArn}, or a Scheduler schedule as its
     * {@code dead_letter_config}.
     */
    static List<String> queuesHaveRedriveAndEncryption(TerraformModel model) {
        List<String> violations = new ArrayList<>();
        List<Block> queues = model.blocks("resource", "aws_sqs_queue");
        Set<String> deadLetterQueues = new HashSet<>();
        for (Block q : queues) {
            Matcher m = DLQ_REFERENCE.matcher(q.sourceText());
            while (m.find()) {
                deadLetterQueues.add(q.file().dir() + "#" + m.group(1));
            }
        }
        // an EventBridge Scheduler schedule's dead_letter_config names its DLQ the same way
        for (Block s : model.blocks("resource", "aws_scheduler_schedule")) {
            Matcher m = SCHEDULER_DLQ_REFERENCE.matcher(s.sourceText());
            while (m.find()) {
                deadLetterQueues.add(s.file().dir() + "#" + m.group(1));
            }
        }
        for (Block q : queues) {
            Map<String, Object> body = q.body();
            boolean encrypted = body.get("kms_master_key_id") != null
                    || Boolean.TRUE.equals(body.get("sqs_managed_sse_enabled"));
            if (!encrypted) {
                violations.add(q.address() + ": not encrypted (set kms_master_key_id or sqs_managed_sse_enabled)");
            }
            boolean isDlq = deadLetterQueues.contains(q.file().dir() + "#" + q.name());
            if (isDlq) {
                continue;
            }
            if (!body.containsKey("redrive_policy")) {
                violations.add(q.address() + ": no redrive_policy, and no queue uses it as a dead-letter queue");
            } else if (!q.sourceText().contains("deadLetterTargetArn")) {
                violations.add(q.address() + ": redrive_policy names no deadLetterTargetArn");
            }
        }
        return violations;
    }

    /**
     * Every queue, bucket and topic policy is an {@code aws_iam_policy_document} (so it can be read
     * here) with a condition on {@code aws:SourceArn} or {@code aws:SecureTransport}. Stronger, for
     * queue policies: every Allow to a service principal is pinned by {@code aws:SourceArn}; for
     * bucket policies: a Deny on {@code aws:SecureTransport} (TLS only).
     */
    static List<String> resourcePoliciesHaveSourceOrTlsConditions(TerraformModel model) {
        List<String> violations = new ArrayList<>();
        for (String type : RESOURCE_POLICY_TYPES) {
            for (Block p : model.blocks("resource", type)) {
                Optional<Block> doc = model.policyDocument(p.file().dir(), p.body().get("policy"));
                if (doc.isEmpty()) {
                    violations.add(p.address() + ": policy is not a data.aws_iam_policy_document.<name>.json of this module");
                    continue;
                }
                List<Statement> statements = TerraformModel.statements(doc.get());
                boolean guarded = statements.stream().anyMatch(s -> s.conditionKeys().stream()
                        .anyMatch(k -> k.equals("aws:SourceArn") || k.equals("aws:SecureTransport")));
                if (!guarded) {
                    violations.add(p.address() + ": no statement conditioned on aws:SourceArn or aws:SecureTransport");
                }
                if (type.equals("aws_sqs_queue_policy")) {
                    for (Statement s : statements) {
                        if (!s.deny() && s.principalTypes().contains("Service")
                                && !s.conditionKeys().contains("aws:SourceArn")) {
                            violations.add(s.where() + ": queue policy admits a service without aws:SourceArn");
                        }
                    }
                }
                if (type.equals("aws_s3_bucket_policy")) {
                    boolean tlsOnly = statements.stream()
                            .anyMatch(s -> s.deny() && s.conditionKeys().contains("aws:SecureTransport"));
                    if (!tlsOnly) {
                        violations.add(p.address() + ": bucket policy has no Deny on aws:SecureTransport");
                    }
                }
            }
        }
        return violations;
    }

    /** Every variable declares a type and a non-blank description. */
    static List<String> variablesHaveTypeAndDescription(TerraformModel model) {
        List<String> violations = new ArrayList<>();
        for (Block v : model.variables()) {
            if (v.body().get("type") == null) {
                violations.add("variable " + v.name() + " (" + v.file().path() + "): no type");
            }
            Object description = v.body().get("description");
            if (!(description instanceof String d) || d.isBlank()) {
                violations.add("variable " + v.name() + " (" + v.file().path() + "): no description");
            }
        }
        return violations;
    }

    /** The index of the line closing the list that starts on line {@code start} (same line if it closes there). */
    private static int endOfList(List<String> lines, int start) {
        int depth = 0;
        boolean opened = false;
        for (int j = start; j < lines.size(); j++) {
            String line = stripComment(lines.get(j)).replaceAll(STRING_LITERAL.pattern(), "\"\"");
            for (char c : line.toCharArray()) {
                if (c == '[') {
                    depth++;
                    opened = true;
                } else if (c == ']') {
                    depth--;
                }
            }
            if (!opened || depth <= 0) {
                return j;
            }
        }
        return lines.size() - 1;
    }

    /** A comment of at least three words on the line above {@code index}, or at the end of that line. */
    private static boolean hasReason(List<String> lines, int index) {
        String trailing = lines.get(index).substring(stripComment(lines.get(index)).length());
        if (words(trailing) >= 3) {
            return true;
        }
        if (index == 0) {
            return false;
        }
        String above = lines.get(index - 1).trim();
        return (above.startsWith("#") || above.startsWith("//")) && words(above) >= 3;
    }

    private static int words(String comment) {
        String text = comment.replaceFirst("^\\s*(#|//)", "").trim();
        return text.isEmpty() ? 0 : text.split("\\s+").length;
    }

    /** The line without a trailing {@code #} or {@code //} comment (outside strings). */
    static String stripComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '#' || (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Where the repository's Terraform lives, from the Maven module's base directory. */
    static Path terraformRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "infra-terraform");
    }
}
