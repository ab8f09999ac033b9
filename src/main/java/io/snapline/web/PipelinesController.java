package io.snapline.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;

import java.util.List;
import java.util.Map;

/**
 * The ledger's view of every snapshot Snapline has seen, whatever happened to it (including
 * "skipped: no policy matched"): {@code GET /pipelines} newest first, {@code GET /pipelines/{id}}
 * by snapshot ARN or identifier. An id longer than any snapshot ARN is answered 414.
 */
@Controller("/pipelines")
public class PipelinesController {

    /**
     * Longer than any snapshot ARN (an identifier is at most 255 characters, the ARN's prefix well
     * under 100), so a longer id names no snapshot.
     */
    static final int MAX_ID_CHARS = 1024;

    private final Ledger ledger;

    public PipelinesController(Ledger ledger) {
        this.ledger = ledger;
    }

    @Get
    public List<Pipeline> list(@QueryValue(defaultValue = "100") int limit) {
        return ledger.pipelines(Math.max(1, Math.min(limit, 1000)));
    }

    @Get("/{snapshotId}")
    public HttpResponse<?> one(@PathVariable String snapshotId) {
        if (snapshotId.length() > MAX_ID_CHARS) {
            return HttpResponse.status(HttpStatus.REQUEST_URI_TOO_LONG).body(Map.of("error", "the id is "
                    + snapshotId.length() + " characters; a snapshot identifier or ARN is at most " + MAX_ID_CHARS));
        }
        return ledger.pipeline(snapshotId).<HttpResponse<?>>map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }
}
