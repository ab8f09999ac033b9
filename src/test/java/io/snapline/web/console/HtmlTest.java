package io.snapline.web.console;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {

    @Test
    void markupAndQuotes_areEscaped_forTextAndAttributes() {
        assertThat(Html.esc("<a href=\"x\" onclick='y'>&`")).isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\ud800b", "a\udc00", "\ud800", "a\u0000b", "a\u001bb", "a\u0085b", "a\ufffeb", "a\ufdd0b"})
    void whatHtmlCannotCarry_isReplaced_andNothingElse(String hostile) {
        String out = Html.esc(hostile);
        assertThat(out).contains("\ufffd");
        assertThat(out.chars().filter(c -> Character.isSurrogate((char) c)).count()).isZero();
        assertThat(out.replace("\ufffd", "")).isEqualTo(hostile.replaceAll("[^ab]", ""));
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(200);
    }

    @Property(tries = 500)
    void anyText_escaped_holdsNoMarkupCharacterAndNoLoneSurrogate(@ForAll("anyText") String text) {
        String out = Html.esc(text);
        assertThat(out).doesNotContain("<", ">", "\"", "'", "`");
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))).isTrue();
                i++;
            } else {
                assertThat(Character.isSurrogate(c)).isFalse();
            }
        }
    }

    @Test
    void pairsLineBreaksAndTabs_areKept() {
        assertThat(Html.esc("😀\n\tü")).isEqualTo("😀\n\tü");
    }

    @Test
    void aCut_neverSplitsAPair_andSaysHowMuchIsLeft() {
        String text = "a".repeat(9) + "😀" + "b".repeat(10);
        String cut = Html.escCut(text, 10);
        assertThat(cut).startsWith("a".repeat(9) + "<span").contains("(12 more characters)");
        assertThat(Html.escCut("<b>", 10)).isEqualTo("&lt;b&gt;");
    }

    @Test
    void theShell_escapesTheTitleAndOperator_andCarriesNoScript() {
        String page = Page.render("/", "<script>t</script>", Optional.of("<img src=x onerror=alert(1)>"), true, "", "");
        assertThat(page).doesNotContain("<script").doesNotContain("<img").contains("&lt;img src=x");
        assertThat(page).contains("aria-current=\"page\"").contains("Skip to content");
    }

    @Test
    void withoutAToken_theShellSaysActionsAreDisabled() {
        assertThat(Page.render("/", "P", Optional.empty(), false, "", "")).contains("Actions are disabled")
                .contains("snapline.console.token");
        assertThat(Page.render("/", "P", Optional.empty(), true, "", "")).doesNotContain("Actions are disabled")
                .contains("/console/sign-in");
    }
}
