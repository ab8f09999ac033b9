package io.snapline.ledger;

import io.snapline.testing.DynamoDbLocal;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DynamoDB ledger against DynamoDB Local in process, through the real SDK client. */
class DynamoDbLedgerIT extends LedgerContract {

    private static DynamoDbLocal dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeAll
    @BeforeContainer
    static void start() throws Exception {
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    @AfterContainer
    static void stop() throws Exception {
        dynamo.close();
    }

    @Override
    Ledger create() {
        return ledger(newTable());
    }

    private static String newTable() {
        String table = "ledger-" + TABLES.incrementAndGet();
        dynamo.createLedgerTable(table);
        return table;
    }

    private DynamoDbLedger ledger(String table) {
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), table, Duration.ofDays(1), clock);
        ledger.verifyTable();
        return ledger;
    }

    private static Map<String, AttributeValue> item(String table, String pk) {
        return dynamo.client().getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }

    @Test
    void pipelineItems_carryATtl_refreshedByEachStep() {
        String table = newTable();
        DynamoDbLedger ledger = ledger(table);
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "t");
        clock.advance(Duration.ofHours(5));
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "t");

        assertThat(Long.parseLong(item(table, "pipeline#arn:s").get("ttl").n()))
                .isEqualTo(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
    }

    @Test
    void aTableWithoutThePipelineIndex_failsTheStart_namingTheIndexAndHowToAddIt() {
        String table = "unindexed-" + TABLES.incrementAndGet();
        dynamo.createUnindexedLedgerTable(table);
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), table, Duration.ofDays(1), clock);
        assertThatThrownBy(ledger::verifyTable).hasMessageContaining("snapline.ledger.table")
                .hasMessageContaining(DynamoDbLedger.LIST_INDEX).hasMessageContaining("update-table");
    }

    @Test
    void pipelineItems_areListedUnderTheDayOfTheirLastUpdate() {
        String table = newTable();
        DynamoDbLedger ledger = ledger(table);
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "t");
        clock.advance(Duration.ofDays(1));
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "t");

        assertThat(item(table, "pipeline#arn:s").get(DynamoDbLedger.LISTED).s()).isEqualTo("day#2026-11-24");
    }

    @Test
    void missingTable_failsTheStart_namingTheKey() {
        DynamoDbLedger ledger = new DynamoDbLedger(dynamo.client(), "no-such-table", Duration.ofDays(1), clock);
        assertThatThrownBy(ledger::verifyTable).hasMessageContaining("snapline.ledger.table")
                .hasMessageContaining("no-such-table");
    }

    @Test
    void plainKeys_areStoredAsTheyAre_soItemsWrittenBeforeTheKeyRuleAreStillFound() {
        String table = newTable();
        dynamo.client().putItem(r -> r.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("op#export#arn:aws:rds:us-east-1:1:snapshot:s#p"),
                "status", AttributeValue.fromS("DONE"), "result", AttributeValue.fromS("task-1"),
                "ttl", AttributeValue.fromN(Long.toString(clock.instant().plus(Duration.ofDays(1)).getEpochSecond())))));

        assertThat(ledger(table).claim("export#arn:aws:rds:us-east-1:1:snapshot:s#p", LEASE).result()).contains("task-1");
    }

    @Test
    void aLoneSurrogate_whichTheSdkCannotSendAsText_neverMergesTwoKeys_andAResultKeepsIt() {
        String table = newTable();
        DynamoDbLedger ledger = ledger(table);
        ledger.claim("src#\ud800", LEASE);
        ledger.complete("src#\ud800", "task|\ud800");
        assertThat(ledger.claim("src#\udbff", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);

        Map<String, AttributeValue> stored = item(table, "op#" + LedgerKeys.of("src#\ud800"));
        assertThat(stored.get("pk").s()).startsWith("op#src#\\ud800~sha256:");
        assertThat(stored.get("result").b()).as("kept as its exact bytes").isNotNull();
        assertThat(ledger.claim("src#\ud800", LEASE).result()).contains("task|\ud800");
    }

    @Test
    void a256KiBKey_fitsThePartitionKeyLimit_andNeverMeetsIts255KiBPrefix() {
        String table = newTable();
        DynamoDbLedger ledger = ledger(table);
        String big = "snapshot-created#" + "s".repeat(256 * 1024);
        String prefix = big.substring(0, 255 * 1024);
        ledger.claim(big, LEASE);
        ledger.complete(big, big);

        assertThat(ledger.claim(prefix, LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.claim(big, LEASE).result()).contains(big);
        assertThat(item(table, "op#" + LedgerKeys.of(big)).get("pk").s().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThan(2048);
    }

    @Test
    void aTableThatFailsCalls_makesHealthDown_withTheError_untilACallSucceeds() {
        String table = newTable();
        DynamoDbLedger ledger = ledger(table);
        ledger.claim("a", LEASE);
        dynamo.client().deleteTable(r -> r.tableName(table));

        assertThatThrownBy(() -> ledger.claim("b", LEASE)).isInstanceOf(ResourceNotFoundException.class);
        LedgerHealth down = ledger.health();
        assertThat(down.up()).isFalse();
        assertThat(down.store()).isEqualTo("DynamoDB table " + table);
        assertThat(down.problem()).get().asString().contains("PutItem (claim) on DynamoDB table " + table + " failed");
        assertThat(down.since()).contains(clock.instant());

        dynamo.createLedgerTable(table);
        assertThat(ledger.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(ledger.health().up()).isTrue();
    }

    @Test
    void aFailedCondition_isAnAnswer_notAnOutage() {
        DynamoDbLedger ledger = ledger(newTable());
        ledger.claim("a", LEASE);
        assertThat(ledger.claim("a", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        ledger.release("never-claimed");
        assertThat(ledger.health().up()).isTrue();
    }
}
