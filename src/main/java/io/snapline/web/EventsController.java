package io.snapline.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.snapline.consumer.QueueOperations;
import io.snapline.local.LocalModeCondition;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Local mode only: {@code POST /events} enqueues the request body, unchanged, as one SQS message
 * on the consumed queue, so a sample event goes through exactly the path a real one takes.
 */
@Controller("/events")
@Requires(condition = LocalModeCondition.class)
public class EventsController {

    private static final int SQS_MAX_BYTES = 1_048_576;

    private final QueueOperations queue;

    public EventsController(QueueOperations queue) {
        this.queue = queue;
    }

    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.ALL})
    public HttpResponse<Map<String, String>> enqueue(@Body String body) {
        if (body == null || body.isEmpty()) {
            return HttpResponse.badRequest(Map.of("error", "empty body: post the SQS message body to enqueue"));
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > SQS_MAX_BYTES) {
            return HttpResponse.badRequest(Map.of("error", "body larger than SQS's 1 MiB message limit"));
        }
        String id = queue.enqueue(body);
        return HttpResponse.accepted().body(Map.of("messageId", id, "queueUrl", queue.queueUrl()));
    }
}
