package io.snapline.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;

import java.util.List;

/**
 * The ledger's view of every snapshot Snapline has seen, whatever happened to it (including
 * "skipped: no policy matched"): {@code GET /pipelines} newest first, {@code GET /pipelines/{id}}
 * by snapshot ARN or identifier.
 */
@Controller("/pipelines")
public class PipelinesController {

    private final Ledger ledger;

    public PipelinesController(Ledger ledger) {
        this.ledger = ledger;
    }

    @Get
    public List<Pipeline> list(@QueryValue(defaultValue = "100") int limit) {
        return ledger.pipelines(Math.max(1, Math.min(limit, 1000)));
    }

    @Get("/{snapshotId}")
    public HttpResponse<Pipeline> one(@PathVariable String snapshotId) {
        return ledger.pipeline(snapshotId).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }
}
