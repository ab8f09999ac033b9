package io.snapline.ledger;

import io.snapline.testing.MemoryLedgers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunLedgerTest {

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
}
