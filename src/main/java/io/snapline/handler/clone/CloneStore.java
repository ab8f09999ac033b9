package io.snapline.handler.clone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.error.NotReadyException;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What the ledger keeps of each clone: the accepted request ({@code clone#<id>#request}, written once
 * by the pipeline's first step) and the per-clone masking secret ({@code clone#<id>#mask-key}, 32 random
 * bytes, made once, the same on every masking and verification call of the clone, so a resumed masking
 * masks alike and a verification recomputes the masks).
 */
@Singleton
public class CloneStore {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ledger ledger;

    public CloneStore(Ledger ledger) {
        this.ledger = ledger;
    }

    public static String key(String cloneId, String step) {
        return "clone#" + cloneId + "#" + step;
    }

    /** The accepted request of a clone, if it was accepted. */
    public Optional<CloneRecord> record(String cloneId) {
        return ledger.operation(key(cloneId, "request")).filter(OperationRecord::completed)
                .flatMap(OperationRecord::result).flatMap(CloneStore::parse);
    }

    static String json(CloneRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a clone record", e);
        }
    }

    static Optional<CloneRecord> parse(String json) {
        try {
            return Optional.of(JSON.readValue(json, CloneRecord.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The clone's masking secret, made on first use. */
    public byte[] maskKey(String cloneId) {
        String key = key(cloneId, "mask-key");
        ClaimResult claim = ledger.claim(key, Duration.ofMinutes(1), true);
        return switch (claim.status()) {
            case ACQUIRED -> {
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                ledger.complete(key, HexFormat.of().formatHex(secret));
                yield secret;
            }
            case ALREADY_DONE -> HexFormat.of().parseHex(claim.result().orElseThrow(
                    () -> new IllegalStateException("the masking secret of " + cloneId + " was recorded empty")));
            case IN_PROGRESS, FAILED -> throw new NotReadyException("the masking secret of " + cloneId
                    + " is being made by another delivery", Duration.ofSeconds(5));
        };
    }
}
