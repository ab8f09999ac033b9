package io.snapline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the AWS API calls in Snapline's main code and names the IAM action each needs, so that the
 * task role's policy can be checked against the code rather than against a hand-kept list.
 *
 * <h2>What counts as a call</h2>
 * The project's convention names SDK clients by service: {@code rds}, {@code s3}, {@code s3Control},
 * {@code glue}, {@code sns}, {@code sqs}, {@code dynamo}, {@code sts}, {@code secretsManager}. A call is that name, or the
 * accessor of that name on {@code AwsClients} ({@code clients.rds()}), followed by a method call:
 * <pre>{@value #CALL_REGEX}</pre>
 * Comments are removed first, so Javadoc that mentions a call does not demand a permission.
 * A {@code Paginator} suffix is stripped ({@code listObjectsV2Paginator} needs what
 * {@code listObjectsV2} needs).
 *
 * <h2>Method to IAM action</h2>
 * <ol>
 *   <li>{@link #NOT_API_CALLS}: builder and lifecycle methods that reach no AWS API; ignored.
 *       {@link #LOCAL_ONLY_CALLS}: calls, named with their file, that only ever go to the embedded
 *       local-mode servers; ignored with the reason written down.</li>
 *   <li>{@link #EXCEPTIONS}: methods whose IAM action is not their capitalised name
 *       ({@code listObjectsV2} is {@code s3:ListBucket}, the batch variants of SQS are authorised as
 *       their single forms, ...).</li>
 *   <li>Otherwise the capitalised method name under the service's IAM prefix
 *       ({@code sqs.receiveMessage} is {@code sqs:ReceiveMessage}; {@code rds.describeDBSnapshots} is
 *       {@code rds:DescribeDBSnapshots}, the SDK keeps the {@code DB} capitals), but only when the
 *       method starts with a verb AWS uses for API operations ({@link #OPERATION_VERB}).</li>
 *   <li>Anything else fails loudly ({@link UnmappedCallException}): a new kind of call needs a
 *       decision in this table before it can ship.</li>
 * </ol>
 */
final class SdkCallScanner {

    static final String CALL_REGEX = "\\b(rds|s3|s3Control|glue|sns|sqs|dynamo|sts|secretsManager)(?:\\(\\))?\\.([a-z][A-Za-z0-9]*)\\(";

    private static final Pattern CALL = Pattern.compile(CALL_REGEX);

    /** Client variable to IAM service prefix. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "rds", "rds",
            "s3", "s3",
            "s3Control", "s3",
            "glue", "glue",
            "sns", "sns",
            "sqs", "sqs",
            "dynamo", "dynamodb",
            "sts", "sts",
            "secretsManager", "secretsmanager");

    /** Methods on clients and their builders that call no AWS API. */
    static final Set<String> NOT_API_CALLS = Set.of(
            "close", "serviceName", "serviceClientConfiguration", "utilities", "waiter",
            "build", "builder", "region", "credentialsProvider", "endpointOverride", "endpointProvider", "httpClient",
            // Optional<DynamoDbClient>.get(), JsonNode sns.get("Message"): no SDK client has a bare get().
            "get", "orElseThrow", "isPresent", "path",
            "overrideConfiguration", "forcePathStyle", "requestChecksumCalculation",
            "responseChecksumValidation", "toBuilder", "equals", "hashCode", "toString");

    /** "client.method" to IAM action, where the action is not the capitalised method name. */
    static final Map<String, String> EXCEPTIONS = Map.ofEntries(
            Map.entry("s3.listObjectsV2", "s3:ListBucket"),
            Map.entry("s3.listObjects", "s3:ListBucket"),
            Map.entry("s3.headBucket", "s3:ListBucket"),
            Map.entry("s3.headObject", "s3:GetObject"),
            Map.entry("s3.deleteObjects", "s3:DeleteObject"),
            // StartExportTask also passes the export role to RDS and has RDS create a grant on the key
            // (StartExportTask in the RDS API reference: "The caller ... kms:CreateGrant, kms:DescribeKey").
            Map.entry("rds.startExportTask", "rds:StartExportTask+iam:PassRole+kms:DescribeKey+kms:CreateGrant"),
            // The job runs as the role given in the request: the caller passes it (S3 Batch Operations guide).
            Map.entry("s3Control.createJob", "s3:CreateJob+iam:PassRole"),
            Map.entry("s3.getBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
            Map.entry("s3.putObjectAcl", "s3:PutObjectAcl"),
            Map.entry("s3Control.describeJob", "s3:DescribeJob"),
            Map.entry("sqs.deleteMessageBatch", "sqs:DeleteMessage"),
            Map.entry("sqs.changeMessageVisibilityBatch", "sqs:ChangeMessageVisibility"),
            // The queues are SSE-KMS: a receive decrypts, a send generates a data key (and decrypts it),
            // as the SQS developer guide's "Key management" lists for producers and consumers.
            Map.entry("sqs.receiveMessage", "sqs:ReceiveMessage+kms:Decrypt"),
            Map.entry("sqs.sendMessage", "sqs:SendMessage+kms:GenerateDataKey+kms:Decrypt"),
            Map.entry("sqs.sendMessageBatch", "sqs:SendMessage+kms:GenerateDataKey+kms:Decrypt"),
            Map.entry("dynamo.batchWriteItem", "dynamodb:BatchWriteItem"),
            Map.entry("rds.describeDBSnapshots", "rds:DescribeDBSnapshots"),
            Map.entry("rds.describeDBClusterSnapshots", "rds:DescribeDBClusterSnapshots"),
            // Tags given on the create call are authorised as rds:AddTagsToResource as well
            // (RDS user guide, "Tagging Amazon RDS resources": tag-on-create needs both actions).
            Map.entry("rds.createDBSnapshot", "rds:CreateDBSnapshot+rds:AddTagsToResource"),
            Map.entry("rds.createDBClusterSnapshot", "rds:CreateDBClusterSnapshot+rds:AddTagsToResource"),
            // Cross-region copies: tags on the call (as above), and RDS creates a grant on the destination key
            // of an encrypted copy (RDS user guide, "Copying a DB snapshot": kms:CreateGrant, kms:DescribeKey).
            Map.entry("rds.copyDBSnapshot", "rds:CopyDBSnapshot+rds:AddTagsToResource+kms:DescribeKey+kms:CreateGrant"),
            Map.entry("rds.copyDBClusterSnapshot",
                    "rds:CopyDBClusterSnapshot+rds:AddTagsToResource+kms:DescribeKey+kms:CreateGrant"));

    /**
     * Calls that never reach AWS in a deployment, by file (relative to {@code io/snapline}) and call,
     * with the reason. Kept per file so that the same call appearing in production code elsewhere is
     * still checked.
     */
    static final Map<String, String> LOCAL_ONLY_CALLS = Map.of(
            "consumer/QueueTopology.java: sqs.createQueue",
            "creates the queues of the embedded SQS server in local mode (QueueProperties.localMode())");

    /**
     * AWS calls made for the code by a library rather than by a client method in {@code src/main}:
     * a marker (a class name in the code, or an artifact in {@code pom.xml}) to the actions it needs.
     * Each is found only when its marker is really there, so a grant cannot outlive its caller.
     */
    static final Map<String, Set<String>> LIBRARY_CALLS = Map.of(
            // AwsClientFactory assumes export policies' source-role-arn / crawler-role-arn through it.
            "src: StsAssumeRoleCredentialsProvider", Set.of("sts:AssumeRole"),
            // Micrometer's CloudWatch registry publishes Snapline's meters (docs/deployment.md, Metrics).
            "pom: micronaut-micrometer-registry-cloudwatch", Set.of("cloudwatch:PutMetricData"));

    /** The library calls whose marker is present: in the main sources ({@code src:}) or the POM ({@code pom:}). */
    static Map<String, Set<String>> libraryCalls(Path mainRoot, Path pom) {
        Map<String, Set<String>> found = new TreeMap<>();
        String sources;
        try (Stream<Path> walk = Files.walk(mainRoot)) {
            StringBuilder all = new StringBuilder();
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(withoutComments(Files.readString(p))).append('\n');
            }
            sources = all.toString();
            String pomText = Files.readString(pom);
            LIBRARY_CALLS.forEach((marker, actions) -> {
                String what = marker.substring(marker.indexOf(' ') + 1);
                boolean present = marker.startsWith("src:") ? sources.contains(what)
                        : pomText.contains("<artifactId>" + what + "</artifactId>");
                if (present) {
                    found.put(marker, actions);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The verbs AWS operation names start with; a method without one needs an entry above. */
    static final Pattern OPERATION_VERB = Pattern.compile(
            "^(describe|list|get|put|start|stop|delete|create|update|send|receive|change|publish|assume"
                    + "|scan|query|cancel|copy|tag|untag|add|remove|modify|batch|purge|set|restore)([A-Z].*)?$");

    /** A method of a client that this table cannot map. */
    static final class UnmappedCallException extends IllegalStateException {
        UnmappedCallException(String call) {
            super("No IAM mapping for the AWS SDK call '" + call + "': add it to SdkCallScanner.EXCEPTIONS "
                    + "(or NOT_API_CALLS if it reaches no AWS API) and grant the action in "
                    + "infra-terraform/modules/source-account/iam.tf");
        }
    }

    private SdkCallScanner() {
    }

    /** The IAM actions one call needs (usually one). */
    static Set<String> actionsFor(String client, String method) {
        String m = method.endsWith("Paginator") ? method.substring(0, method.length() - "Paginator".length()) : method;
        if (NOT_API_CALLS.contains(m)) {
            return Set.of();
        }
        String exception = EXCEPTIONS.get(client + "." + m);
        if (exception != null) {
            return new TreeSet<>(List.of(exception.split("\\+")));
        }
        String prefix = IAM_PREFIX.get(client);
        if (prefix == null || !OPERATION_VERB.matcher(m).matches()) {
            throw new UnmappedCallException(client + "." + method);
        }
        return Set.of(prefix + ":" + Character.toUpperCase(m.charAt(0)) + m.substring(1));
    }

    /** Every call in the given Java source (comments removed): "client.method" to the actions it needs. */
    static Map<String, Set<String>> scanSource(String javaSource) {
        Map<String, Set<String>> calls = new TreeMap<>();
        Matcher m = CALL.matcher(withoutComments(javaSource));
        while (m.find()) {
            Set<String> actions = actionsFor(m.group(1), m.group(2));
            if (!actions.isEmpty()) {
                calls.computeIfAbsent(m.group(1) + "." + m.group(2), k -> new TreeSet<>()).addAll(actions);
            }
        }
        return calls;
    }

    /** Every call under {@code src/main/java/io/snapline}: "file: client.method" to actions. */
    static Map<String, Set<String>> scanTree(Path root) {
        Map<String, Set<String>> calls = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(p);
                scanSource(source).forEach((call, actions) -> {
                    String key = root.relativize(p).toString().replace('\\', '/') + ": " + call;
                    if (!LOCAL_ONLY_CALLS.containsKey(key)) {
                        calls.put(key, actions);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    /** Removes block and line comments (string literals that contain comment markers are rare here and only add calls). */
    static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", "");
    }

    /** IAM action names compare case-insensitively; a granted action may hold {@code *} wildcards. */
    static boolean granted(String action, Set<String> grants) {
        String a = action.toLowerCase(Locale.ROOT);
        for (String g : grants) {
            String regex = Pattern.quote(g.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            if (a.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** The project's POM. */
    static Path pom() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "pom.xml");
    }

    /** The base directory of the main Java code. */
    static Path mainSources() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")),
                "src", "main", "java", "io", "snapline");
    }

    /** Whether the SQS consumer exists yet: a file under {@code io/snapline/consumer} using the SQS client. */
    static boolean consumerExists(Path mainRoot) {
        Path consumer = mainRoot.resolve("consumer");
        if (!Files.isDirectory(consumer)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(consumer)) {
            return walk.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> {
                try {
                    return Files.readString(f).contains("software.amazon.awssdk.services.sqs");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
