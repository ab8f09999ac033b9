package io.snapline.handler.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tells people what the export pipeline did: a JSON summary to the policy's SNS topic and,
 * optionally, a line of text to a Slack-compatible webhook.
 *
 * <p>The completed and failed notifications are steps of the {@link StepRunner}
 * ({@code notify#<taskId>#completed}, {@code notify#<taskId>#failed}, shown as {@code notify:<policy>}),
 * so a replayed event does not notify twice. An SNS failure is classified like any other: retryable
 * (the step is released and the message retried) or permanent (the step fails, once, with its reason).
 * Webhook failures are logged and never fail the step. The pipeline-error notice
 * ({@link #failureNotice}) is what the runner sends, once, when a step fails permanently.
 */
@Singleton
public class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    static final String STAGE = "notify";

    private final Gateways gateways;
    private final WebhookSender webhook;
    private final StepRunner runner;
    private final ObjectMapper json = new ObjectMapper();

    public Notifier(Gateways gateways, WebhookSender webhook, StepRunner runner) {
        this.gateways = gateways;
        this.webhook = webhook;
        this.runner = runner;
    }

    /** The ledger key of a notification of a task ({@code completed} or {@code failed}). */
    public static String notifyKey(String taskId, String kind) {
        return "notify#" + taskId + "#" + kind;
    }

    /** The export completed and its ACLs are done: where it is, how big, how long it took. */
    public Outcome exportCompleted(ExportSubject s, ExportTask task) {
        return runner.run(s.step(STAGE, notifyKey(s.taskId(), "completed"), Step.FailureNotice.NONE), () -> {
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
            return send(s, "export-completed", "Snapline: export completed for " + s.snapshotIdentifier(), body, text);
        });
    }

    /** The export task failed or was canceled: the cause as RDS gives it. */
    public Outcome exportFailed(ExportSubject s, ExportTask task) {
        return runner.run(s.step(STAGE, notifyKey(s.taskId(), "failed"), Step.FailureNotice.NONE), () -> {
            String status = task.status().toLowerCase(Locale.ROOT);
            Map<String, Object> body = base("export-failed", s);
            body.put("status", task.status());
            body.put("failureCause", task.failureCause().orElse("(no cause given)"));
            body.put("s3Location", location(task));
            String text = "Snapline: export " + s.taskId() + " of " + s.snapshotIdentifier() + " (policy "
                    + s.policy().name() + ") " + status + ": " + task.failureCause().orElse("no cause given");
            return send(s, "export-failed", "Snapline: export " + status + " for " + s.snapshotIdentifier(), body, text);
        });
    }

    /**
     * The notice a step of this export sends when it fails permanently (bad configuration, a batch
     * job with failed tasks, a missing crawler): a {@code pipeline-error} message naming the step and
     * the reason. The runner sends it once per failure; if it cannot be sent, the runner logs that and
     * the failure itself stays recorded.
     */
    public Step.FailureNotice failureNotice(ExportSubject s) {
        return (step, reason) -> pipelineError(s, step.name(), reason);
    }

    private void pipelineError(ExportSubject s, String step, String error) {
        ExportPolicy p = s.policy();
        if (p.notificationTopicArn().isEmpty() && p.webhook().isEmpty()) {
            return;
        }
        Map<String, Object> body = base("pipeline-error", s);
        body.put("step", step);
        body.put("error", error);
        String text = "Snapline: " + step + " failed for " + s.snapshotIdentifier() + " (policy " + p.name()
                + ", task " + s.taskId() + "): " + error;
        publish(s, "Snapline: " + step + " failed for " + s.snapshotIdentifier(), body, text);
    }

    private StepResult send(ExportSubject s, String event, String subject, Map<String, Object> body, String text) {
        ExportPolicy p = s.policy();
        if (p.notificationTopicArn().isEmpty() && p.webhook().isEmpty()) {
            return StepResult.skipped("no notification-topic or webhook-url configured");
        }
        publish(s, subject, body, text);
        return StepResult.done(event, event + " sent to "
                + String.join(" and ", java.util.stream.Stream.of(p.notificationTopicArn(), p.webhook().map(w -> "the webhook"))
                .flatMap(Optional::stream).toList()));
    }

    private void publish(ExportSubject s, String subject, Map<String, Object> body, String text) {
        ExportPolicy p = s.policy();
        String jsonBody;
        try {
            jsonBody = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write notification JSON", e);
        }
        if (p.notificationTopicArn().isPresent()) {
            gateways.notifications().publish(p.notificationTopicArn().get(), SafeText.of(subject, 100), jsonBody);
        }
        p.webhook().ifPresent(url -> {
            try {
                webhook.post(url, text);
            } catch (RuntimeException e) {
                LOG.warn("webhook for policy {} failed (not fatal): {}", p.name(), e.toString());
            }
        });
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

    private static Optional<Duration> duration(ExportTask task) {
        if (task.startTime().isPresent() && task.endTime().isPresent()) {
            return Optional.of(Duration.between(task.startTime().get(), task.endTime().get()));
        }
        return Optional.empty();
    }
}
