package io.snapline.handler.clone;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.snapline.config.ClonePolicy;
import io.snapline.gateway.Gateways;
import io.snapline.handler.export.WebhookSender;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a clone's requester and the policy's targets what happened: the request's response URL
 * (Slack's {@code response_url}, {@code {"text": …}}), the policy's webhook and SNS topic. A webhook
 * or response URL that fails is logged and not fatal; an SNS failure is rethrown (the caller's step
 * retries it).
 */
@Singleton
public class CloneNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(CloneNotifier.class);

    private final Gateways gateways;
    private final WebhookSender webhook;

    public CloneNotifier(Gateways gateways, WebhookSender webhook) {
        this.gateways = gateways;
        this.webhook = webhook;
    }

    /**
     * Sends one notice.
     *
     * @param event {@code clone-ready}, {@code clone-failed}, {@code clone-refused}, {@code clone-expiring},
     *              {@code clone-deleted}, {@code clone-extended}
     * @return where it went, for the step's detail
     */
    public String send(Optional<ClonePolicy> policy, Optional<String> responseUrl, String event, String cloneId,
                       String text, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("clone", cloneId);
        body.putAll(fields);
        String safeText = SafeText.of(text, 3000);
        StringBuilder where = new StringBuilder();
        responseUrl.ifPresent(url -> post(url, safeText, "the response URL", where));
        policy.flatMap(ClonePolicy::webhook).ifPresent(url -> post(url, safeText, "the webhook", where));
        Optional<String> topic = policy.flatMap(ClonePolicy::notificationTopicArn);
        if (topic.isPresent()) {
            try {
                gateways.notifications().publish(topic.get(), SafeText.of("Snapline: " + event + " " + cloneId, 100),
                        CloneStore.JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a clone notice", e);
            }
            where.append(where.length() == 0 ? "" : ", ").append(topic.get());
        }
        return where.length() == 0 ? "nowhere (no response URL, webhook-url or notification-topic)" : where.toString();
    }

    private void post(String url, String text, String what, StringBuilder where) {
        try {
            webhook.post(url, text);
            where.append(where.length() == 0 ? "" : ", ").append(what);
        } catch (RuntimeException e) {
            LOG.warn("clone notice to {} failed (not fatal): {}", what, SafeText.of(e.toString(), 500));
        }
    }
}
