package io.snapline.handler.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.ExportPolicy;
import io.snapline.config.ConsumedQueue;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.error.PermanentProcessingException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells people what the export pipeline did: a JSON summary to the policy's SNS topic and,
 * optionally, a line of text to a Slack-compatible webhook. Each notification is claimed in the
 * ledger ({@code notify#<taskId>#<kind>}), so a replayed event does not notify twice. SNS failures
 * propagate (the step is retried); webhook failures are logged and never fail the pipeline.
 */
@Singleton
public class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final Gateways gateways;
    private final Ledger ledger;
    private final Duration lease;
    private final WebhookSender webhook;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public Notifier(Gateways gateways, Ledger ledger, ConsumedQueue queue, WebhookSender webhook) {
        this(gateways, ledger, queue.visibilityTimeout(), webhook);
    }

    public Notifier(Gateways gateways, Ledger ledger, Duration lease, WebhookSender webhook) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.lease = lease;
        this.webhook = webhook;
    }

    /** The export completed and its ACLs are done: where it is, how big, how long it took. */
    public void exportCompleted(ExportSubject s, ExportTask task) {
        Map<String, Object> body = base("export-completed", s);
        body.put("status", task.status());
        body.put("s3Location", location(task));
        body.put("sizeGb", task.totalExtractedDataInGb());
        duration(task).ifPresent(d -> body.put("durationSeconds", d.toSeconds()));
        task.startTime().ifPresent(t -> body.put("taskStartTime", t.toString()));
        task.endTime().ifPresent(t -> body.put("taskEndTime", t.toString()));
        String text = "Snapline: export " + s.taskId() + " of " + s.snapshotIdentifier() + " (policy "
                + s.policy().name() + ") completed: " + location(task) + ", " + task.totalExtractedDataInGb() + " GB"
                + duration(task).map(d -> ", " + d.toMinutes() + " min").orElse("");
        send(s, "completed", "Snapline: export completed for " + s.snapshotIdentifier(), body, text);
    }

    /** The export task failed or was canceled: the cause as RDS gives it. */
    public void exportFailed(ExportSubject s, ExportTask task) {
        Map<String, Object> body = base("export-failed", s);
        body.put("status", task.status());
        body.put("failureCause", task.failureCause().orElse("(no cause given)"));
        body.put("s3Location", location(task));
        String text = "Snapline: export " + s.taskId() + " of " + s.snapshotIdentifier() + " (policy "
                + s.policy().name() + ") " + task.status().toLowerCase(java.util.Locale.ROOT) + ": "
                + task.failureCause().orElse("no cause given");
        send(s, "failed", "Snapline: export " + task.status().toLowerCase(java.util.Locale.ROOT) + " for "
                + s.snapshotIdentifier(), body, text);
    }

    /**
     * A permanent pipeline error (bad configuration, a batch job with failed tasks, a missing
     * crawler). Never throws: the caller is already failing with the original error.
     */
    /**
     * A step failed permanently: gives its claim back (so a fixed configuration can run it again),
     * records the step FAILED and sends the error notice once. Returns the exception to rethrow.
     */
    PermanentProcessingException stepFailed(ExportSubject s, String claimKey, String step, PermanentProcessingException e) {
        ledger.release(claimKey);
        ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.FAILED, e.getMessage());
        pipelineError(s, step, e.getMessage());
        return e;
    }

    public void pipelineError(ExportSubject s, String step, String error) {
        try {
            Map<String, Object> body = base("pipeline-error", s);
            body.put("step", step);
            body.put("error", error);
            String text = "Snapline: " + step + " failed for " + s.snapshotIdentifier() + " (policy "
                    + s.policy().name() + ", task " + s.taskId() + "): " + error;
            send(s, "error-" + step.replace(':', '-'), "Snapline: " + step + " failed for " + s.snapshotIdentifier(),
                    body, text);
        } catch (RuntimeException e) {
            LOG.warn("could not notify the {} error of {}: {}", step, s.taskId(), e.toString());
        }
    }

    private void send(ExportSubject s, String kind, String subject, Map<String, Object> body, String text) {
        ExportPolicy p = s.policy();
        if (p.notificationTopicArn().isEmpty() && p.webhook().isEmpty()) {
            return;
        }
        String key = "notify#" + s.taskId() + "#" + kind;
        ClaimResult claim = ledger.claim(key, lease);
        if (claim.status() != ClaimResult.Status.ACQUIRED) {
            return;
        }
        try {
            String jsonBody = json.writeValueAsString(body);
            if (p.notificationTopicArn().isPresent()) {
                gateways.notifications().publish(p.notificationTopicArn().get(), truncate(subject, 100), jsonBody);
            }
            p.webhook().ifPresent(url -> {
                try {
                    webhook.post(url, text);
                } catch (RuntimeException e) {
                    LOG.warn("webhook for policy {} failed (not fatal): {}", p.name(), e.toString());
                }
            });
            ledger.complete(key, kind);
        } catch (JsonProcessingException e) {
            ledger.release(key);
            throw new IllegalStateException("cannot write notification JSON", e);
        } catch (RuntimeException e) {
            ledger.release(key);
            throw e;
        }
    }

    private static Map<String, Object> base(String event, ExportSubject s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("policy", s.policy().name());
        body.put("source", s.sourceId());
        body.put("snapshot", s.snapshotIdentifier());
        body.put("snapshotArn", s.snapshotArn());
        body.put("exportTaskId", s.taskId());
        return body;
    }

    static String location(ExportTask task) {
        return "s3://" + task.bucket() + "/" + task.s3Folder();
    }

    private static java.util.Optional<Duration> duration(ExportTask task) {
        if (task.startTime().isPresent() && task.endTime().isPresent()) {
            return java.util.Optional.of(Duration.between(task.startTime().get(), task.endTime().get()));
        }
        return java.util.Optional.empty();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
