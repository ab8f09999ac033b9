package io.snapline.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.core.annotation.Nullable;
import io.snapline.config.SlackProperties;
import io.snapline.handler.clone.CloneRefusedException;
import io.snapline.handler.clone.Ttls;
import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /slack/commands}: Slack's slash command ({@code /clone <source> [class] [ttl] [policy=<p>]},
 * {@code /clone extend <clone> <ttl>}, {@code /clone delete <clone>}).
 *
 * <p>Every request is verified first: {@code X-Slack-Signature} must be {@code v0=} and the hex
 * HMAC-SHA256 of {@code v0:<X-Slack-Request-Timestamp>:<raw body>} under the signing secret
 * (constant-time compare), and the timestamp within five minutes of now; otherwise 401 and nothing
 * else happens. A verified request is checked like the queue command, enqueued, and answered at once
 * (Slack waits three seconds at most) with an acknowledgement or the refusal; the result goes later
 * to the request's {@code response_url} and the policy's webhook.
 */
@Controller("/slack/commands")
public class SlackCommandsController {

    private static final Logger LOG = LoggerFactory.getLogger(SlackCommandsController.class);
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int MAX_BODY = 8 * 1024;

    private final SlackProperties slack;
    private final CloneRequestsEndpoint endpoint;
    private final Clock clock;

    public SlackCommandsController(SlackProperties slack, CloneRequestsEndpoint endpoint,
                                   io.snapline.handler.clone.CloneTime time) {
        this.slack = slack;
        this.endpoint = endpoint;
        this.clock = time.clock();
    }

    @Post
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> command(@Body @Nullable String body,
                                                    @Header("X-Slack-Request-Timestamp") @Nullable String timestamp,
                                                    @Header("X-Slack-Signature") @Nullable String signature) {
        Optional<String> refused = verify(slack.signingSecret(), timestamp, signature, body, clock.instant().getEpochSecond());
        if (refused.isPresent()) {
            LOG.warn("POST /slack/commands refused: {}", refused.get());
            return HttpResponse.<Map<String, Object>>status(HttpStatus.UNAUTHORIZED).body(Map.of("error", refused.get()));
        }
        Map<String, String> form = form(body);
        List<String> words = List.of(form.getOrDefault("text", "").strip().split("\\s+"));
        String user = form.getOrDefault("user_name", form.getOrDefault("user_id", "slack-user"));
        Map<String, String> args = new LinkedHashMap<>();
        args.put("requestedBy", "slack:" + user);
        if (form.get("response_url") != null) {
            args.put("responseUrl", form.get("response_url"));
        }
        String command;
        if (words.isEmpty() || words.get(0).isEmpty() || words.get(0).equals("help")) {
            return ephemeral("Usage: /clone <source> [instance class] [ttl, e.g. 3d] [policy=<name>] |"
                    + " /clone extend <clone> <ttl> | /clone delete <clone>");
        }
        if (words.get(0).equals("extend") || words.get(0).equals("delete")) {
            command = words.get(0);
            if (words.size() > 1) {
                args.put("clone", words.get(1));
            }
            if (command.equals("extend") && words.size() > 2) {
                args.put("ttl", words.get(2));
            }
        } else {
            command = "clone";
            args.put("source", words.get(0));
            for (String w : words.subList(1, words.size())) {
                if (w.startsWith("policy=")) {
                    args.put("policy", w.substring("policy=".length()));
                } else if (w.startsWith("db.")) {
                    args.put("instanceClass", w);
                } else if (Ttls.parse(w).isPresent()) {
                    args.put("ttl", w);
                } else {
                    return ephemeral("Refused: '" + SafeText.of(w, 40) + "' is neither an instance class (db.…),"
                            + " a ttl (12h, 3d) nor policy=<name>; nothing was created");
                }
            }
        }
        Optional<String> requestId = Optional.ofNullable(form.get("trigger_id")).filter(s -> !s.isBlank())
                .map(t -> "slack-" + t);
        try {
            CloneRequestsEndpoint.Accepted a = endpoint.submit(command, args, requestId);
            return ephemeral("Snapline: " + a.summary() + ".");
        } catch (CloneRefusedException e) {
            return ephemeral("Refused: " + SafeText.of(e.getMessage(), 1000) + ". Nothing was created.");
        }
    }

    private static HttpResponse<Map<String, Object>> ephemeral(String text) {
        return HttpResponse.ok(Map.<String, Object>of("response_type", "ephemeral", "text", text))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /**
     * Slack's request signature check. Empty when the request is Slack's; else why not.
     *
     * @param nowEpochSeconds the current time
     */
    static Optional<String> verify(String secret, String timestamp, String signature, String body, long nowEpochSeconds) {
        if (secret == null || secret.isBlank()) {
            return Optional.of("snapline.slack.signing-secret is not set; every Slack request is refused");
        }
        if (timestamp == null || signature == null || body == null) {
            return Optional.of("missing X-Slack-Request-Timestamp, X-Slack-Signature or body");
        }
        if (body.length() > MAX_BODY) {
            return Optional.of("body longer than " + MAX_BODY + " characters");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Optional.of("X-Slack-Request-Timestamp is not a number");
        }
        if (Math.abs(nowEpochSeconds - ts) > WINDOW.toSeconds()) {
            return Optional.of("X-Slack-Request-Timestamp is more than five minutes from now (a replay?)");
        }
        byte[] expected = ("v0=" + sign(secret, timestamp.strip(), body)).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("X-Slack-Signature does not match");
        }
        return Optional.empty();
    }

    /** The hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed pair is skipped; the signature already proved the body is Slack's
            }
        }
        return out;
    }
}
