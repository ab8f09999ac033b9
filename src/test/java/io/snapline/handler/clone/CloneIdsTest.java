package io.snapline.handler.clone;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CloneIdsTest {

    static final List<String> SOURCES = List.of("orders-db", "Orders--DB-", "9lives", "-", "", "a".repeat(200),
            "x\uD800y", "../../etc", "orders:db", "ÄÖÜ-prod", "db" + "-".repeat(70) + "z", "A1-b2-C3");

    @Test
    void everyId_isAValidRdsIdentifier_forClusterAndInstance_andDeterministic() {
        for (String source : SOURCES) {
            for (String request : List.of("r-1", "slack-1700000000.42", "\u0000", "x".repeat(5000))) {
                String id = CloneIds.of("dev", source, request);
                assertThat(CloneIds.valid(id)).as(id).isTrue();
                assertThat(CloneIds.valid(CloneIds.clusterInstance(id))).as(id).isTrue();
                assertThat(id.length()).isLessThanOrEqualTo(61);
                assertThat(id).doesNotContain("--").doesNotEndWith("-").matches("^[a-z].*");
                assertThat(CloneIds.of("dev", source, request)).isEqualTo(id);
            }
        }
    }

    @Test
    void anotherRequestOrPolicy_anotherId() {
        assertThat(CloneIds.of("dev", "orders-db", "r-1")).isNotEqualTo(CloneIds.of("dev", "orders-db", "r-2"))
                .isNotEqualTo(CloneIds.of("qa", "orders-db", "r-1"));
    }

    @Test
    void theRdsRule_refusesWhatRdsRefuses() {
        assertThat(CloneIds.valid("a")).isTrue();
        assertThat(CloneIds.valid("a".repeat(63))).isTrue();
        assertThat(CloneIds.valid("a".repeat(64))).isFalse();
        assertThat(CloneIds.valid("1abc")).isFalse();
        assertThat(CloneIds.valid("ab--c")).isFalse();
        assertThat(CloneIds.valid("abc-")).isFalse();
        assertThat(CloneIds.valid("ab_c")).isFalse();
    }

    @Test
    void ttls() {
        assertThat(Ttls.parse("3d")).hasValue(java.time.Duration.ofDays(3));
        assertThat(Ttls.parse("PT36H")).hasValue(java.time.Duration.ofHours(36));
        assertThat(Ttls.parse("0d")).isEmpty();
        assertThat(Ttls.parse("-1d")).isEmpty();
        assertThat(Ttls.parse("3 days")).isEmpty();
        assertThat(Ttls.format(java.time.Duration.ofHours(48))).isEqualTo("2d");
    }
}
