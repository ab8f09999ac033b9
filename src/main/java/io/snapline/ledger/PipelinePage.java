package io.snapline.ledger;

import java.util.List;
import java.util.Optional;

/**
 * One page of pipelines, newest first, and the cursor of the next page (empty on the last one).
 * A page can hold fewer pipelines than asked for and still have a next one: a store stops reading
 * after a bounded number of items per page, so a rare filter never makes one request read the
 * whole table.
 */
public record PipelinePage(List<Pipeline> pipelines, Optional<String> next) {

    public PipelinePage {
        pipelines = List.copyOf(pipelines);
        next = next == null ? Optional.empty() : next;
    }
}
