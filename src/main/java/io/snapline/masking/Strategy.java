package io.snapline.masking;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one column is masked. Every strategy maps SQL {@code NULL} to {@code NULL}; see
 * {@code docs/masking.md} for the exact output of each and what verification proves.
 *
 * @param kind     the strategy
 * @param constant the value written by {@link Kind#CONSTANT}, empty for every other kind
 */
public record Strategy(Kind kind, Optional<String> constant) {

    /** The strategies a column can have; {@code truncate} is table-level, see {@link MaskingSpec.TableSpec}. */
    public enum Kind {
        FAKE_NAME("fake:name", 24),
        FAKE_EMAIL("fake:email", 54),
        FAKE_PHONE("fake:phone", 15),
        FAKE_ADDRESS("fake:address", 40),
        HASH("hash", 32),
        NULL("null", 0),
        CONSTANT("constant:<value>", 0),
        KEEP("keep", 0);

        private final String spelling;
        private final int maxOutputLength;

        Kind(String spelling, int maxOutputLength) {
            this.spelling = spelling;
            this.maxOutputLength = maxOutputLength;
        }

        /** How the strategy is written in a specification. */
        public String spelling() {
            return spelling;
        }

        /** The longest value the strategy writes, in characters; 0 when it writes no text of its own. */
        public int maxOutputLength() {
            return maxOutputLength;
        }

        /** True for the strategies computed from a keyed hash of the value: they need a text column. */
        public boolean derivedFromHash() {
            return this == FAKE_NAME || this == FAKE_EMAIL || this == FAKE_PHONE || this == FAKE_ADDRESS || this == HASH;
        }
    }

    public Strategy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(constant, "constant");
        if ((kind == Kind.CONSTANT) != constant.isPresent()) {
            throw new IllegalArgumentException("a constant value goes with the constant strategy only");
        }
    }

    public static Strategy of(Kind kind) {
        return new Strategy(kind, Optional.empty());
    }

    public static Strategy constant(String value) {
        return new Strategy(Kind.CONSTANT, Optional.of(value));
    }

    /** Every spelling a specification accepts, for error messages. */
    public static final String SPELLINGS = "fake:name, fake:email, fake:phone, fake:address, hash, null, "
            + "constant:<value>, keep (or truncate for a whole table)";

    /**
     * Parses one strategy as written in a specification: {@code fake:email}, {@code hash},
     * {@code null}, {@code keep}, {@code constant:<value>} (the value is everything after the first
     * colon, kept exactly, empty allowed). Names are case-insensitive; surrounding blanks are ignored
     * except inside a constant's value.
     *
     * @return the strategy, or empty when the text names none
     */
    public static Optional<Strategy> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (trimmed.regionMatches(true, 0, "constant:", 0, "constant:".length())) {
            int colon = text.indexOf(':');
            return Optional.of(constant(text.substring(colon + 1)));
        }
        String name = trimmed.toLowerCase(Locale.ROOT);
        for (Kind kind : Kind.values()) {
            if (kind != Kind.CONSTANT && kind.spelling.equals(name)) {
                return Optional.of(of(kind));
            }
        }
        return Optional.empty();
    }

    /** As written in a specification; a constant's value is shown as given. */
    public String spelling() {
        return kind == Kind.CONSTANT ? "constant:" + constant.orElseThrow() : kind.spelling;
    }

    /** Strategies that write the same output for the same input within one clone. */
    public boolean sameMaskAs(Strategy other) {
        return equals(other);
    }

    @Override
    public String toString() {
        return spelling();
    }
}
