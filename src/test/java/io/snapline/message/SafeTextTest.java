package io.snapline.message;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.CharBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

    @Test
    void of_escapesLoneSurrogatesAndControls_keepsPairs() {
        assertThat(SafeText.of("a\ud800b", 100)).isEqualTo("a\\ud800b");
        assertThat(SafeText.of("x\udc00", 100)).isEqualTo("x\\udc00");
        assertThat(SafeText.of("\ud83d\ude00 ok", 100)).isEqualTo("\ud83d\ude00 ok");
        assertThat(SafeText.of("a\u0000b\u0007\uffff", 100)).isEqualTo("a\\u0000b\\u0007\\uffff");
        assertThat(SafeText.of("line1\nline2\r\tx", 100)).isEqualTo("line1\\nline2\\r\\tx");
    }

    @Test
    void of_neverCutsASurrogatePair_andSaysHowMuchWasCut() {
        String text = "ab" + "\ud83d\ude00".repeat(10);
        String cut = SafeText.of(text, 3);
        assertThat(cut).startsWith("ab\ud83d\ude00").endsWith("…(+9 chars)");
        assertThat(SafeText.of("x".repeat(300_000), 1000)).hasSizeLessThan(1030);
    }

    @Property(tries = 2000)
    void of_alwaysGivesValidUtf8WithinTheBound(@ForAll String any) throws CharacterCodingException {
        String safe = SafeText.of(any, 200);
        StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(safe));
        assertThat(safe.codePoints().allMatch(cp -> cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000)).isTrue();
        assertThat(safe).doesNotContain("\n", "\r");
        assertThat(safe.length()).isLessThanOrEqualTo(200 + 24);
    }
}
