package io.snapline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.consumer.QueueOperations;
import io.snapline.handler.clone.CloneRefusedException;
import io.snapline.handler.clone.CloneRequest;
import io.snapline.handler.clone.CloneRequests;
import io.snapline.handler.clone.Ttls;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code POST /clones} and {@code POST /slack/commands} share: a request's arguments checked
 * as the {@code clone}/{@code extend}/{@code delete} command would check them (a refusal is answered
 * at once, nothing is sent), then the command put on the queue, where the same checks run again and
 * the work is done. Answering does not wait for RDS.
 */
@Singleton
public class CloneRequestsEndpoint {

    static final Set<String> COMMANDS = Set.of("clone", "extend", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloneRequests requests;
    private final QueueOperations queue;

    public CloneRequestsEndpoint(CloneRequests requests, QueueOperations queue) {
        this.requests = requests;
        this.queue = queue;
    }

    /** What was enqueued: the command's body and, for a clone, its clone id. */
    public record Accepted(String command, Optional<String> cloneId, String messageId, String summary) {
    }

    /**
     * Checks and enqueues one request.
     *
     * @throws CloneRefusedException with the reason to show the requester
     */
    public Accepted submit(String command, Map<String, String> args, Optional<String> requestId) {
        if (!COMMANDS.contains(command)) {
            throw new CloneRefusedException("unknown command '" + io.snapline.message.SafeText.of(command, 40)
                    + "'; use clone, extend or delete");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        args.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                body.put(k, v);
            }
        });
        Optional<String> cloneId = Optional.empty();
        String summary;
        switch (command) {
            case "clone" -> {
                CloneRequest r = requests.clone(args, requestId);
                body.put("policy", r.policy().name());
                body.put("instanceClass", r.instanceClass());
                body.put("ttl", Ttls.format(r.ttl()));
                body.put("requestedBy", r.requestedBy());
                body.put("requestId", r.requestId());
                cloneId = Optional.of(r.cloneId());
                summary = "clone " + r.cloneId() + " of " + r.source() + " requested (" + r.instanceClass() + ", "
                        + Ttls.format(r.ttl()) + ", policy " + r.policy().name() + "); you will be told when it is"
                        + " masked and ready";
            }
            case "extend" -> {
                String id = args.get("clone");
                if (id == null || id.isBlank()) {
                    throw new CloneRefusedException("no clone: name the clone to extend");
                }
                requests.responseUrl(args.get("responseUrl"));
                summary = "extension of clone " + id + " requested";
            }
            default -> {
                String id = args.get("clone");
                if (id == null || id.isBlank()) {
                    throw new CloneRefusedException("no clone: name the clone to delete");
                }
                requests.responseUrl(args.get("responseUrl"));
                summary = "deletion of clone " + id + " requested";
            }
        }
        requestId.ifPresent(id -> body.putIfAbsent("requestId", id));
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a command", e);
        }
        String messageId = queue.enqueue(json);
        return new Accepted(json, cloneId, messageId, summary);
    }
}
