package io.snapline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.snapline.handler.clone.CloneRefusedException;
import io.snapline.handler.clone.ClonesView;
import io.snapline.handler.clone.LiveClone;
import io.snapline.message.SafeText;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /clones}: the live clones (source, requester, class, state, expiry; endpoint, port and
 * secret ARN only of clones verified masked). {@code POST /clones}: the {@code clone}, {@code extend}
 * or {@code delete} command as JSON ({@code {"command":"clone","source":…,"instanceClass":…,"ttl":…}};
 * {@code command} defaults to {@code clone}): refused at once with 400 and the reason, or accepted
 * with 202 and put on the queue.
 */
@Controller("/clones")
public class ClonesController {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY = 16 * 1024;

    private final ClonesView view;
    private final CloneRequestsEndpoint endpoint;

    public ClonesController(ClonesView view, CloneRequestsEndpoint endpoint) {
        this.view = view;
        this.endpoint = endpoint;
    }

    @Get
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        return view.live().stream().map(ClonesController::toJson).toList();
    }

    static Map<String, Object> toJson(LiveClone c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("policy", c.policy());
        m.put("source", c.source());
        m.put("requestedBy", c.requestedBy());
        m.put("instanceClass", c.instanceClass());
        m.put("state", c.state());
        m.put("status", c.status());
        m.put("expiresAt", c.expiresAt());
        c.access().ifPresent(a -> {
            m.put("endpoint", a.endpoint());
            m.put("port", a.port());
            m.put("secretArn", a.secretArn());
        });
        return m;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> request(@Body String body) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            return HttpResponse.badRequest(Map.of("error", "post a JSON object of at most " + MAX_BODY + " characters"));
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return HttpResponse.badRequest(Map.of("error", "not JSON"));
        }
        if (node == null || !node.isObject()) {
            return HttpResponse.badRequest(Map.of("error", "post a JSON object"));
        }
        Map<String, String> args = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                args.put(e.getKey(), e.getValue().asText());
            }
        });
        String command = Optional.ofNullable(args.remove("command")).orElse("clone");
        Optional<String> requestId = Optional.ofNullable(args.remove("requestId"));
        try {
            CloneRequestsEndpoint.Accepted a = endpoint.submit(command, args, requestId);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("accepted", a.summary());
            a.cloneId().ifPresent(id -> out.put("clone", id));
            out.put("messageId", a.messageId());
            return HttpResponse.accepted().body(out);
        } catch (CloneRefusedException refused) {
            return HttpResponse.badRequest(Map.of("error", SafeText.of(refused.getMessage(), 1000)));
        }
    }
}
