package io.snapline.ledger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedLedgerTest extends LedgerContract {

    private final Path root = temp();
    private Path journal;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(EmbeddedLedger.class);

    EmbeddedLedgerTest() {
        log.start();
        logger.addAppender(log);
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("snapline-embedded-ledger");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    Ledger create() {
        try {
            Files.createDirectories(root);
            journal = Files.createTempDirectory(root, "journal").resolve("ledger.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedLedger(journal, Duration.ofDays(1), clock);
    }

    private EmbeddedLedger reopen() {
        return new EmbeddedLedger(journal, Duration.ofDays(1), clock);
    }

    @AfterEach
    @AfterTry
    void cleanUp() throws IOException {
        closeLedgers();
        logger.detachAppender(log);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<Path> siblings(String infix) throws IOException {
        try (Stream<Path> files = Files.list(journal.getParent())) {
            return files.filter(p -> p.getFileName().toString().contains(infix)).toList();
        }
    }

    // ---- the issue's case: one event must not poison the journal ----

    @Test
    void aLoneSurrogateInAKey_neitherFailsTheWrite_norLaterWrites_andARestartReplaysEverything() throws Exception {
        Ledger first = ledger();
        String key = "snapshot-created#arn:aws:rds:us-east-1:123456789012:snapshot:\ud800#RDS-EVENT-0042";
        first.claim(key, LEASE);
        first.complete(key, "exported|source \ud800");
        first.recordStep("arn:aws:rds:us-east-1:123456789012:snapshot:\ud800", "\ud800", "policy", StepState.SKIPPED,
                "no policy matched source \ud800");
        for (int i = 0; i < 50; i++) {
            first.claim("export#arn:s" + i + "#p", LEASE);
            first.complete("export#arn:s" + i + "#p", "task-" + i);
        }
        assertThat(first.health().up()).isTrue();
        first.close();

        byte[] bytes = Files.readAllBytes(journal);
        for (byte b : bytes) {
            assertThat(b == '\n' || b >= 0x20 && b < 0x7f).as("every line is plain ASCII").isTrue();
        }
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).endsWith("\n");

        EmbeddedLedger second = reopen();
        try {
            assertThat(second.claim(key, LEASE).result()).contains("exported|source \ud800");
            for (int i = 0; i < 50; i++) {
                assertThat(second.claim("export#arn:s" + i + "#p", LEASE).result()).contains("task-" + i);
            }
            assertThat(second.pipeline("\ud800")).get().satisfies(p -> assertThat(p.steps()).singleElement()
                    .extracting(Pipeline.Step::detail).isEqualTo(LedgerValues.detail("no policy matched source \ud800")));
            assertThat(warnings()).as("nothing was skipped").isEmpty();
            assertThat(siblings(".corrupt-")).isEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void state_survivesARestartOfTheLocalService() {
        Ledger first = ledger();
        first.claim("export#s#p", LEASE);
        first.complete("export#s#p", "task-9");
        first.claim("acl#task-9", LEASE);
        first.claim("crawl#s#p", LEASE);
        first.fail("crawl#s#p", "no such crawler");
        first.claim("released", LEASE);
        first.release("released");
        first.recordStep("s", "s", "export:p", StepState.STARTED, "task-9", true);
        clock.advance(Duration.ofSeconds(3));
        first.recordStep("s", "s", "export:p", StepState.DONE, "complete", true);
        first.close();

        EmbeddedLedger second = reopen();
        try {
            assertThat(second.claim("export#s#p", LEASE).result()).contains("task-9");
            assertThat(second.claim("acl#task-9", LEASE).status())
                    .as("a live lease survives too").isEqualTo(ClaimResult.Status.IN_PROGRESS);
            assertThat(second.claim("crawl#s#p", LEASE).result()).contains("no such crawler");
            assertThat(second.claim("released", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
            assertThat(second.pipeline("s")).get().satisfies(p -> {
                assertThat(p.firstSeen()).isEqualTo(clock.instant().minusSeconds(3));
                assertThat(p.steps()).singleElement().satisfies(s -> {
                    assertThat(s.state()).isEqualTo(StepState.DONE);
                    assertThat(s.attempts()).isEqualTo(2);
                });
            });
        } finally {
            second.close();
        }
        EmbeddedLedger third = reopen();
        try {
            assertThat(third.pipeline("s")).get().extracting(Pipeline::firstSeen)
                    .as("compaction keeps when the pipeline was first seen").isEqualTo(clock.instant().minusSeconds(3));
        } finally {
            third.close();
        }
    }

    @Test
    void aJournalOfTheEarlierFormat_isReadWithItsKeysMapped() throws Exception {
        journal = Files.createTempDirectory(root, "journal").resolve("ledger.jsonl");
        String longKey = "export#" + "x".repeat(2_000) + "#p";
        Files.writeString(journal, String.join("\n",
                "{\"t\":\"op\",\"key\":\"export#arn:s#p\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000,\"result\":\"task-1\"}",
                "{\"t\":\"op\",\"key\":\"" + longKey + "\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000,\"result\":\"task-2\"}",
                "{\"t\":\"step\",\"id\":\"arn:s\",\"ident\":\"s\",\"step\":\"export:p\",\"state\":\"DONE\",\"detail\":\"a\\nb\",\"at\":1795428000000,\"n\":2}",
                ""), StandardCharsets.UTF_8);

        EmbeddedLedger ledger = reopen();
        try {
            assertThat(ledger.claim("export#arn:s#p", LEASE).result()).contains("task-1");
            assertThat(ledger.claim(longKey, LEASE).result()).contains("task-2");
            assertThat(ledger.pipeline("s")).get().satisfies(p -> assertThat(p.steps()).singleElement().satisfies(s -> {
                assertThat(s.detail()).isEqualTo("a\\nb");
                assertThat(s.attempts()).isEqualTo(2);
            }));
        } finally {
            ledger.close();
        }
    }

    // ---- a journal with bad bytes must not stop the start ----

    @Test
    void aTornLastLine_afterACrash_isSkipped_andTheRestKept() throws Exception {
        Ledger first = ledger();
        first.claim("a", LEASE);
        first.complete("a", "ok");
        first.close();
        Files.writeString(journal, "{\"v\":2,\"t\":\"op\",\"key\":\"b\",\"do", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        EmbeddedLedger second = reopen();
        try {
            assertThat(second.claim("a", LEASE).status()).isEqualTo(ClaimResult.Status.ALREADY_DONE);
            assertThat(second.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
            assertThat(warnings()).singleElement().asString().contains("line 3 (the last, without an end of line): not JSON");
        } finally {
            second.close();
        }
    }

    @Test
    void invalidUtf8_andATornCharacter_inTheMiddle_areSkippedByLine_andStartGoesOn_keepingACopy() throws Exception {
        journal = Files.createTempDirectory(root, "journal").resolve("ledger.jsonl");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(line("{\"v\":2,\"t\":\"op\",\"key\":\"a\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000,\"result\":\"A\"}"));
        String beforeBadByte = "{\"v\":2,\"t\":\"op\",\"key\":\"b";
        bytes.writeBytes((beforeBadByte + "\u00ff\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000}\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(line("{\"v\":2,\"t\":\"op\",\"key\":\"c\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000,\"result\":\"C\"}"));
        byte[] torn = line("{\"v\":2,\"t\":\"step\",\"id\":\"s\",\"ident\":\"s\",\"step\":\"x\",\"state\":\"DONE\",\"detail\":\"é\",\"at\":1,\"n\":0}");
        int accent = new String(torn, StandardCharsets.UTF_8).indexOf('é');
        bytes.write(torn, 0, accent + 1); // the first byte of é only
        bytes.write('\n');
        bytes.writeBytes(line("{\"t\":\"mystery\"}"));
        bytes.writeBytes(line("{\"v\":2,\"t\":\"op\",\"key\":\"d\",\"done\":true,\"at\":1795428000000,\"exp\":1895428000000,\"result\":\"D\"}"));
        byte[] original = bytes.toByteArray();
        Files.write(journal, original);

        EmbeddedLedger ledger = reopen();
        try {
            assertThat(ledger.claim("a", LEASE).result()).contains("A");
            assertThat(ledger.claim("c", LEASE).result()).contains("C");
            assertThat(ledger.claim("d", LEASE).result()).contains("D");
            assertThat(ledger.claim("b\ufffd", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);

            assertThat(warnings()).singleElement().asString()
                    .contains("skipped 3 unreadable line(s)")
                    .contains("line 2: invalid UTF-8 at byte " + (beforeBadByte.length() + 1))
                    .contains("line 4: invalid UTF-8")
                    .contains("line 5: not a ledger record (unknown record type 'mystery')")
                    .doesNotContain("line 1:", "line 3:", "line 6:");
            List<Path> copies = siblings(".corrupt-");
            assertThat(copies).singleElement().satisfies(copy -> {
                assertThat(copy.getFileName().toString()).isEqualTo("ledger.jsonl.corrupt-20261123T100000Z");
                assertThat(Files.readAllBytes(copy)).isEqualTo(original);
            });
            assertThat(warnings().get(0)).contains(copies.get(0).toString());
            assertThat(ledger.health().up()).isTrue();
            assertThat(ledger.health().notices()).singleElement().asString().contains("line 2", "line 4", "line 5");
        } finally {
            ledger.close();
        }

        log.list.clear();
        EmbeddedLedger again = reopen();
        try {
            assertThat(again.claim("a", LEASE).result()).contains("A");
            assertThat(warnings()).as("the journal was rewritten without the bad lines").isEmpty();
            assertThat(siblings(".corrupt-")).hasSize(1);
        } finally {
            again.close();
        }
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJournalThatCannotBeUsed_failsTheStart_namingTheRealCause() throws Exception {
        Path dir = Files.createTempDirectory(root, "journal");
        Path isADirectory = Files.createDirectory(dir.resolve("ledger.jsonl"));
        assertThatThrownBy(() -> new EmbeddedLedger(isADirectory, Duration.ofDays(1), clock))
                .hasMessageStartingWith("snapline.ledger.path: ")
                .hasMessageContaining(isADirectory + " is a directory");

        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new EmbeddedLedger(file.resolve("ledger.jsonl"), Duration.ofDays(1), clock))
                .hasMessageStartingWith("snapline.ledger.path: cannot create the journal's directory " + file)
                .hasMessageContaining("FileAlreadyExistsException");
    }

    // ---- a ledger that cannot write says so, and loses nothing ----

    @Test
    void aJournalWhoseDirectoryIsGone_failsTheWrite_leavesStateAsItWas_andHealthSaysWhy() throws Exception {
        Ledger ledger = ledger();
        ledger.claim("a", LEASE);
        ledger.complete("a", "A");
        Path dir = journal.getParent();
        Files.delete(journal);
        Files.delete(dir);
        Files.writeString(dir, "a file where the journal's directory was");

        assertThatThrownBy(() -> ledger.claim("b", LEASE)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write the ledger journal " + journal);
        assertThatThrownBy(() -> ledger.recordStep("s", "s", "export:p", StepState.DONE, "x"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(ledger.operation("b")).as("write-ahead: nothing in memory that is not in the journal").isEmpty();
        assertThat(ledger.pipeline("s")).isEmpty();
        LedgerHealth down = ledger.health();
        assertThat(down.up()).isFalse();
        assertThat(down.problem()).get().asString().contains(journal.toString(), "Not a directory");
        assertThat(down.since()).contains(clock.instant());
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString().contains("the ledger is down");

        Files.delete(dir);
        Files.createDirectory(dir);
        assertThat(ledger.health().up()).as("the check itself rewrites the journal once it can").isTrue();
        assertThat(ledger.claim("c", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        ledger.close();

        EmbeddedLedger restarted = reopen();
        try {
            assertThat(restarted.claim("a", LEASE).result()).contains("A");
            assertThat(restarted.claim("c", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
            assertThat(restarted.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        } finally {
            restarted.close();
        }
    }

    @Test
    void aJournalRemovedWhileRunning_isRewrittenFromMemory_soARestartLosesNothing() throws Exception {
        Ledger ledger = ledger();
        ledger.claim("a", LEASE);
        ledger.complete("a", "A");
        ledger.recordStep("arn:s", "s", "export:p", StepState.STARTED, "t");
        Files.delete(journal);

        ledger.claim("b", LEASE);
        ledger.complete("b", "B");
        assertThat(ledger.health().up()).isTrue();
        assertThat(warnings()).singleElement().asString().contains("was removed while the service ran");
        ledger.close();

        EmbeddedLedger restarted = reopen();
        try {
            assertThat(restarted.claim("a", LEASE).result()).contains("A");
            assertThat(restarted.claim("b", LEASE).result()).contains("B");
            assertThat(restarted.pipeline("s")).isPresent();
        } finally {
            restarted.close();
        }
    }

    @Test
    void aJournalReplacedWhileRunning_isKeptAside_andRewrittenFromMemory() throws Exception {
        Ledger ledger = ledger();
        ledger.claim("a", LEASE);
        ledger.complete("a", "A");
        Files.delete(journal);
        Files.writeString(journal, "someone else's file\n");

        ledger.claim("b", LEASE);
        List<Path> aside = siblings(".replaced-");
        assertThat(aside).singleElement().satisfies(p -> assertThat(Files.readString(p)).isEqualTo("someone else's file\n"));
        ledger.close();
        EmbeddedLedger restarted = reopen();
        try {
            assertThat(restarted.claim("a", LEASE).result()).contains("A");
            assertThat(restarted.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        } finally {
            restarted.close();
        }
    }

    @Test
    void aWriteThatFailsHalfWay_isCutBackOff_andTheNextWriteLandsWhole() throws Exception {
        AtomicReference<FaultyChannel> channel = new AtomicReference<>();
        journal = Files.createTempDirectory(root, "journal").resolve("ledger.jsonl");
        EmbeddedLedger ledger = new EmbeddedLedger(journal, Duration.ofDays(1), clock, p -> {
            channel.set(new FaultyChannel(FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)));
            return channel.get();
        });
        try {
            ledger.claim("a", LEASE);
            long before = Files.size(journal);
            channel.get().failNextWriteAfter(10);

            assertThatThrownBy(() -> ledger.complete("a", "A")).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(Files.size(journal)).as("the torn part is cut off").isEqualTo(before);
            assertThat(ledger.claim("a", LEASE).status()).as("memory kept the claim as it was")
                    .isEqualTo(ClaimResult.Status.IN_PROGRESS);
            assertThat(ledger.health().up()).isFalse();
            assertThat(ledger.health().problem()).get().asString()
                    .contains("cannot append to the ledger journal", "No space left on device");

            ledger.complete("a", "A");
            assertThat(ledger.health().up()).as("a write that succeeds brings it back").isTrue();

            ledger.claim("b", LEASE);
            channel.get().failTruncate(true);
            channel.get().failNextWriteAfter(10);
            assertThatThrownBy(() -> ledger.complete("b", "B")).isInstanceOf(UncheckedIOException.class);
            channel.get().failTruncate(false);
            ledger.claim("c", LEASE);
            ledger.complete("c", "C");
        } finally {
            ledger.close();
        }

        EmbeddedLedger restarted = reopen();
        try {
            assertThat(restarted.claim("a", LEASE).result()).contains("A");
            assertThat(restarted.claim("b", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
            assertThat(restarted.claim("c", LEASE).result()).as("the line after a torn one is whole").contains("C");
            assertThat(warnings()).singleElement().asString().contains("skipped 1 unreadable line(s)", "line 4: not JSON");
        } finally {
            restarted.close();
        }
    }
}
