package io.snapline.handler.export;

import io.snapline.testing.TestLedger;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.snapline.gateway.Gateways;
import io.snapline.ledger.Ledger;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * For Micronaut context tests of the export beans: with {@code snapline.test.in-memory-aws=true}
 * the {@link Gateways} and {@link Ledger} beans are the in-memory ones (fetch them from the context
 * and cast), so a test neither reaches AWS nor writes a ledger file.
 */
@Factory
@Requires(property = InMemoryExportBeans.PROPERTY, value = "true")
class InMemoryExportBeans {

    static final String PROPERTY = "snapline.test.in-memory-aws";

    @Singleton
    @Replaces(Gateways.class)
    Gateways gateways() {
        return new InMemoryAws(Clock.systemUTC());
    }

    @Singleton
    @Replaces(Ledger.class)
    Ledger ledger() {
        return new TestLedger(Clock.systemUTC());
    }
}
