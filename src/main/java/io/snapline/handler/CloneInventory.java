package io.snapline.handler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The live masked clones, as the operator console shows them. The clone capability implements it
 * as a bean; without such a bean the console says clones are not available in this build.
 */
public interface CloneInventory {

    /** One live clone. */
    record LiveClone(String id, String source, String requester, String instanceClass, Instant createdAt,
                     Instant expiresAt, String state) {
    }

    /** The live clones, soonest expiry first. */
    List<LiveClone> clones();

    /** Pushes a clone's expiry out by {@code by}; answers the new expiry. */
    Instant extend(String cloneId, Duration by);

    /** Deletes a clone now (its snapshot and data stay as the capability's rules say). */
    void delete(String cloneId);
}
