package io.snapline.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.LedgerHealth;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness includes the ledger: DOWN, with the reason and since when, while it cannot write (a
 * full disk or a removed journal directory, a DynamoDB table that refuses writes). Every claim would
 * fail then, and each message would be retried into the dead-letter queue; this makes it visible on
 * {@code /health} instead. Notices (damaged journal lines skipped at start) are shown while UP.
 */
@Singleton
@Readiness
@Requires(beans = HealthEndpoint.class)
public class LedgerHealthIndicator implements HealthIndicator {

    static final String NAME = "ledger";

    private final Ledger ledger;

    public LedgerHealthIndicator(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        LedgerHealth health;
        try {
            health = ledger.health();
        } catch (RuntimeException e) {
            details.put("error", "the ledger's health check failed: " + e);
            return HealthResult.builder(NAME, HealthStatus.DOWN).details(details).build();
        }
        details.put("store", health.store());
        health.problem().ifPresent(p -> details.put("error", p));
        health.since().ifPresent(s -> details.put("since", s.toString()));
        if (!health.notices().isEmpty()) {
            details.put("notices", health.notices());
        }
        return HealthResult.builder(NAME, health.up() ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}
