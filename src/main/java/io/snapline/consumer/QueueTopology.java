package io.snapline.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.config.ConsumedQueue;
import io.snapline.config.InvalidConfigurationException;
import io.snapline.config.QueueProperties;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The queue Snapline consumes and its dead-letter queue, resolved once at start-up. In local mode
 * the embedded server's {@code snapline-events} and {@code snapline-events-dlq} are created (with a
 * redrive policy, {@code snapline.queue.visibility-timeout} and a 256 KiB size limit). Otherwise the
 * queue's own attributes are read ({@code GetQueueAttributes}): its {@code VisibilityTimeout} (what
 * leases and the heartbeat follow), its redrive policy (the receive budget and the DLQ, unless
 * {@code snapline.queue.dlq-url} names one) and its {@code MaximumMessageSize}, and the DLQ's.
 * Whatever cannot be read, or disagrees with the configuration, stops the start with an
 * {@link InvalidConfigurationException} that names the key and the fix.
 */
@Singleton
public class QueueTopology {

    public static final String LOCAL_QUEUE = "snapline-events";
    public static final String LOCAL_DLQ = "snapline-events-dlq";
    static final int LOCAL_MAX_RECEIVE_COUNT = ConsumedQueue.LOCAL_MAX_RECEIVE_COUNT;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queueUrl;
    private final Optional<String> dlqUrl;
    private final ConsumedQueue queue;
    private final int dlqMaximumMessageSize;

    public QueueTopology(SqsClient sqs, QueueProperties properties) {
        if (properties.localMode()) {
            ConsumedQueue local = ConsumedQueue.local(properties);
            String dlq = sqs.createQueue(r -> r.queueName(LOCAL_DLQ).attributes(Map.of(
                    QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(local.maximumMessageSize())))).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            this.queueUrl = sqs.createQueue(r -> r.queueName(LOCAL_QUEUE).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(local.visibilityTimeout().toSeconds()),
                    QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(local.maximumMessageSize()),
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                            + "\",\"maxReceiveCount\":\"" + local.maxReceiveCount().getAsInt() + "\"}"))).queueUrl();
            this.dlqUrl = Optional.of(dlq);
            this.queue = local;
            this.dlqMaximumMessageSize = local.maximumMessageSize();
            return;
        }
        List<String> problems = new ArrayList<>();
        this.queueUrl = properties.url();
        Map<QueueAttributeName, String> attributes = attributes(sqs, queueUrl, problems, "snapline.queue.url",
                "check the URL, the region and the sqs:GetQueueAttributes permission",
                QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY,
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
        Duration visibility = Duration.ZERO;
        OptionalInt maxReceiveCount = OptionalInt.empty();
        Optional<String> dlq = Optional.empty();
        int maximumMessageSize = ConsumedQueue.DEFAULT_MAXIMUM_MESSAGE_SIZE;
        if (attributes != null) {
            maximumMessageSize = size(attributes.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
            visibility = visibility(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT), properties, problems);
            Optional<JsonNode> redrive = redrivePolicy(attributes.get(QueueAttributeName.REDRIVE_POLICY), problems);
            maxReceiveCount = redrive.map(r -> r.path("maxReceiveCount").asInt(0)).filter(n -> n > 0)
                    .map(OptionalInt::of).orElse(OptionalInt.empty());
            if (properties.dlqUrl() != null && !properties.dlqUrl().isBlank()) {
                dlq = Optional.of(properties.dlqUrl().trim());
            } else {
                dlq = redrive.map(r -> r.path("deadLetterTargetArn").asText(null)).flatMap(arnText ->
                        dlqUrl(sqs, arnText, problems));
            }
        }
        int dlqSize = maximumMessageSize;
        if (dlq.isPresent()) {
            Map<QueueAttributeName, String> dlqAttributes = attributes(sqs, dlq.get(), problems,
                    "snapline.queue.dlq-url", "check the dead-letter queue's URL (or the redrive policy's "
                            + "deadLetterTargetArn) and the sqs:GetQueueAttributes permission on it",
                    QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
            dlqSize = dlqAttributes == null ? dlqSize : size(dlqAttributes.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.dlqUrl = dlq;
        this.queue = new ConsumedQueue(visibility, maxReceiveCount, maximumMessageSize);
        this.dlqMaximumMessageSize = dlqSize;
    }

    /** The named attributes of the queue, or null (and a problem) when they cannot be read. */
    private static Map<QueueAttributeName, String> attributes(SqsClient sqs, String url, List<String> problems,
                                                              String key, String fix, QueueAttributeName... names) {
        try {
            return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
        } catch (RuntimeException e) {
            problems.add(key + ": cannot read queue '" + url + "' (" + SafeText.of(e.getMessage(), 500) + "); " + fix);
            return null;
        }
    }

    private Duration visibility(String value, QueueProperties properties, List<String> problems) {
        Duration visibility;
        try {
            visibility = Duration.ofSeconds(Long.parseLong(value == null ? "" : value.trim()));
        } catch (NumberFormatException e) {
            problems.add("snapline.queue.url: queue '" + queueUrl + "' did not tell its VisibilityTimeout ("
                    + value + "); Snapline's leases and heartbeat follow it, so it must be readable");
            return Duration.ZERO;
        }
        if (visibility.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("snapline.queue.url: queue '" + queueUrl + "' has VisibilityTimeout 0s: every message would "
                    + "be delivered again while being handled; give the queue a VisibilityTimeout of at least 30s "
                    + "(300s is usual)");
        }
        properties.visibilityTimeout().filter(configured -> !configured.equals(visibility)).ifPresent(configured ->
                problems.add("snapline.queue.visibility-timeout: " + configured.toSeconds() + "s, but queue '"
                        + queueUrl + "' has VisibilityTimeout " + visibility.toSeconds() + "s; leases and the "
                        + "heartbeat follow the queue, so remove the key (or change the queue's VisibilityTimeout)"));
        return visibility;
    }

    private static Optional<JsonNode> redrivePolicy(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(text));
        } catch (Exception e) {
            problems.add("snapline.queue.url: the queue's RedrivePolicy is not JSON (" + SafeText.of(text, 300)
                    + "); fix the queue's redrive policy");
            return Optional.empty();
        }
    }

    private static Optional<String> dlqUrl(SqsClient sqs, String arnText, List<String> problems) {
        Optional<Arn> arn = Arn.parse(arnText);
        if (arn.isEmpty()) {
            problems.add("snapline.queue.dlq-url: the redrive policy's deadLetterTargetArn '" + SafeText.of(arnText, 300)
                    + "' is not an ARN; set snapline.queue.dlq-url or fix the redrive policy");
            return Optional.empty();
        }
        try {
            return Optional.of(sqs.getQueueUrl(r -> r.queueName(arn.get().resource())
                    .queueOwnerAWSAccountId(arn.get().account())).queueUrl());
        } catch (RuntimeException e) {
            problems.add("snapline.queue.dlq-url: cannot find the dead-letter queue " + arnText + " of the redrive "
                    + "policy (" + SafeText.of(e.getMessage(), 500) + "); set snapline.queue.dlq-url or grant "
                    + "sqs:GetQueueUrl");
            return Optional.empty();
        }
    }

    /** A queue's MaximumMessageSize; an emulator that does not say is taken at SQS's 256 KiB. */
    private static int size(String value) {
        try {
            return value == null ? ConsumedQueue.DEFAULT_MAXIMUM_MESSAGE_SIZE : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return ConsumedQueue.DEFAULT_MAXIMUM_MESSAGE_SIZE;
        }
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** The dead-letter queue, if configured or found in the redrive policy. */
    public Optional<String> dlqUrl() {
        return dlqUrl;
    }

    /** The queue's own settings: visibility timeout, receive budget, size limit. */
    public ConsumedQueue queue() {
        return queue;
    }

    /** The dead-letter queue's MaximumMessageSize (the body plus every attribute must fit in it). */
    public int dlqMaximumMessageSize() {
        return dlqMaximumMessageSize;
    }
}
