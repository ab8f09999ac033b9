package io.snapline.masking;

import io.snapline.ledger.EmbeddedLedger;
import io.snapline.testing.MemoryLedgers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerMaskingCheckpointsTest {

    @Test
    void claimFinishedAbandoned_useOneLedgerOperationPerUnit() {
        EmbeddedLedger ledger = MemoryLedgers.fresh();
        LedgerMaskingCheckpoints checkpoints = new LedgerMaskingCheckpoints(ledger, Duration.ofMinutes(5));

        assertThat(checkpoints.claim("clone-1", "public.t#r0")).isEqualTo(MaskingCheckpoints.Claim.ACQUIRED);
        assertThat(checkpoints.claim("clone-1", "public.t#r0")).isEqualTo(MaskingCheckpoints.Claim.HELD);
        checkpoints.abandoned("clone-1", "public.t#r0");
        assertThat(checkpoints.claim("clone-1", "public.t#r0")).isEqualTo(MaskingCheckpoints.Claim.ACQUIRED);
        checkpoints.finished("clone-1", "public.t#r0", "rows=10");

        assertThat(checkpoints.claim("clone-1", "public.t#r0")).isEqualTo(MaskingCheckpoints.Claim.DONE);
        assertThat(checkpoints.isFinished("clone-1", "public.t#r0")).isTrue();
        assertThat(checkpoints.isFinished("clone-2", "public.t#r0")).isFalse();
        assertThat(ledger.operation("mask#clone-1#public.t#r0").orElseThrow().result()).contains("rows=10");
    }

    @Test
    void claim_isFreeAgainOnceADeadRunsLeaseLapses() throws InterruptedException {
        LedgerMaskingCheckpoints checkpoints = new LedgerMaskingCheckpoints(MemoryLedgers.fresh(), Duration.ofMillis(1));
        assertThat(checkpoints.claim("clone-1", "u")).isEqualTo(MaskingCheckpoints.Claim.ACQUIRED);
        Thread.sleep(5);
        assertThat(checkpoints.claim("clone-1", "u")).isEqualTo(MaskingCheckpoints.Claim.ACQUIRED);
    }

    @Test
    void constructor_refusesANonPositiveLease() {
        assertThatThrownBy(() -> new LedgerMaskingCheckpoints(MemoryLedgers.fresh(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
