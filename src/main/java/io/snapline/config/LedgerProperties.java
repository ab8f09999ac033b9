package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The pipeline ledger ({@code snapline.ledger.*}).
 *
 * @param store        {@code dynamodb} or {@code embedded}; default: embedded in local mode, else dynamodb
 * @param table        the DynamoDB table (partition key {@code pk}, string; TTL attribute {@code ttl})
 * @param path         the embedded ledger's journal file
 * @param completedTtl how long completed operations are remembered
 */
@ConfigurationProperties("snapline.ledger")
public record LedgerProperties(
        @Nullable String store,
        @Bindable(defaultValue = "snapline-ledger") String table,
        @Bindable(defaultValue = ".snapline/ledger.jsonl") String path,
        @Bindable(defaultValue = "30d") Duration completedTtl) {
}
