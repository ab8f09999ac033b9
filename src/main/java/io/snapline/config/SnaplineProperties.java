package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;


/**
 * Top-level service settings ({@code snapline.*}). With {@code snapline.queue.url} unset the
 * service runs in local mode: an embedded SQS server, the embedded ledger, and dry-run.
 *
 * @param dryRun log the exact AWS requests that would change something, and change nothing
 * @param region AWS region of the clients (default: the SDK's region chain, {@code us-east-1} in local mode)
 */
@ConfigurationProperties("snapline")
public record SnaplineProperties(
        @Bindable(defaultValue = "false") boolean dryRun,
        @Nullable String region) {
}
