package io.snapline.message;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parse} must never throw, whatever arrives: arbitrary text, and every fixture truncated,
 * byte-flipped or spliced. A crash here would block the queue in production.
 */
class MessageParserPropertyTest {

    private static final MessageParser PARSER = new MessageParser();
    private static final List<String> FIXTURES = MessageParserFixturesTest.fixtureFiles();

    private static void assertWellFormedResult(SnaplineMessage m) {
        assertThat(m).isNotNull();
        assertThat(m.kind().type()).isInstanceOf(Class.class).matches(t -> t.isInstance(m));
        assertThat(m.key()).isNotNull();
        if (m instanceof Malformed malformed) {
            assertThat(malformed.reason()).isNotBlank().hasSizeLessThan(1_000);
        }
        if (m instanceof Ignored ignored) {
            assertThat(ignored.reason()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void parse_neverThrows_forArbitraryStrings(@ForAll @StringLength(max = 300) String body) {
        assertWellFormedResult(PARSER.parse(body));
    }

    @Property(tries = 500)
    void parse_neverThrows_forJsonLikeNoise(@ForAll("jsonNoise") String body) {
        assertWellFormedResult(PARSER.parse(body));
    }

    @Property(tries = 500)
    void parse_neverThrows_forTruncatedFixtures(@ForAll("fixtureBytes") byte[] fixture, @ForAll double cut) {
        int at = (int) (Math.abs(cut) % 1.0 * fixture.length);
        assertWellFormedResult(PARSER.parse(new String(fixture, 0, at, StandardCharsets.UTF_8)));
    }

    @Property(tries = 500)
    void parse_neverThrows_forByteFlippedFixtures(@ForAll("fixtureBytes") byte[] fixture,
                                                  @ForAll("flips") List<int[]> flips) {
        byte[] mutated = fixture.clone();
        for (int[] flip : flips) {
            if (mutated.length > 0) {
                mutated[Math.floorMod(flip[0], mutated.length)] ^= (byte) flip[1];
            }
        }
        assertWellFormedResult(PARSER.parse(new String(mutated, StandardCharsets.UTF_8)));
    }

    @Property(tries = 300)
    void parse_neverThrows_forFixturesSplicedTogether(@ForAll("fixtureBytes") byte[] a, @ForAll("fixtureBytes") byte[] b,
                                                      @ForAll double cutA, @ForAll double cutB) {
        String left = new String(a, StandardCharsets.UTF_8);
        String right = new String(b, StandardCharsets.UTF_8);
        int i = (int) (Math.abs(cutA) % 1.0 * left.length());
        int j = (int) (Math.abs(cutB) % 1.0 * right.length());
        assertWellFormedResult(PARSER.parse(left.substring(0, i) + right.substring(j)));
    }

    @Property(tries = 300)
    void parse_returnsCommandWithTheSameArgs_forAnyCommandWithScalarStringArgs(
            @ForAll("argMaps") Map<String, String> args, @ForAll boolean dryRun) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", "prune");
        body.put("dryRun", dryRun);
        body.putAll(args);

        SnaplineMessage m = PARSER.parse(MessageParserTest.json(body));

        assertThat(m).isInstanceOf(Command.class);
        Command c = (Command) m;
        assertThat(c.args()).isEqualTo(args);
        assertThat(c.dryRun()).isEqualTo(dryRun);
    }

    @Provide
    Arbitrary<byte[]> fixtureBytes() {
        return Arbitraries.of(FIXTURES).map(f -> MessageParserFixturesTest.body(f).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<int[]>> flips() {
        Arbitrary<int[]> flip = Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(1, 255)).as((pos, mask) -> new int[] {pos, mask});
        return flip.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> jsonNoise() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\\", "null", "true", "1e999",
                "-0", "\"Type\"", "\"Notification\"", "\"Message\"", "\"TopicArn\"", "\"detail-type\"", "\"detail\"",
                "\"source\"", "\"aws.rds\"", "\"command\"", "\"prune\"", "\"Event ID\"", "\"RDS-EVENT-0042\"",
                "\"Source ID\"", "\"Source ARN\"", "\"arn:aws:rds:::\"", "\"EventID\"", "\"dryRun\"", "\"\\u0000\"",
                " ", "\"awsbackup:\"");
        return token.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Map<String, String>> argMaps() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)
                .filter(k -> !k.equals("command") && !k.equals("dryRun") && !k.equals("requestId"));
        Arbitrary<String> values = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.maps(keys, values).ofMaxSize(6);
    }

    @Property(tries = 200)
    void parse_neverThrows_forFixturesWithArbitraryTextInserted(@ForAll("fixtureBytes") byte[] fixture,
                                                                @ForAll @AlphaChars @StringLength(max = 20) String junk,
                                                                @ForAll double at) {
        String s = new String(fixture, StandardCharsets.UTF_8);
        int i = (int) (Math.abs(at) % 1.0 * s.length());
        assertWellFormedResult(PARSER.parse(s.substring(0, i) + junk + s.substring(i)));
    }
}
