package io.snapline.handler.schedule;

import io.snapline.message.SnapshotRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotIdentifiersPropertyTest {

    static final Pattern RDS_RULES = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");
    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"), ZoneId.of("America/New_York"),
            ZoneId.of("Europe/Berlin"), ZoneId.of("Australia/Lord_Howe"));

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0', '9').ofMinLength(1).ofMaxLength(70),
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.of("orders-db", "Orders_DB", "orders..db", "-", "", "\uD800x", "a--b", "1abc"));
    }

    @Provide
    Arbitrary<Instant> slots() {
        return Arbitraries.longs().between(0, 200L * 365 * 24 * 60)
                .map(m -> Instant.parse("1990-01-01T00:00:00Z").plus(m, ChronoUnit.MINUTES));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<SnapshotRef.Scope> scopes() {
        return Arbitraries.of(SnapshotRef.Scope.DB_SNAPSHOT, SnapshotRef.Scope.CLUSTER_SNAPSHOT);
    }

    @Property(tries = 2000)
    void anySourceAndSlot_givesAValidIdentifier(@ForAll("sources") String source, @ForAll("slots") Instant slot,
                                                @ForAll("zones") ZoneId zone, @ForAll("scopes") SnapshotRef.Scope scope) {
        String id = SnapshotIdentifiers.forSlot("snapline-daily", source, slot, zone, scope);
        assertThat(id).matches(RDS_RULES);
        assertThat(id.length()).isLessThanOrEqualTo(scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? 63 : 255);
        assertThat(id).startsWith("snapline-daily-");
    }

    @Property(tries = 2000)
    void distinctInputs_giveDistinctIdentifiers(@ForAll("sources") String a, @ForAll("sources") String b,
                                                @ForAll("slots") Instant s1, @ForAll("slots") Instant s2,
                                                @ForAll("zones") ZoneId zone, @ForAll("scopes") SnapshotRef.Scope scope) {
        Assume.that(!a.equals(b) || !s1.equals(s2));
        assertThat(SnapshotIdentifiers.forSlot("p", a, s1, zone, scope))
                .isNotEqualTo(SnapshotIdentifiers.forSlot("p", b, s2, zone, scope));
    }

    @Property(tries = 500)
    void neighbouringSlotsOfOneSource_differ(@ForAll("sources") String source, @ForAll("slots") Instant slot,
                                            @ForAll("zones") ZoneId zone) {
        // the same source, slots a minute and an hour apart (the hour: across a repeated hour too)
        String id = SnapshotIdentifiers.forSlot("p", source, slot, zone, SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        assertThat(id).isNotEqualTo(SnapshotIdentifiers.forSlot("p", source, slot.plusSeconds(60), zone,
                SnapshotRef.Scope.CLUSTER_SNAPSHOT));
        assertThat(id).isNotEqualTo(SnapshotIdentifiers.forSlot("p", source, slot.plusSeconds(3600), zone,
                SnapshotRef.Scope.CLUSTER_SNAPSHOT));
    }

    @Example
    void aPlainSourceIsReadable_inThePolicysZone() {
        assertThat(SnapshotIdentifiers.forSlot("snapline-twice-daily", "orders-db", Instant.parse("2026-12-01T17:00:00Z"),
                ZoneId.of("Asia/Tokyo"), SnapshotRef.Scope.DB_SNAPSHOT))
                .isEqualTo("snapline-twice-daily-orders-db-20261202-0200");
    }

    @Example
    void aLongClusterName_isCutWithAHash() {
        String source = "a".repeat(60);
        String id = SnapshotIdentifiers.forSlot("snapline", source, Instant.parse("2026-12-01T17:00:00Z"),
                ZoneId.of("UTC"), SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        assertThat(id).hasSize(63).matches("snapline-a+-h[0-9a-f]{9}-20261201-1700");
    }

    @Example
    void theSecondOccurrenceOfARepeatedHour_isMarked() {
        ZoneId ny = ZoneId.of("America/New_York");
        String first = SnapshotIdentifiers.forSlot("p", "db", Instant.parse("2026-11-01T05:30:00Z"), ny,
                SnapshotRef.Scope.DB_SNAPSHOT);
        String second = SnapshotIdentifiers.forSlot("p", "db", Instant.parse("2026-11-01T06:30:00Z"), ny,
                SnapshotRef.Scope.DB_SNAPSHOT);
        assertThat(first).isEqualTo("p-db-20261101-0130");
        assertThat(second).isEqualTo("p-db-20261101-0130-2");
    }
}
