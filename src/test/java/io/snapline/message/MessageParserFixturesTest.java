package io.snapline.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real-shaped payload under {@code src/test/resources/events/} against the expectation that
 * {@code events/expected.tsv} states for it: kind, key and a kind-specific detail.
 */
class MessageParserFixturesTest {

    private static final MessageParser PARSER = new MessageParser();

    static Path eventsDir() {
        try {
            return Path.of(MessageParserFixturesTest.class.getResource("/events/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture's body as the consumer would see it: the file's bytes decoded as UTF-8. */
    static String body(String fixture) {
        try {
            return new String(Files.readAllBytes(eventsDir().resolve(fixture)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String[]> expectations() {
        try {
            return Files.readAllLines(eventsDir().resolve("expected.tsv"), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> fixtures() {
        return expectations().stream().map(row -> Arguments.of(row[0], row[1], row[2], row[3]));
    }

    /** All fixture files, relative to the events directory, for the property test too. */
    static List<String> fixtureFiles() {
        try (Stream<Path> files = Files.walk(eventsDir())) {
            Path dir = eventsDir();
            return files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("expected.tsv"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("fixtures")
    void parse_returnsExpectedKindKeyAndDetail_forEachFixture(String fixture, String kind, String key, String detail) {
        SnaplineMessage message = PARSER.parse(body(fixture));

        MessageParserPropertyTest.assertWellFormedResult(message);
        assertThat(message.kind()).as("kind of %s (%s)", fixture, message).isEqualTo(MessageKind.valueOf(kind));
        assertThat(message.key()).as("key of %s", fixture).isEqualTo(key);
        if (message instanceof Ignored ignored) {
            assertThat(ignored.reason()).as("reason of %s", fixture).contains(detail);
        } else if (message instanceof Malformed malformed) {
            assertThat(malformed.reason()).as("reason of %s", fixture).contains(detail);
        } else {
            assertThat(detail(message)).as("detail of %s", fixture).isEqualTo(detail);
        }
    }

    @Test
    void everyFixtureFile_isListedInExpectedTsv_andEveryListedFileExists() {
        List<String> listed = expectations().stream().map(row -> row[0]).sorted().collect(Collectors.toList());

        assertThat(listed).containsExactlyElementsOf(fixtureFiles());
    }

    @Test
    void fixtures_coverEveryDirectoryAndEveryHandledKind() {
        List<String[]> rows = expectations();

        assertThat(rows.stream().map(r -> r[0].substring(0, r[0].indexOf('/'))).distinct())
                .containsExactlyInAnyOrder("sns", "eventbridge", "raw", "malformed");
        assertThat(rows.stream().map(r -> MessageKind.valueOf(r[1])).distinct())
                .containsExactlyInAnyOrder(MessageKind.values());
    }

    static String detail(SnaplineMessage message) {
        if (message instanceof SnapshotCreated created) {
            return created.origin() + "/" + created.snapshot().scope();
        }
        if (message instanceof SnapshotCopyCanceled canceled) {
            return canceled.eventId() + "/" + canceled.target().scope();
        }
        if (message instanceof ExportTaskFinished export) {
            return export.status() + "/" + export.source().scope();
        }
        if (message instanceof BatchJobStatusChanged job) {
            return job.status();
        }
        if (message instanceof CrawlerStateChanged crawler) {
            return crawler.state();
        }
        if (message instanceof Command command) {
            Map<String, String> sorted = new TreeMap<>(command.args());
            return Stream.concat(Stream.of("dryRun=" + command.dryRun()),
                    sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()))
                    .collect(Collectors.joining(";"));
        }
        return message.toString();
    }
}
