package io.snapline.config;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The console's settings, checked with every other setting at start-up ({@link StartupValidation}). */
@Singleton
public class ConsoleConfigurationCheck implements ConfigurationCheck {

    private final ConsoleProperties console;

    public ConsoleConfigurationCheck(ConsoleProperties console) {
        this.console = console;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        console.configuredToken().ifPresent(token -> {
            if (token.length() < ConsoleProperties.MIN_TOKEN_CHARS) {
                problems.add("snapline.console.token: " + token.length() + " characters is short enough to guess; "
                        + "use at least " + ConsoleProperties.MIN_TOKEN_CHARS + " random characters (e.g. "
                        + "openssl rand -hex 32), or unset it to keep the console read-only");
            }
            if (!token.equals(token.strip()) || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                problems.add("snapline.console.token: holds spaces, line breaks or non-ASCII characters, which a "
                        + "bearer token cannot carry (a secret copied with its newline?); use printable ASCII only");
            }
        });
        if (console.sessionTtl().compareTo(Duration.ofMinutes(1)) < 0
                || console.sessionTtl().compareTo(Duration.ofDays(7)) > 0) {
            problems.add("snapline.console.session-ttl: " + console.sessionTtl() + " is out of range; use 1m to 7d "
                    + "(default 8h)");
        }
        return problems;
    }
}
