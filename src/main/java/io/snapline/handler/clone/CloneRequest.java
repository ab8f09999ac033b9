package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;

import java.time.Duration;
import java.util.Optional;

/**
 * A clone request that passed every check that needs no AWS call (policy, source allowed by it,
 * class and TTL within it). {@code cloneId} is deterministic from policy, source and request id.
 *
 * @param requestedBy who asked (bounded, single-line; shown and tagged, never trusted)
 * @param responseUrl where the result goes besides the policy's targets (Slack's {@code response_url});
 *                    only a URL on an allowed host ({@code snapline.slack.response-url-hosts})
 */
public record CloneRequest(ClonePolicy policy, String source, String instanceClass, Duration ttl, String requestedBy,
                           String requestId, Optional<String> responseUrl, String cloneId) {
}
