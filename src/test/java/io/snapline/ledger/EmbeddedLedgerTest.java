package io.snapline.ledger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedLedgerTest extends LedgerContract {

    @TempDir
    Path dir;
    private EmbeddedLedger ledger;

    @Override
    Ledger ledger() {
        ledger = new EmbeddedLedger(dir.resolve("ledger.jsonl"), Duration.ofDays(1), clock);
        return ledger;
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void state_survivesARestartOfTheLocalService() {
        Ledger first = ledger();
        first.claim("export#s#p", Duration.ofMinutes(5));
        first.complete("export#s#p", "task-9");
        first.claim("acl#task-9", Duration.ofMinutes(5));
        first.recordStep("s", "s", "export:p", StepState.STARTED, "task-9");
        first.close();

        EmbeddedLedger second = new EmbeddedLedger(dir.resolve("ledger.jsonl"), Duration.ofDays(1), clock);
        try {
            assertThat(second.claim("export#s#p", Duration.ofMinutes(5)).result()).contains("task-9");
            assertThat(second.claim("acl#task-9", Duration.ofMinutes(5)).status())
                    .as("a live lease survives too").isEqualTo(ClaimResult.Status.IN_PROGRESS);
            assertThat(second.pipeline("s")).get().satisfies(p -> assertThat(p.steps()).hasSize(1));
        } finally {
            second.close();
        }
    }

    @Test
    void aTornLastLine_afterACrash_isSkipped_andTheRestKept() throws Exception {
        Ledger first = ledger();
        first.claim("a", Duration.ofMinutes(5));
        first.complete("a", "ok");
        first.close();
        Files.writeString(dir.resolve("ledger.jsonl"), "{\"t\":\"op\",\"key\":\"b\",\"do", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        EmbeddedLedger second = new EmbeddedLedger(dir.resolve("ledger.jsonl"), Duration.ofDays(1), clock);
        try {
            assertThat(second.claim("a", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
            assertThat(second.claim("b", Duration.ofMinutes(5)).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        } finally {
            second.close();
        }
    }
}
