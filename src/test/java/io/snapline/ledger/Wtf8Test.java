package io.snapline.ledger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Wtf8Test {

    @Property(tries = 2_000)
    void anyString_readsBackExactly(@ForAll @StringLength(max = 50) String text) {
        assertThat(Wtf8.decode(Wtf8.encode(text))).isEqualTo(text);
    }

    @Property(tries = 500)
    void surrogatesInAnyOrder_readBackExactly(@ForAll @StringLength(max = 12) @CharRange(from = '\ud7ff', to = '\ue000') String text) {
        assertThat(Wtf8.decode(Wtf8.encode(text))).isEqualTo(text);
    }

    @Test
    void wellFormedText_isPlainUtf8_andALoneSurrogateTakesThreeBytes() {
        String text = "a é 日 😀 \u0000";
        assertThat(Wtf8.encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(Wtf8.encode("\ud800")).containsExactly(0xED, 0xA0, 0x80);
        assertThat(Wtf8.encode("\ud800").length).isEqualTo(LedgerKeys.utf8Length("\ud800"));
    }

    @Test
    void bytesItCannotHaveWritten_readAsReplacementCharacters() {
        assertThat(Wtf8.decode(new byte[] {'a', (byte) 0xFF, (byte) 0xC3})).isEqualTo("a\ufffd\ufffd");
    }
}
