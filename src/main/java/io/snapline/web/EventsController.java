package io.snapline.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.snapline.consumer.QueueOperations;
import io.snapline.local.LocalModeCondition;
import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Local mode only: {@code POST /events} enqueues the request body, unchanged, as one SQS message
 * on the consumed queue, so a sample event goes through exactly the path a real one takes. What SQS
 * would refuse is refused here with the reason: a body larger than the queue's
 * {@code MaximumMessageSize} (413), or one holding a character SQS does not accept in a message
 * (400, naming it and where it is).
 *
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html">SendMessage: allowed characters</a>
 */
@Controller("/events")
@Requires(condition = LocalModeCondition.class)
public class EventsController {

    private static final Logger LOG = LoggerFactory.getLogger(EventsController.class);

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
        int limit = queue.maximumMessageSize();
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            return HttpResponse.<Map<String, String>>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(Map.of("error",
                    "the body is " + bytes + " bytes; the queue takes at most " + limit + " bytes per message "
                            + "(its MaximumMessageSize; SNS delivers at most 256 KB)"));
        }
        Optional<String> refused = refusedCharacter(body);
        if (refused.isPresent()) {
            return HttpResponse.badRequest(Map.of("error", refused.get()));
        }
        String id;
        try {
            id = queue.enqueue(body);
        } catch (RuntimeException e) {
            LOG.warn("POST /events: the queue refused the body: {}", SafeText.of(e.getMessage(), 1000));
            return HttpResponse.<Map<String, String>>status(HttpStatus.BAD_GATEWAY).body(Map.of("error",
                    "the queue refused the body: " + SafeText.of(e.getMessage(), 1000)));
        }
        return HttpResponse.accepted().body(Map.of("messageId", id, "queueUrl", queue.queueUrl()));
    }

    /**
     * The first character SQS does not take in a message body, described; SQS takes {@code #x9},
     * {@code #xA}, {@code #xD}, {@code #x20–#xD7FF}, {@code #xE000–#xFFFD} and {@code #x10000–#x10FFFF}.
     */
    static Optional<String> refusedCharacter(String body) {
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < body.length()
                    && Character.isLowSurrogate(body.charAt(i + 1));
            if (pair) {
                i += 2;
                continue;
            }
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD);
            if (!allowed) {
                String what = c == 0 ? "a NUL character (U+0000)"
                        : Character.isSurrogate(c) ? String.format("half a surrogate pair (U+%04X)", (int) c)
                        : String.format("the character U+%04X", (int) c);
                return Optional.of("the body holds " + what + " at character " + i + ", which SQS does not accept in "
                        + "a message; remove it (in JSON, write it as an escape such as \\u0000)");
            }
            i++;
        }
        return Optional.empty();
    }
}
