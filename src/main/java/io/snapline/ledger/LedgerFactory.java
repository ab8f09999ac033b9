package io.snapline.ledger;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.BeanProvider;
import io.snapline.config.LedgerProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Chooses the ledger: {@code snapline.ledger.store} = {@code embedded} or {@code dynamodb};
 * unset means embedded in local mode and DynamoDB otherwise. The DynamoDB table is checked at
 * start-up, so a missing table stops the boot with the key to fix. In dry-run (and local mode) the
 * ledger is wrapped in a {@link DryRunLedger}, so a dry run never blocks a later real run.
 */
@Factory
public class LedgerFactory {

    @Singleton
    @Bean(preDestroy = "close")
    Ledger ledger(LedgerProperties properties, QueueProperties queue, SnaplineProperties snapline,
                  BeanProvider<DynamoDbClient> dynamo) {
        Ledger ledger = store(properties, queue, dynamo);
        return snapline.dryRun() || queue.localMode() ? new DryRunLedger(ledger) : ledger;
    }

    private static Ledger store(LedgerProperties properties, QueueProperties queue, BeanProvider<DynamoDbClient> dynamo) {
        String store = properties.store() == null || properties.store().isBlank()
                ? (queue.localMode() ? "embedded" : "dynamodb") : properties.store().trim();
        return switch (store) {
            case "embedded" -> new EmbeddedLedger(Path.of(properties.path()), properties.completedTtl(), Clock.systemUTC());
            case "dynamodb" -> {
                DynamoDbLedger ledger = new DynamoDbLedger(dynamo.get(), properties.table(), properties.completedTtl(),
                        Clock.systemUTC());
                ledger.verifyTable();
                yield ledger;
            }
            default -> throw new IllegalStateException("snapline.ledger.store: '" + store
                    + "' is not a ledger store; use 'embedded' (a local journal file) or 'dynamodb'");
        };
    }
}
