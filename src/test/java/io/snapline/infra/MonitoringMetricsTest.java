package io.snapline.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alarms and the dashboard read Snapline's meters by the names in {@code local.snapline_metrics}
 * ({@code modules/source-account/monitoring.tf}). Every such name must be a meter the code registers
 * (CloudWatch's {@code <meter>.<statistic>}), with every dimension one of its tags, or the widget or
 * alarm silently shows no data. (A tag counts as present when the file that names the meter names the
 * tag too: meters are often built by a small helper that sets the tags.)
 */
class MonitoringMetricsTest {

    private static final Pattern ENTRY = Pattern.compile("name\\s*=\\s*\"(snapline\\.[^\"]+)\",\\s*dimensions\\s*=\\s*\\[([^]]*)]");

    @Test
    void everyMetricTheDashboardAndAlarmsRead_isAMeterTheCodeRegisters_withThoseTags() throws IOException {
        String tf = Files.readString(Path.of("infra-terraform/modules/source-account/monitoring.tf"));
        String block = tf.substring(tf.indexOf("snapline_metrics = {"), tf.indexOf("failure_alarms = {"));
        List<String> code = sources();
        Matcher m = ENTRY.matcher(block);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        while (m.find()) {
            checked++;
            String meter = m.group(1).substring(0, m.group(1).lastIndexOf('.'));
            List<String> dims = Stream.of(m.group(2).split(",")).map(String::trim).filter(d -> !d.isEmpty())
                    .map(d -> d.replace("\"", "")).toList();
            String literal = "\"" + meter + "\"";
            // the files that register the meter; its tags are set there (a helper may set them apart from the name)
            List<String> near = code.stream().filter(f -> f.contains(literal)).toList();
            if (near.isEmpty()) {
                problems.add(m.group(1) + ": no meter \"" + meter + "\" is registered in src/main");
                continue;
            }
            for (String d : dims) {
                if (near.stream().noneMatch(n -> n.contains("\"" + d + "\""))) {
                    problems.add(m.group(1) + ": meter " + meter + " has no tag \"" + d + "\"");
                }
            }
        }
        assertThat(checked).as("entries read from local.snapline_metrics").isGreaterThanOrEqualTo(5);
        assertThat(problems).isEmpty();
    }

    private static List<String> sources() {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
