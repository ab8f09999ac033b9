package io.snapline.ledger;

import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The tests' one ledger double holds the same contract as the stores it stands in for. */
class TestLedgerContractTest extends LedgerContract {

    @Override
    Ledger create() {
        return new TestLedger(clock, Duration.ofDays(1));
    }

    @Test
    void history_keepsEveryStepAsGiven() {
        TestLedger ledger = (TestLedger) ledger();
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "line\nbreak");
        ledger.recordStep("arn:s", "s", "export:p", StepState.DONE, "ok");

        assertThat(ledger.history()).extracting(TestLedger.StepRecord::detail).containsExactly("line\nbreak", "ok");
        assertThat(ledger.step("arn:s", "export:p")).get().extracting(Pipeline.Step::state).isEqualTo(StepState.DONE);
    }
}
