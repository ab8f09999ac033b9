package io.snapline.ledger;

import io.snapline.testing.DynamoDbLocal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DynamoDB ledger against DynamoDB Local in process, through the real SDK client. */
class DynamoDbLedgerIT extends LedgerContract {

    private static DynamoDbLocal dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    static void stop() throws Exception {
        dynamo.close();
    }

    @Override
    Ledger ledger() {
        String table = "ledger-" + TABLES.incrementAndGet();
        dynamo.createLedgerTable(table);
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), table, Duration.ofDays(1), clock);
        ledger.verifyTable();
        return ledger;
    }

    @Test
    void pipelineItems_carryATtl_refreshedByEachStep() {
        String table = "ledger-ttl";
        dynamo.createLedgerTable(table);
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), table, Duration.ofDays(1), clock);
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "t");
        clock.advance(Duration.ofHours(5));
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "t");

        var item = dynamo.client().getItem(r -> r.tableName(table)
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("pipeline#arn:s"))))
                .item();
        assertThat(Long.parseLong(item.get("ttl").n()))
                .isEqualTo(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
    }

    @Test
    void missingTable_failsTheStart_namingTheKey() {
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), "no-such-table", Duration.ofDays(1), clock);
        assertThatThrownBy(ledger::verifyTable).hasMessageContaining("snapline.ledger.table")
                .hasMessageContaining("no-such-table");
    }
}
