package io.snapline.config;

import io.micronaut.context.annotation.EachProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration tables come from the code: every key of every configuration record
 * must appear in its README section, so a new key cannot ship undocumented.
 */
class ConfigurationDocsTest {

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(SnaplineProperties.class, "### Service"),
                Arguments.of(QueueProperties.class, "### Service"),
                Arguments.of(AwsProperties.class, "### Service"),
                Arguments.of(LedgerProperties.class, "### Service"),
                Arguments.of(ExportPolicy.class, "### Export policies"),
                Arguments.of(ExportRetentionProperties.class, "### Export policies"),
                Arguments.of(RetentionPolicy.class, "### Snapshot retention"),
                Arguments.of(PruneProperties.class, "### Pruning service settings"),
                Arguments.of(SnapshotSchedule.class, "### Snapshot schedules"),
                Arguments.of(SchedulingProperties.class, "### Scheduling settings"),
                Arguments.of(CopyPolicy.class, "### Cross-region copies"),
                Arguments.of(ClonePolicy.class, "### Clone policies"),
                Arguments.of(CloningProperties.class, "### Cloning service settings"),
                Arguments.of(SlackProperties.class, "### Cloning service settings"),
                Arguments.of(ConsoleProperties.class, "### Operator console"));
    }

    @ParameterizedTest
    @MethodSource("records")
    void everyKey_isInItsReadmeTable(Class<?> record, String section) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(section);
        assertThat(start).as("README section " + section).isNotNegative();
        int end = readme.indexOf("\n#", start + section.length());
        String text = readme.substring(start, end < 0 ? readme.length() : end);

        List<String> missing = new ArrayList<>();
        for (String key : keys(record, "")) {
            if (!Pattern.compile("`([a-z0-9.-]*\\.)?" + Pattern.quote(key) + "`").matcher(text).find()) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys of " + record.getSimpleName() + " missing from README " + section).isEmpty();
    }

    private static List<String> keys(Class<?> record, String prefix) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (record.isAnnotationPresent(EachProperty.class) && c.getName().equals("name")) {
                continue; // the @Parameter name of an @EachProperty is the map key, not a setting
            }
            String key = prefix + kebab(c.getName());
            if (c.getType().isRecord()) {
                keys.addAll(keys(c.getType(), key + "."));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
