package io.snapline.handler.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.SnapshotSchedule;
import io.snapline.gateway.Gateways;
import io.snapline.handler.export.WebhookSender;
import io.snapline.handler.step.Step;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "snapshot failed" notice of a schedule: to the schedule's SNS topic and webhook, if configured.
 * It is a {@link Step.FailureNotice}, so the step runner sends it once per failed step, ever.
 */
@Singleton
public class ScheduleNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleNotifier.class);

    private final Gateways gateways;
    private final WebhookSender webhook;
    private final ObjectMapper json = new ObjectMapper();

    public ScheduleNotifier(Gateways gateways, WebhookSender webhook) {
        this.gateways = gateways;
        this.webhook = webhook;
    }

    /** The notice for one source's snapshot at one slot. */
    public Step.FailureNotice snapshotFailed(SnapshotSchedule schedule, String source, String identifier, String slot) {
        return (step, reason) -> {
            if (schedule.notificationTopic() == null && schedule.webhookUrl() == null) {
                LOG.info("snapshot {} of policy {} failed; no notification-topic or webhook-url configured to tell",
                        identifier, schedule.name());
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", "snapshot-failed");
            body.put("policy", schedule.name());
            body.put("source", SafeText.of(source, 300));
            body.put("snapshot", identifier);
            body.put("slot", slot);
            body.put("error", SafeText.of(reason, 2000));
            String subject = SafeText.of("Snapline: snapshot failed for " + source, 100);
            if (schedule.notificationTopic() != null && !schedule.notificationTopic().isBlank()) {
                try {
                    gateways.notifications().publish(schedule.notificationTopic(), subject, json.writeValueAsString(body));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write notification JSON", e);
                }
            }
            if (schedule.webhookUrl() != null && !schedule.webhookUrl().isBlank()) {
                try {
                    webhook.post(schedule.webhookUrl(), "Snapline: snapshot " + identifier + " (policy " + schedule.name()
                            + ", slot " + slot + ") failed: " + SafeText.of(reason, 1000));
                } catch (RuntimeException e) {
                    LOG.warn("webhook for snapshot policy {} failed (not fatal): {}", schedule.name(),
                            SafeText.of(e.toString(), 500));
                }
            }
        };
    }
}
