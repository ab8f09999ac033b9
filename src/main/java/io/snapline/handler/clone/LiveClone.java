package io.snapline.handler.clone;

import java.util.Optional;

/**
 * A live clone as {@code GET /clones} and the console show it.
 *
 * @param state  {@code setting-up} (not handed over yet), {@code ready} or {@code failed}, with RDS's status
 * @param access endpoint, port and secret ARN: present only when the ledger holds the clone's
 *               verification of zero ({@link HandOverGate})
 */
public record LiveClone(String id, String policy, String source, String requestedBy, String instanceClass,
                        String state, String status, String expiresAt, Optional<Access> access) {

    public record Access(String endpoint, int port, String secretArn) {
    }
}
