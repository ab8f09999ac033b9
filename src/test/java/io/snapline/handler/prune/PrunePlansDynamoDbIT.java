package io.snapline.handler.prune;

import io.snapline.ledger.DynamoDbLedger;
import io.snapline.testing.DynamoDbLocal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan store over the deployed ledger, DynamoDB (Local, in process, through the real SDK client,
 * which enforces the 400 KB item limit): a 10,000-snapshot plan goes in as bounded items and a new
 * ledger instance over the same table (another task, or a restart) reads the whole plan back equal.
 */
class PrunePlansDynamoDbIT {

    private static DynamoDbLocal dynamo;

    @BeforeAll
    static void start() throws Exception {
        dynamo = new DynamoDbLocal();
        dynamo.createLedgerTable("plans");
    }

    @AfterAll
    static void stop() throws Exception {
        dynamo.close();
    }

    DynamoDbLedger ledger() {
        return new DynamoDbLedger(dynamo.client(), "plans", Duration.ofDays(30), Clock.systemUTC());
    }

    @Test
    void aTenThousandSnapshotPlan_isStoredInItemsFarBelowTheItemLimit_andReadBackWholeByAnotherInstance() {
        DynamoDbLedger writer = ledger();
        PruneReport report = PrunePlansTest.pruner(PrunePlansTest.tenThousandSnapshots(), writer, new PrunePlans(writer))
                .run(PruneRequest.all(false));
        PolicyPlan planned = report.plan().policies().get(0);

        PrunePlans reader = new PrunePlans(ledger());
        PrunePlans.Stored stored = reader.latest("snapshots", "all").orElseThrow();
        assertThat(stored.runId()).isEqualTo(report.plan().runId());
        assertThat(stored.pages()).isGreaterThan(3);
        for (int i = 0; i < stored.pages(); i++) {
            assertThat(reader.page(stored, i).orElseThrow().length()).isLessThanOrEqualTo(PrunePlans.PAGE_CHARS);
        }
        assertThat(reader.plan(stored)).isEqualTo(planned);
        assertThat(reader.of("all").get("snapshots:all")).isEqualTo(planned);
    }
}
