package io.snapline.message;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parse} must never throw, whatever arrives: arbitrary text, and every fixture truncated,
 * byte-flipped or spliced. A crash here would block the queue in production.
 */
class MessageParserPropertyTest {

    private static final MessageParser PARSER = new MessageParser();
    private static final List<String> FIXTURES = MessageParserFixturesTest.fixtureFiles();

    /** The longest key a message can have: a command name and request id, each a bounded name, and '#'. */
    static final int MAX_KEY_CHARS = 2 * MessageParser.MAX_NAME_CHARS + 1;

    /**
     * What every parse result must be, whatever the body: one message of its kind's type, a bounded
     * key, and for Ignored and Malformed a reason that SQS accepts as a message attribute (valid
     * Unicode, no control characters, one line: {@link SafeText#isSafe}) and that is bounded.
     */
    static void assertWellFormedResult(SnaplineMessage m) {
        assertThat(m).isNotNull();
        assertThat(m.kind().type()).isInstanceOf(Class.class).matches(t -> t.isInstance(m));
        assertThat(m.key()).isNotNull().hasSizeLessThanOrEqualTo(MAX_KEY_CHARS);
        if (m instanceof Malformed malformed) {
            assertSafeReason(malformed.reason());
        }
        if (m instanceof Ignored ignored) {
            assertSafeReason(ignored.reason());
            assertThat(SafeText.isSafe(ignored.what())).as("label %s is safe", ignored.what()).isTrue();
        }
    }

    private static void assertSafeReason(String reason) {
        assertThat(reason).isNotBlank().hasSizeLessThanOrEqualTo(MessageParser.MAX_REASON_CHARS);
        assertThat(SafeText.isSafe(reason)).as("reason is safe: %s", SafeText.of(reason, 2_000)).isTrue();
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

    // ------------------------------------------------------------------ hostile text in every field

    /** The fixtures that are JSON objects, as trees, with their names. */
    private static final List<Map.Entry<String, JsonNode>> JSON_FIXTURES = FIXTURES.stream()
            .map(f -> new SimpleEntry<>(f, HostileJson.tree(MessageParserFixturesTest.body(f))))
            .filter(e -> e.getValue() != null)
            .map(e -> (Map.Entry<String, JsonNode>) e)
            .toList();

    /** A few fixtures of different envelopes, mutated at every position. */
    private static final List<String> MUTATED_FIXTURES = List.of("sns/rds-0042-manual-db-snapshot.json",
            "eventbridge/s3-batch-job-complete.json", "sns/eventbridge-backup-job-completed.json",
            "raw/command-prune-dry-run.json", "sns/subscription-confirmation.json");

    @Example
    void parse_staysWellFormed_forEveryHostileEditOfEveryFieldOfEveryFixture_rawAndEscaped() {
        int parsed = 0;
        for (Map.Entry<String, JsonNode> fixture : JSON_FIXTURES) {
            int slots = HostileJson.slots(fixture.getValue());
            for (int slot = 0; slot < slots; slot++) {
                for (int e = 0; e < HostileJson.EDITS.size(); e++) {
                    for (HostileJson.Encoding encoding : HostileJson.Encoding.values()) {
                        String body = HostileJson.edit(fixture.getValue(), slot, HostileJson.EDITS.get(e), encoding);
                        SnaplineMessage m = PARSER.parse(body);
                        assertThat(m).as("%s slot %d edit %d %s", fixture.getKey(), slot, e, encoding).isNotNull();
                        assertWellFormedResult(m);
                        parsed++;
                    }
                }
            }
        }
        assertThat(JSON_FIXTURES).hasSizeGreaterThan(50);
        assertThat(parsed).isGreaterThan(20_000);
    }

    @Property(tries = 500)
    void parse_staysWellFormed_forArbitraryHostileTextInAnyFieldOfAnyFixture(
            @ForAll("jsonFixtures") JsonNode fixture, @ForAll int slot, @ForAll("hostileText") String hostile,
            @ForAll HostileJson.Encoding encoding, @ForAll boolean replace) {
        int at = Math.floorMod(slot, HostileJson.slots(fixture));
        String body = HostileJson.edit(fixture, at, s -> replace ? hostile : s + hostile, encoding);

        assertWellFormedResult(PARSER.parse(body));
    }

    @Example
    void parse_staysWellFormed_forALoneSurrogateOrControlInsertedAtEveryCharOfSomeFixtures() {
        for (String fixture : MUTATED_FIXTURES) {
            String body = MessageParserFixturesTest.body(fixture);
            for (int i = 0; i <= body.length(); i++) {
                for (String insert : List.of("\\ud800", "\\\\udc00", "\ud800", "\udfff", "\u0000", "\n")) {
                    assertWellFormedResult(PARSER.parse(body.substring(0, i) + insert + body.substring(i)));
                }
            }
        }
    }

    // ------------------------------------------------------------------ every fixture mutated

    @Example
    void parse_staysWellFormed_forSomeFixturesTruncatedAtEveryCharAndEveryByte() {
        for (String fixture : MUTATED_FIXTURES) {
            String body = MessageParserFixturesTest.body(fixture);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i <= body.length(); i++) {
                assertWellFormedResult(PARSER.parse(body.substring(0, i)));
            }
            for (int i = 0; i <= bytes.length; i++) {
                assertWellFormedResult(PARSER.parse(new String(bytes, 0, i, StandardCharsets.UTF_8)));
            }
        }
    }

    @Example
    void parse_staysWellFormed_forEveryFixtureWithEachOfItsBytesFlipped() {
        int[] masks = {0x01, 0x20, 0x80, 0xFF, 0x5C};
        for (String fixture : FIXTURES) {
            byte[] bytes = MessageParserFixturesTest.body(fixture).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                byte[] mutated = bytes.clone();
                mutated[i] ^= (byte) masks[i % masks.length];
                assertWellFormedResult(PARSER.parse(new String(mutated, StandardCharsets.UTF_8)));
            }
        }
    }

    // ------------------------------------------------------------------ nesting

    /**
     * Where a deep value goes, and how many levels the JSON document it lands in already has around
     * it (an SNS {@code Message} is a JSON document of its own, so there it starts again at one).
     */
    enum Placement {
        BARE_OBJECT(1, d -> "{\"hello\":" + d + "}"),
        COMMAND_ARGUMENT(1, d -> "{\"command\":\"snapshot\",\"slot\":" + d + "}"),
        EVENTBRIDGE_DETAIL(2, d -> "{\"detail-type\":\"RDS DB Snapshot Event\",\"source\":\"aws.rds\","
                + "\"detail\":{\"EventID\":\"RDS-EVENT-0042\",\"SourceIdentifier\":\"s\",\"Tags\":" + d + "}}"),
        RDS_TAGS_IN_SNS_MESSAGE(1, d -> MessageParserTest.sns("{\"Event ID\":\"RDS-EVENT-0042\",\"Source ID\":\"s\","
                + "\"Tags\":" + d + "}"));

        final int around;
        final Function<String, String> body;

        Placement(int around, Function<String, String> body) {
            this.around = around;
            this.body = body;
        }
    }

    @Property(tries = 300)
    void parse_refusesNestingBeyondTheLimitOnly_whereverItIs(@ForAll @IntRange(min = 1, max = 250) int depth,
                                                             @ForAll Placement placement, @ForAll boolean arrays) {
        String deep = arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);

        SnaplineMessage m = PARSER.parse(placement.body.apply(deep));

        assertWellFormedResult(m);
        boolean tooDeep = placement.around + depth > MessageParser.MAX_NESTING_DEPTH;
        boolean refusedForDepth = m instanceof Malformed bad && bad.reason().contains("nesting depth");
        assertThat(refusedForDepth).as("%s at depth %d: %s", placement, depth, m).isEqualTo(tooDeep);
    }

    @Example
    void parse_refusesHugeNesting_inEveryPlacement() {
        for (Placement placement : Placement.values()) {
            for (int depth : new int[] {1_000, 50_000, 200_000}) {
                SnaplineMessage m = PARSER.parse(placement.body.apply("[".repeat(depth)));
                assertWellFormedResult(m);
                assertThat(m).as("%s at %d", placement, depth).isInstanceOf(Malformed.class);
            }
        }
    }

    // ------------------------------------------------------------------ sizes

    private static final int KIB_256 = 262_144;

    /** Where padding goes: a command argument, a tag value inside SNS, a Source ID (a name), white space. */
    enum Padding {
        COMMAND_ARGUMENT(false, p -> "{\"command\":\"snapshot\",\"policy\":\"twice-daily\",\"note\":\"" + p + "\"}"),
        TAG_VALUE_IN_SNS(false, p -> MessageParserTest.sns("{\"Event ID\":\"RDS-EVENT-0042\",\"Source ID\":\"s\","
                + "\"Tags\":{\"big\":\"" + p + "\"}}")),
        SOURCE_ID(true, p -> "{\"Event ID\":\"RDS-EVENT-0042\",\"Source ID\":\"" + p + "\"}"),
        WHITE_SPACE(false, p -> "{\"command\":\"reap\"}" + " ".repeat(p.length()));

        final boolean name;
        final Function<String, String> body;

        Padding(boolean name, Function<String, String> body) {
            this.name = name;
            this.body = body;
        }
    }

    @Property(tries = 60)
    void parse_acceptsBodiesUpToOneMebibyte_andRefusesLargerOnesUnparsed(
            @ForAll Padding padding, @ForAll("paddingUnits") String unit, @ForAll("sizes") int targetBytes) {
        String body = bodyOfAbout(padding, unit, targetBytes);
        long bytes = body.getBytes(StandardCharsets.UTF_8).length;

        SnaplineMessage m = PARSER.parse(body);

        assertWellFormedResult(m);
        boolean refusedForSize = m instanceof Malformed bad && bad.reason().contains("1 MiB) limit; not parsed");
        assertThat(refusedForSize).as("%s of %d bytes: %s", padding, bytes, m)
                .isEqualTo(bytes > MessageParser.MAX_BODY_BYTES);
        if (!refusedForSize && padding.name) {
            assertThat(m).as("a Source ID in a body of %d bytes", bytes).isInstanceOf(Malformed.class);
            assertThat(((Malformed) m).reason()).contains("'Source ID' is").contains("over the 1024");
        } else if (!refusedForSize) {
            assertThat(m.kind()).as("%s of %d bytes: %s", padding, bytes, m)
                    .isIn(MessageKind.COMMAND, MessageKind.SNAPSHOT_CREATED);
        }
    }

    /** A body padded with {@code unit}s, then spaces, to {@code target} UTF-8 bytes (or just over, by one unit). */
    private static String bodyOfAbout(Padding padding, String unit, int target) {
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        int overhead = padding.body.apply("").getBytes(StandardCharsets.UTF_8).length;
        int count = Math.max(0, (target - overhead) / unitBytes);
        String body = padding.body.apply(unit.repeat(count));
        int missing = target - body.getBytes(StandardCharsets.UTF_8).length;
        return missing > 0 ? body + " ".repeat(missing) : body;
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(KIB_256 - 1, KIB_256, KIB_256 + 1, MessageParser.MAX_BODY_BYTES - 1,
                        MessageParser.MAX_BODY_BYTES, MessageParser.MAX_BODY_BYTES + 1, 2 * MessageParser.MAX_BODY_BYTES),
                Arbitraries.integers().between(KIB_256 - 4_096, MessageParser.MAX_BODY_BYTES + 4_096));
    }

    /** One padding unit: ASCII, two-, three- and four-byte UTF-8, and a JSON-escaped lone surrogate. */
    @Provide
    Arbitrary<String> paddingUnits() {
        return Arbitraries.of("x", "\u00e9", "\u20ac", "\ud83d\ude00", "\\ud800");
    }

    @Provide
    Arbitrary<JsonNode> jsonFixtures() {
        return Arbitraries.of(JSON_FIXTURES).map(Map.Entry::getValue);
    }

    /** Text built from what breaks strict consumers, in runs long enough to straddle the clip bounds. */
    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf),
                Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf),
                Arbitraries.of("\u007f", "\u0085", "\u2028", "\ufffe", "\uffff", "\ufeff", "\ud83d\ude00",
                        "\\ud800", "\"", "\\", "'", ":", "..", "arn:aws:rds:us-east-1:123456789012:snapshot:",
                        "RDS-EVENT-0042", "awsbackup:"),
                Arbitraries.integers().between(1, 450).map("a"::repeat));
        return piece.list().ofMinSize(1).ofMaxSize(12).map(l -> String.join("", l));
    }
}
