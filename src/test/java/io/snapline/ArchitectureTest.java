package io.snapline;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency direction of the packages: only the edges ({@code aws}, {@code consumer}, the
 * ledger's DynamoDB store, {@code local}, and the classifier in {@code error}) import the AWS SDK;
 * handlers see gateways, never their SDK adapters; the message model depends on nothing of ours.
 */
class ArchitectureTest {

    @ParameterizedTest(name = "{0} does not import {1}")
    @CsvSource({
            "message, software.amazon.awssdk",
            "message, io.snapline.handler",
            "message, io.snapline.aws",
            "message, io.snapline.consumer",
            "message, io.snapline.ledger",
            "handler, software.amazon.awssdk",
            "handler, io.snapline.aws",
            "handler, io.snapline.consumer",
            "gateway, software.amazon.awssdk",
            "gateway, io.snapline.aws",
            "config, software.amazon.awssdk",
            "web, software.amazon.awssdk",
            "web, io.snapline.aws",
            "masking, software.amazon.awssdk",
            "masking, io.micronaut",
            "masking, io.snapline.aws",
            "masking, io.snapline.handler",
    })
    void packageDoesNotImport(String pkg, String forbidden) {
        List<String> offenders = javaFiles(Path.of("src/main/java/io/snapline", pkg))
                .filter(f -> read(f).lines().anyMatch(l -> l.startsWith("import " + forbidden + ".")
                        || l.startsWith("import static " + forbidden + ".")))
                .map(Path::toString)
                .toList();
        assertThat(offenders).isEmpty();
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
