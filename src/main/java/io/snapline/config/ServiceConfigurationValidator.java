package io.snapline.config;

import io.micronaut.context.annotation.Context;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the service settings when the application starts, so a bad value stops the boot with a
 * message naming the key and the fix instead of failing at the first message.
 */
@Context
public class ServiceConfigurationValidator {

    public ServiceConfigurationValidator(QueueProperties queue, AwsProperties aws, LedgerProperties ledger) {
        List<String> problems = problems(queue, aws, ledger);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Snapline cannot start, invalid configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    static List<String> problems(QueueProperties queue, AwsProperties aws, LedgerProperties ledger) {
        List<String> problems = new ArrayList<>();
        if (!queue.localMode() && !queue.url().matches("https?://\\S+")) {
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
        if (queue.visibilityTimeout().compareTo(Duration.ofSeconds(1)) < 0
                || queue.visibilityTimeout().compareTo(Duration.ofHours(12)) > 0) {
            problems.add("snapline.queue.visibility-timeout: " + queue.visibilityTimeout()
                    + " is out of range; SQS takes 1s to 12h (match the queue's VisibilityTimeout)");
        }
        if (queue.backoffBase().compareTo(Duration.ofSeconds(1)) < 0 || queue.backoffMax().compareTo(queue.backoffBase()) < 0) {
            problems.add("snapline.queue.backoff-base/backoff-max: need 1s <= backoff-base <= backoff-max (got "
                    + queue.backoffBase() + " and " + queue.backoffMax() + ")");
        }
        if (queue.shutdownDeadline().isNegative()) {
            problems.add("snapline.queue.shutdown-deadline: must not be negative");
        }
        if (queue.recheckMaxAttempts() < 1) {
            problems.add("snapline.queue.recheck-max-attempts: " + queue.recheckMaxAttempts() + " must be at least 1");
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
}
