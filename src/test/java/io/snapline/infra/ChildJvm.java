package io.snapline.infra;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class of the test classpath in a child JVM with extra environment variables (which cannot
 * be set inside this JVM), as the container starts the service; asserts it exited 0 within two minutes
 * and answers its output. The environment disables the consumer and picks free ports.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static String run(Class<?> main, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), main.getName());
        Map<String, String> env = pb.environment();
        env.putAll(environment);
        env.put("SNAPLINE_CONSUMER_ENABLED", "false");
        env.put("SNAPLINE_LOCAL_SQS_PORT", "0");
        env.put("MICRONAUT_SERVER_PORT", "-1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
