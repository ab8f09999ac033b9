package io.snapline.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a ledger can record what the service does ({@link Ledger#health()}).
 *
 * @param up      false when the ledger cannot write: every claim would fail, so every message
 *                would be retried into the dead-letter queue
 * @param store   which store, e.g. {@code embedded journal .snapline/ledger.jsonl} or {@code DynamoDB table snapline-ledger}
 * @param problem why it is down (empty when up)
 * @param since   when it went down (empty when up)
 * @param notices what an operator should know although the ledger is up (e.g. damaged journal lines
 *                skipped at start, and where the original was kept)
 */
public record LedgerHealth(boolean up, String store, Optional<String> problem, Optional<Instant> since,
                           List<String> notices) {

    public LedgerHealth {
        Objects.requireNonNull(store, "store");
        problem = problem == null ? Optional.empty() : problem;
        since = since == null ? Optional.empty() : since;
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    public static LedgerHealth up(String store, List<String> notices) {
        return new LedgerHealth(true, store, Optional.empty(), Optional.empty(), notices);
    }

    public static LedgerHealth down(String store, String problem, Instant since, List<String> notices) {
        return new LedgerHealth(false, store, Optional.of(problem), Optional.of(since), notices);
    }
}
