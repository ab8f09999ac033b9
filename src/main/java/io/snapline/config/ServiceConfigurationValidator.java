package io.snapline.config;

import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service settings ({@code snapline.queue.*}, {@code snapline.aws.*}, {@code snapline.ledger.*}):
 * one of the {@link ConfigurationCheck}s of the start-up validation, so a bad value stops the boot
 * with a message naming the key and the fix instead of failing at the first message.
 */
@Singleton
public class ServiceConfigurationValidator implements ConfigurationCheck {

    private final QueueProperties queue;
    private final AwsProperties aws;
    private final LedgerProperties ledger;

    public ServiceConfigurationValidator(QueueProperties queue, AwsProperties aws, LedgerProperties ledger) {
        this.queue = queue;
        this.aws = aws;
        this.ledger = ledger;
    }

    @Override
    public List<String> problems() {
        return problems(queue, aws, ledger);
    }

    static List<String> problems(QueueProperties queue, AwsProperties aws, LedgerProperties ledger) {
        List<String> problems = new ArrayList<>();
        if (!queue.localMode() && !validQueueUrl(queue.url())) {
            problems.add("snapline.queue.url: '" + queue.url() + "' is not a queue URL; give the URL SQS shows, e.g. "
                    + "https://sqs.eu-west-1.amazonaws.com/123456789012/snapline-events");
        }
        if (queue.pollers() < 1 || queue.pollers() > 64) {
            problems.add("snapline.queue.pollers: " + queue.pollers() + " is out of range; use 1 to 64");
        }
        if (queue.maxInFlight() < 1 || queue.maxInFlight() > 10_000) {
            problems.add("snapline.queue.max-in-flight: " + queue.maxInFlight() + " is out of range; use 1 to 10000");
        }
        if (queue.waitTime().isNegative() || queue.waitTime().compareTo(Duration.ofSeconds(20)) > 0) {
            problems.add("snapline.queue.wait-time: " + queue.waitTime() + " is out of range; SQS long polling takes 0s to 20s");
        }
        queue.visibilityTimeout().ifPresent(v -> {
            if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofHours(12)) > 0) {
                problems.add("snapline.queue.visibility-timeout: " + v + " is out of range; SQS takes 1s to 12h "
                        + "(with a queue URL, remove the key: Snapline reads the queue's own VisibilityTimeout)");
            }
        });
        if (queue.backoffBase().compareTo(Duration.ofSeconds(1)) < 0 || queue.backoffMax().compareTo(queue.backoffBase()) < 0) {
            problems.add("snapline.queue.backoff-base/backoff-max: need 1s <= backoff-base <= backoff-max (got "
                    + queue.backoffBase() + " and " + queue.backoffMax() + ")");
        }
        if (queue.shutdownDeadline().isNegative()) {
            problems.add("snapline.queue.shutdown-deadline: " + queue.shutdownDeadline() + " must not be negative");
        }
        if (queue.recheckMaxAttempts() < 1) {
            problems.add("snapline.queue.recheck-max-attempts: " + queue.recheckMaxAttempts() + " must be at least 1");
        }
        if (queue.dlqUrl() != null && !queue.dlqUrl().isBlank() && !validQueueUrl(queue.dlqUrl())) {
            problems.add("snapline.queue.dlq-url: '" + queue.dlqUrl() + "' is not a queue URL; give the dead-letter "
                    + "queue's URL as SQS shows it, or remove the key to use the queue's redrive policy");
        }
        if (aws.endpoint() != null && !aws.endpoint().isBlank()) {
            try {
                URI uri = URI.create(aws.endpoint());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
            } catch (IllegalArgumentException e) {
                problems.add("snapline.aws.endpoint: '" + aws.endpoint() + "' is not a URL; e.g. http://localhost:4566");
            }
        }
        if (ledger.store() != null && !ledger.store().isBlank()
                && !List.of("embedded", "dynamodb").contains(ledger.store().trim())) {
            problems.add("snapline.ledger.store: '" + ledger.store() + "' is not a ledger store; use embedded or dynamodb");
        }
        if (ledger.completedTtl().compareTo(Duration.ofHours(1)) < 0) {
            problems.add("snapline.ledger.completed-ttl: " + ledger.completedTtl()
                    + " is too short to catch duplicates; use at least 1h (default 30d)");
        }
        return problems;
    }

    /** True for a URL SQS could have given: http(s), a host, a path. */
    public static boolean validQueueUrl(String url) {
        return url != null && url.matches("https?://\\S+");
    }
}
