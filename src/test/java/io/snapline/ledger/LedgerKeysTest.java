package io.snapline.ledger;

import io.snapline.message.SafeText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The one key rule: readable keys stay as they are, any other is a readable prefix and a digest; never two in one. */
class LedgerKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"export#arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-23#analytics",
            "snapshot-created#arn:aws:rds:eu-west-1:1:cluster-snapshot:a#RDS-EVENT-0169", "../..", "a:b", "",
            "日本語 😀", "prune#snapshot#daily"})
    void wellFormedKeys_areKeptAsTheyAre(String key) {
        assertThat(LedgerKeys.isPlain(key)).isTrue();
        assertThat(LedgerKeys.of(key)).isSameAs(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udbff", "nul\u0000", "line\nbreak", "tab\t", "\u007f", "\uffff"})
    void keysAStoreCannotHoldOrShowAsTheyAre_areDigested_keepingAReadablePrefix(String key) {
        String stored = LedgerKeys.of(key);
        assertThat(stored).startsWith(SafeText.of(key, 96) + "~sha256:").matches("(?s).*~sha256:[0-9a-f]{64}");
        assertThat(LedgerKeys.isDigested(stored)).isTrue();
        assertThat(SafeText.isSafe(stored)).as("the stored form is itself valid, single-line text").isTrue();
    }

    @Test
    void aKeyIsKeptUpTo1024BytesOfUtf8_andDigestedBeyond() {
        assertThat(LedgerKeys.of("x".repeat(1024))).isEqualTo("x".repeat(1024));
        assertThat(LedgerKeys.of("é".repeat(512))).isEqualTo("é".repeat(512));
        assertThat(LedgerKeys.isDigested(LedgerKeys.of("é".repeat(513)))).isTrue();
        String big = LedgerKeys.of("x".repeat(256 * 1024));
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isLessThan(300);
    }

    @Test
    void theDigestIsOfTheExactUtf16_soHalvesOfSurrogatePairsAndLongTailsTellKeysApart() {
        assertThat(LedgerKeys.of("a\ud800")).isNotEqualTo(LedgerKeys.of("a\udbff")).isNotEqualTo(LedgerKeys.of("a\ufffd"));
        String big = "k".repeat(256 * 1024);
        assertThat(LedgerKeys.of(big)).isNotEqualTo(LedgerKeys.of(big.substring(0, 255 * 1024)))
                .isNotEqualTo(LedgerKeys.of(big.substring(1) + "j"));
    }

    @Test
    void aKeyThatLooksDigested_isDigestedAgain_soItNeverMeetsTheKeyItLooksLike() {
        String stored = LedgerKeys.of("a\ud800");
        assertThat(LedgerKeys.isPlain(stored)).isFalse();
        assertThat(LedgerKeys.of(stored)).isNotEqualTo(stored);
        assertThat(LedgerKeys.isDigested("plain~sha256:" + "0".repeat(63))).isFalse();
        assertThat(LedgerKeys.isDigested("plain~sha256:" + "A".repeat(64))).isFalse();
    }

    @Property(tries = 2_000)
    void differentKeys_neverShareAStoredForm(@ForAll("keys") String a, @ForAll("keys") String b) {
        if (!a.equals(b)) {
            assertThat(LedgerKeys.of(a)).isNotEqualTo(LedgerKeys.of(b));
        }
        assertThat(LedgerKeys.of(a)).isEqualTo(LedgerKeys.of(a));
        assertThat(LedgerKeys.isPlain(a)).as("plain means SafeText's safe, short and not digest-like")
                .isEqualTo(SafeText.isSafe(a) && LedgerKeys.utf8Length(a) <= 1024 && !LedgerKeys.isDigested(a));
        assertThat(LedgerKeys.utf8Length(LedgerKeys.of(a))).isLessThanOrEqualTo(LedgerKeys.MAX_PLAIN_BYTES);
    }

    @Property(tries = 1_000)
    void aKeyAndItsNearMisses_neverShareAStoredForm(@ForAll("keys") String key) {
        String[] nearMisses = {key + "\ud800", key + "\udbff", key + "?", key + "\ufffd",
                key.isEmpty() ? "x" : key.substring(0, key.length() - 1), LedgerKeys.of(key) + "", LedgerKeys.of(key + "\ud800")};
        for (String other : nearMisses) {
            if (!other.equals(key)) {
                assertThat(LedgerKeys.of(other)).isNotEqualTo(LedgerKeys.of(key));
            }
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("ab\ud800\udbff\udc00?\ufffd\u0000~:#").ofMaxLength(8),
                Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1020).ofMaxLength(1030));
    }
}
