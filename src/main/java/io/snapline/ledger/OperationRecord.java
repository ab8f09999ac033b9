package io.snapline.ledger;

import java.time.Instant;
import java.util.Optional;

/** One idempotency record. {@code expiresAt} is the lease end while in progress, the TTL once done. */
public record OperationRecord(String key, boolean completed, Optional<String> result, Instant updatedAt,
                              Instant expiresAt) {
}
