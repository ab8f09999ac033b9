package io.snapline.handler.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.CopyPolicy;
import io.snapline.gateway.Gateways;
import io.snapline.handler.step.Step;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "copy completed" and "copy failed" notices of a copy policy, to its {@code notification-topic}. The
 * failure notice is a {@link Step.FailureNotice} (the step runner sends it once per failed copy, ever); the
 * completion notice is sent by the completion step, once per copy.
 */
@Singleton
public class CopyNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(CopyNotifier.class);

    private final Gateways gateways;
    private final ObjectMapper json = new ObjectMapper();

    public CopyNotifier(Gateways gateways) {
        this.gateways = gateways;
    }

    /** The notice for a copy that failed permanently. */
    public Step.FailureNotice copyFailed(CopyPolicy policy, String sourceArn, String target) {
        return (step, reason) -> send(policy, "copy-failed", sourceArn, target, "Snapline: copy failed for ", reason);
    }

    /** Tells that a copy finished ({@code RDS-EVENT-0060}, or found by reconcile). */
    public void copyCompleted(CopyPolicy policy, String sourceArn, String targetArn) {
        send(policy, "copy-completed", sourceArn, targetArn, "Snapline: copy completed for ", null);
    }

    /** Tells that a copy was canceled or failed at the destination after it had started. */
    public void copyEndedBadly(CopyPolicy policy, String sourceArn, String target, String reason) {
        send(policy, "copy-failed", sourceArn, target, "Snapline: copy failed for ", reason);
    }

    private void send(CopyPolicy policy, String event, String sourceArn, String target, String subjectStart,
                      String reason) {
        if (policy.notificationTopic() == null || policy.notificationTopic().isBlank()) {
            LOG.info("{} of {} (copy policy {}): no notification-topic configured to tell", event,
                    SafeText.of(sourceArn, 300), policy.name());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("policy", policy.name());
        body.put("source", SafeText.of(sourceArn, 300));
        body.put("target", SafeText.of(target, 300));
        body.put("destinationRegion", policy.destinationRegion());
        if (reason != null) {
            body.put("error", SafeText.of(reason, 2000));
        }
        try {
            gateways.notifications().publish(policy.notificationTopic(),
                    SafeText.of(subjectStart + sourceArn, 100), json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write notification JSON", e);
        }
    }
}
