package io.snapline.masking;

import io.snapline.error.PermanentProcessingException;

import java.util.List;

/**
 * A masking specification that cannot be used, on its own or against the live database: every
 * problem at once, each naming the configuration key (or table and column) and its fix. Permanent:
 * the specification or the database must change first. Thrown before any row is changed.
 */
public class MaskingSpecException extends PermanentProcessingException {

    private final List<String> problems;

    public MaskingSpecException(List<String> problems) {
        super("invalid masking specification: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
