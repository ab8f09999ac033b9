package io.snapline.testing;

import io.snapline.ledger.EmbeddedLedger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/** Ledgers for tests: the real embedded ledger on a fresh temporary journal. */
public final class MemoryLedgers {

    private MemoryLedgers() {
    }

    public static EmbeddedLedger fresh() {
        try {
            return new EmbeddedLedger(Files.createTempDirectory("snapline-ledger").resolve("ledger.jsonl"),
                    Duration.ofDays(1), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
