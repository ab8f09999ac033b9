package io.snapline.handler.prune;

import io.snapline.config.Globs;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A DB instance / cluster identifier pattern: exact, or a glob with {@code *} (any run of
 * characters) and {@code ?} (one character). Matching is case-insensitive, as RDS identifiers are.
 */
public final class SourceGlob {

    private final String text;
    private final Pattern pattern;

    private SourceGlob(String text) {
        this.text = text;
        this.pattern = Globs.compile(text);
    }

    public static SourceGlob of(String text) {
        return new SourceGlob(text);
    }

    /** True when the text has a wildcard, so the matching sources must be listed. */
    public boolean isGlob() {
        return Globs.isGlob(text);
    }

    public boolean matches(String sourceId) {
        return sourceId != null && pattern.matcher(sourceId).matches();
    }

    public String text() {
        return text;
    }

    /** True when any of the patterns matches. */
    public static boolean anyMatches(List<String> patterns, String sourceId) {
        return patterns.stream().anyMatch(p -> of(p).matches(sourceId));
    }

    @Override
    public String toString() {
        return text;
    }
}
