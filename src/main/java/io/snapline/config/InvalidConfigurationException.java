package io.snapline.config;

import io.micronaut.context.exceptions.ConfigurationException;

import java.util.List;

/**
 * The start-up configuration is invalid: every problem, each naming its key and the fix. The
 * message is the whole report, meant for an operator; {@code Application} prints it without a
 * stack trace and exits non-zero.
 */
public final class InvalidConfigurationException extends ConfigurationException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(report(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    static String report(List<String> problems) {
        return "Snapline cannot start: " + problems.size() + " configuration problem" + (problems.size() == 1 ? "" : "s")
                + ":\n  - " + String.join("\n  - ", problems);
    }
}
