package io.snapline.fake;

import org.w3c.dom.Element;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fake S3 Control, the S3 Batch Operations job API (REST-XML under {@code /v20180820/}, the account in
 * the {@code x-amz-account-id} header; the SDK reaches it through the endpoint override only thanks
 * to {@code AwsClientFactory}, which gives S3 Control an endpoint provider answering the override and turns off
 * the {@code {AccountId}.} host-prefix injection).
 *
 * <ul>
 *   <li>{@code CreateJob}: an {@code S3PutObjectAcl} operation with a canned ACL over a
 *       {@code ManifestGenerator} ({@code SourceBucket} ARN, optional {@code KeyNameConstraint.MatchAnyPrefix});
 *       {@code ClientRequestToken} idempotency: the same token with the same parameters answers the same
 *       {@code JobId}, with different parameters 400 {@code IdempotencyException}. A new job is
 *       {@code New} ({@code Suspended} if {@code ConfirmationRequired}).</li>
 *   <li>{@code DescribeJob}: status, {@code ProgressSummary}, {@code FailureReasons}; unknown id → 404
 *       {@code NotFoundException}.</li>
 * </ul>
 * Test controls: {@link #runJob(String)} / {@link #runJob(String, int)} apply the ACL to the matching
 * objects of the fake S3 and complete the job with counts; {@link #setJobStatus}; {@link #job};
 * {@link #jobs}.
 */
public final class FakeS3Control {

    static final String NS = "http://awss3control.amazonaws.com/doc/2018-08-20/";

    /** A job as a test sees it. */
    public record Job(String jobId, String accountId, String status, String bucket, String prefix, String cannedAcl,
                      String roleArn, String clientRequestToken, String reportBucket, String reportPrefix,
                      String description, int priority, long totalTasks, long succeededTasks, long failedTasks) {
    }

    private static final class State {
        Job job;
        String canonical;
        List<String> failureReasons = new ArrayList<>();
        Instant created = Instant.now();
        Instant terminated;
    }

    private final FakeS3 s3;
    private final Map<String, State> jobs = new LinkedHashMap<>();
    private final Map<String, String> jobByToken = new LinkedHashMap<>();

    FakeS3Control(FakeS3 s3) {
        this.s3 = s3;
    }

    // ---------------------------------------------------------------- test controls

    public synchronized Optional<Job> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(s -> s.job);
    }

    public synchronized List<Job> jobs() {
        return jobs.values().stream().map(s -> s.job).toList();
    }

    /** Runs the job with every task succeeding. */
    public void runJob(String jobId) {
        runJob(jobId, 0);
    }

    /**
     * Runs the job: applies its canned ACL to every object of the source bucket under the prefix
     * (through the fake S3's ACL rules), except the last {@code failedTasks} objects, which count as
     * failed tasks; then the job is {@code Complete} with those counts (Complete does not mean every
     * task succeeded, as in AWS).
     */
    public synchronized void runJob(String jobId, int failedTasks) {
        State s = state(jobId);
        Job j = s.job;
        List<String> keys = s3.keys(j.bucket(), j.prefix() == null ? "" : j.prefix());
        long ok = 0;
        long failed = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (i >= keys.size() - failedTasks) {
                failed++;
            } else if (s3.applyAcl(j.bucket(), keys.get(i), j.cannedAcl())) {
                ok++;
            } else {
                failed++;
            }
        }
        s.job = with(j, "Complete", keys.size(), ok, failed);
        s.terminated = Instant.now();
    }

    /** Sets a status (e.g. {@code Active}, {@code Failed}) without running anything. */
    public synchronized void setJobStatus(String jobId, String status) {
        State s = state(jobId);
        s.job = with(s.job, status, s.job.totalTasks(), s.job.succeededTasks(), s.job.failedTasks());
        if (status.equals("Failed")) {
            s.failureReasons.add("Fake failure");
        }
    }

    // ---------------------------------------------------------------- wire

    static String operation(FakeCall call) {
        String path = call.rawPath();
        if (path.equals("/v20180820/jobs") && call.method().equals("POST")) {
            return "CreateJob";
        }
        if (path.startsWith("/v20180820/jobs/") && call.method().equals("GET")) {
            return "DescribeJob";
        }
        return call.method() + " " + path;
    }

    Map<String, String> logParams(String op, FakeCall call) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountId", call.header("x-amz-account-id"));
        p.put("Host", call.header("host"));
        if (op.equals("DescribeJob")) {
            p.put("JobId", call.rawPath().substring("/v20180820/jobs/".length()));
        } else if (op.equals("CreateJob") && call.body().length > 0) {
            try {
                p.putAll(parse(Xml.parse(call.body())));
            } catch (FakeAwsError e) {
                p.put("body", call.bodyText());
            }
        }
        return p;
    }

    synchronized FakeReply handle(String op, FakeCall call) {
        String account = call.header("x-amz-account-id");
        if (account == null || !account.matches("\\d{12}")) {
            throw new FakeAwsError("InvalidRequest", 400, "x-amz-account-id must be a 12-digit account id");
        }
        return switch (op) {
            case "CreateJob" -> createJob(account, call);
            case "DescribeJob" -> describeJob(account, call.rawPath().substring("/v20180820/jobs/".length()));
            default -> throw new FakeAwsError("NotImplemented", 501, "The fake S3 Control does not implement " + op);
        };
    }

    private FakeReply createJob(String account, FakeCall call) {
        Map<String, String> p = parse(Xml.parse(call.body()));
        String token = p.get("ClientRequestToken");
        if (token == null || token.isEmpty() || token.length() > 64) {
            throw new FakeAwsError("BadRequestException", 400, "ClientRequestToken must be 1-64 characters");
        }
        for (String required : List.of("RoleArn", "Priority", "Report.Enabled")) {
            if (p.get(required) == null) {
                throw new FakeAwsError("BadRequestException", 400, required + " is required");
            }
        }
        if (p.containsKey("Manifest") || p.get("SourceBucket") == null) {
            throw new FakeAwsError("BadRequestException", 400,
                    "The fake S3 Control supports CreateJob with a ManifestGenerator (S3JobManifestGenerator) only");
        }
        if (p.get("CannedAccessControlList") == null) {
            throw new FakeAwsError("BadRequestException", 400,
                    "The fake S3 Control supports the S3PutObjectAcl operation with a canned ACL only");
        }
        String canonical = account + p;
        String existing = jobByToken.get(account + "/" + token);
        if (existing != null) {
            if (!jobs.get(existing).canonical.equals(canonical)) {
                throw new FakeAwsError("IdempotencyException", 400,
                        "The ClientRequestToken was already used with different parameters");
            }
            return created(existing);
        }
        String bucketArn = p.get("SourceBucket");
        String bucket = bucketArn.substring(bucketArn.lastIndexOf(':') + 1);
        String reportBucket = p.get("Report.Bucket");
        State s = new State();
        s.canonical = canonical;
        String jobId = UUID.randomUUID().toString();
        boolean confirm = Boolean.parseBoolean(p.get("ConfirmationRequired"));
        s.job = new Job(jobId, account, confirm ? "Suspended" : "New", bucket, p.get("MatchAnyPrefix"),
                p.get("CannedAccessControlList"), p.get("RoleArn"), token,
                reportBucket == null ? null : reportBucket.substring(reportBucket.lastIndexOf(':') + 1),
                p.get("Report.Prefix"), p.get("Description"), Integer.parseInt(p.get("Priority")), 0, 0, 0);
        jobs.put(jobId, s);
        jobByToken.put(account + "/" + token, jobId);
        return created(jobId);
    }

    private static FakeReply created(String jobId) {
        return FakeReply.xml(Xml.document().open("CreateJobResult", NS).el("JobId", jobId).toString());
    }

    private FakeReply describeJob(String account, String jobId) {
        State s = jobs.get(jobId);
        if (s == null || !s.job.accountId().equals(account)) {
            throw new FakeAwsError("NotFoundException", 404, "The specified job was not found: " + jobId);
        }
        Job j = s.job;
        Xml x = Xml.document().open("DescribeJobResult", NS).open("Job").el("JobId", j.jobId())
                .el("ConfirmationRequired", j.status().equals("Suspended")).el("Description", j.description())
                .el("JobArn", "arn:aws:s3:" + FakeAws.REGION + ":" + j.accountId() + ":job/" + j.jobId())
                .el("Status", j.status()).el("Priority", j.priority())
                .open("ProgressSummary").el("TotalNumberOfTasks", j.totalTasks())
                .el("NumberOfTasksSucceeded", j.succeededTasks()).el("NumberOfTasksFailed", j.failedTasks()).close();
        if (!s.failureReasons.isEmpty()) {
            x.open("FailureReasons");
            s.failureReasons.forEach(r -> x.open("member").el("FailureCode", "FakeFailure").el("FailureReason", r).close());
            x.close();
        }
        x.el("CreationTime", s.created).el("TerminationDate", s.terminated).el("RoleArn", j.roleArn());
        return FakeReply.xml(x.toString());
    }

    /** The CreateJob fields the fake understands, flattened. */
    private static Map<String, String> parse(Element root) {
        Map<String, String> p = new java.util.TreeMap<>();
        for (String f : List.of("ClientRequestToken", "RoleArn", "Priority", "Description", "ConfirmationRequired")) {
            Xml.text(root, f).ifPresent(v -> p.put(f, v));
        }
        Xml.text(root, "Operation", "S3PutObjectAcl", "AccessControlPolicy", "CannedAccessControlList")
                .ifPresent(v -> p.put("CannedAccessControlList", v));
        if (Xml.child(root, "Manifest") != null) {
            p.put("Manifest", "present");
        }
        Element gen = Xml.child(Xml.child(root, "ManifestGenerator"), "S3JobManifestGenerator");
        Xml.text(gen, "SourceBucket").ifPresent(v -> p.put("SourceBucket", v));
        Xml.text(gen, "EnableManifestOutput").ifPresent(v -> p.put("EnableManifestOutput", v));
        List<String> prefixes = Xml.texts(gen, "Filter", "KeyNameConstraint", "MatchAnyPrefix");
        if (!prefixes.isEmpty()) {
            p.put("MatchAnyPrefix", prefixes.get(0));
        }
        Element report = Xml.child(root, "Report");
        for (String f : List.of("Enabled", "Bucket", "Prefix", "Format", "ReportScope")) {
            Xml.text(report, f).ifPresent(v -> p.put("Report." + f, v));
        }
        return p;
    }

    private State state(String jobId) {
        State s = jobs.get(jobId);
        if (s == null) {
            throw new IllegalArgumentException("no fake job " + jobId);
        }
        return s;
    }

    private static Job with(Job j, String status, long total, long ok, long failed) {
        return new Job(j.jobId(), j.accountId(), status, j.bucket(), j.prefix(), j.cannedAcl(), j.roleArn(),
                j.clientRequestToken(), j.reportBucket(), j.reportPrefix(), j.description(), j.priority(), total, ok,
                failed);
    }
}
