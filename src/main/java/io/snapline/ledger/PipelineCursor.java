package io.snapline.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;

/**
 * Where a page of pipelines ended: the last pipeline's update time and stored id. Pipelines are
 * ordered by update time, newest first, then by id; the next page starts strictly after the
 * cursor. Opaque to callers (URL-safe Base64); a cursor that does not decode is refused.
 */
record PipelineCursor(Instant updatedAt, String id) {

    /** Newest first, then by id: the order of every page. */
    static final Comparator<Pipeline> ORDER = Comparator.comparing(Pipeline::updatedAt).reversed()
            .thenComparing(Pipeline::id);

    static PipelineCursor of(Pipeline p) {
        return new PipelineCursor(p.updatedAt(), p.id());
    }

    String encode() {
        String plain = updatedAt.toEpochMilli() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when the text is not one this ledger wrote. */
    static Optional<PipelineCursor> decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon < 1) {
                return Optional.empty();
            }
            return Optional.of(new PipelineCursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
                    plain.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when the pipeline comes after this cursor in {@link #ORDER}. */
    boolean before(Pipeline p) {
        int byTime = p.updatedAt().compareTo(updatedAt);
        return byTime < 0 || (byTime == 0 && p.id().compareTo(id) > 0);
    }

    static PipelineCursor require(String text) {
        return decode(text).orElseThrow(() -> new IllegalArgumentException(
                "not a page cursor of this ledger; start again from the first page"));
    }
}
