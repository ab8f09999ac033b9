package io.snapline.ledger;

import io.snapline.testing.MemoryLedgers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The dry-run decorator around the embedded store: the contract holds, with its details marked. */
class DryRunLedgerTest extends LedgerContract {

    @Override
    Ledger create() {
        try {
            return new DryRunLedger(new EmbeddedLedger(Files.createTempDirectory("snapline-dry-run").resolve("ledger.jsonl"),
                    Duration.ofDays(1), clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    String storedDetail(String given) {
        return LedgerValues.detail("dry-run: " + given);
    }

    @Test
    void whatADryRunDid_neverBlocksARealRun() {
        Ledger store = MemoryLedgers.fresh();
        Ledger dry = new DryRunLedger(store);
        dry.claim("export#arn:s#analytics", Duration.ofMinutes(5));
        dry.complete("export#arn:s#analytics", "task-1");
        dry.recordStep("arn:s", "s", "export:analytics", StepState.STARTED, "task task-1");

        assertThat(dry.claim("export#arn:s#analytics", Duration.ofMinutes(5)).status())
                .isEqualTo(ClaimResult.Status.ALREADY_DONE);
        assertThat(store.claim("export#arn:s#analytics", Duration.ofMinutes(5)).status())
                .isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(store.pipeline("s")).get().satisfies(p ->
                assertThat(p.steps()).singleElement().satisfies(step -> assertThat(step.detail()).startsWith("dry-run: ")));
    }

    @Test
    void health_isTheStoresHealth() {
        Ledger store = MemoryLedgers.fresh();
        assertThat(new DryRunLedger(store).health()).isEqualTo(store.health());
    }
}
