package io.snapline.ledger;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalLinesTest {

    private record Line(int number, String text, boolean terminated, boolean overlong) {
    }

    private static List<Line> read(String content, int max) throws IOException {
        List<Line> lines = new ArrayList<>();
        JournalLines.read(new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)), max,
                (n, bytes, length, terminated, overlong) -> lines.add(new Line(n,
                        new String(Arrays.copyOf(bytes, length), StandardCharsets.ISO_8859_1), terminated, overlong)));
        return lines;
    }

    @Test
    void splitsOnNewlineBytes_countingEveryLine_andReportsAnUnterminatedLast() throws IOException {
        assertThat(read("a\n\nb\u00ff\nc", 100)).containsExactly(new Line(1, "a", true, false), new Line(2, "", true, false),
                new Line(3, "b\u00ff", true, false), new Line(4, "c", false, false));
        assertThat(read("", 100)).isEmpty();
        assertThat(read("a\n", 100)).containsExactly(new Line(1, "a", true, false));
    }

    @Test
    void linesLongerThanOneReadBuffer_comeWhole() throws IOException {
        String longLine = "x".repeat(200_000);
        assertThat(read(longLine + "\n" + longLine + "y\nz", 1 << 20)).extracting(Line::text)
                .containsExactly(longLine, longLine + "y", "z");
    }

    @Test
    void anOverlongLine_isReportedWithoutItsBytes_andTheNextLineIsRead() throws IOException {
        assertThat(read("short\n" + "x".repeat(100_000) + "\nafter\n", 1_000)).containsExactly(
                new Line(1, "short", true, false), new Line(2, "", true, true), new Line(3, "after", true, false));
    }
}
