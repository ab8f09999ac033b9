package io.snapline.masking;

import io.snapline.masking.LiveSchema.LiveColumn;
import io.snapline.masking.LiveSchema.LiveTable;
import io.snapline.masking.MaskingSpec.TableSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of one flavour. The masks are written once, here, from a handful of primitives that each
 * flavour spells its own way; the verification predicates re-render a fake from the parts parsed
 * out of the stored value with the very same code, so mask and check cannot drift apart.
 */
abstract class Dialect {

    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String EMAIL_DOMAIN = "@example.com";
    static final String PHONE_PREFIX = "+1-555-";

    /** Where range progress lives inside the clone while masking runs; dropped when masking is done. */
    static final String PROGRESS_SCHEMA = "snapline_masking";

    static Dialect of(Flavour flavour) {
        return switch (flavour) {
            case POSTGRESQL -> new PostgresDialect();
            case MYSQL -> new MysqlDialect();
        };
    }

    /** One column to mask, resolved against the live table. */
    record ColumnMask(String name, LiveColumn live, Strategy strategy) {
    }

    // ---------------------------------------------------------------- flavour specifics

    abstract Flavour flavour();

    abstract String quote(String identifier);

    String table(TableName name) {
        return quote(name.schema().orElseThrow()) + "." + quote(name.table());
    }

    /** Session settings for a masking connection: foreign-key enforcement and triggers off, strict writes. */
    abstract void prepareMaskingSession(Connection c) throws SQLException;

    /** Reads what the masking needs of the tables the specification names. */
    abstract LiveSchema read(Connection c, MaskingSpec spec) throws SQLException;

    /** Creates the progress tables, if absent. */
    abstract void createProgress(Connection c) throws SQLException;

    abstract void dropProgressSchema(Connection c) throws SQLException;

    /**
     * Removes this clone's progress, and the progress schema once no other run's progress is left
     * in it (a local server may hold several databases being masked).
     */
    void dropProgress(Connection c, String cloneId) throws SQLException {
        for (String table : List.of("ranges", "run")) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM " + PROGRESS_SCHEMA + "." + table
                    + " WHERE clone_id = ?")) {
                ps.setString(1, cloneId);
                ps.executeUpdate();
            }
        }
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*)"
                + " FROM " + PROGRESS_SCHEMA + ".ranges) + (SELECT COUNT(*) FROM " + PROGRESS_SCHEMA + ".run)")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                dropProgressSchema(c);
            }
        }
    }

    /** The statements that empty these tables (PostgreSQL needs them in one statement when they reference each other). */
    abstract List<String> truncate(List<TableName> tables);

    /**
     * The statement that refreshes the planner statistics of these tables: PostgreSQL's pg_stats
     * (readable by anyone who may read the table) would otherwise still list the original values
     * among a column's most common values and histogram bounds.
     */
    abstract String analyze(List<TableName> tables);

    /** True when an unlisted column name in the catalog is compared without case (MySQL). */
    abstract boolean columnsIgnoreCase();

    /**
     * The keyed hash of a text value for one strategy: HMAC-SHA256(valueKey, label || UTF-8 of the
     * value), in the flavour's own representation (bytes or hex). The label (the strategy's
     * spelling and a colon) keeps the strategies apart: a value's hash and its fake email share no bits.
     */
    abstract String hmac(MaskKeys k, Strategy.Kind kind, String text);

    /** The label a strategy's keyed hash starts with, as hex. */
    static String labelHex(Strategy.Kind kind) {
        return java.util.HexFormat.of().formatHex((kind.spelling() + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Byte {@code n} (0-based) of a keyed hash, as an integer 0..255. */
    abstract String byteAt(String h, int n);

    /** Lowercase hex of {@code count} bytes of a keyed hash from byte {@code from}. */
    abstract String hexOf(String h, int from, int count);

    abstract String cat(String... parts);

    abstract String pick(List<String> words, String zeroBasedIndex);

    /** The first byte (0..255) of a lowercase hex string such as an MD5. */
    abstract String firstByteOfHex(String hex);

    /** 1-based position of {@code needle} in {@code haystack}, 0 when absent. */
    abstract String position(String haystack, String needle);

    abstract String intToText(String integer);

    abstract String textToInt(String text);

    abstract String div(String a, String b);

    /** Byte-for-byte equality, whatever the column's collation. */
    abstract String eqBinary(String a, String b);

    abstract String matches(String text, String regex);

    /** The column's value as text for hashing and checking. */
    abstract String valueText(String columnRef, LiveColumn column);

    /** A NULL of the column's type (PostgreSQL types a bare NULL in a sub-select as text). */
    abstract String nullOf(LiveColumn column);

    /** The constant, typed for the column, from a string parameter. */
    abstract Sql constant(String value, LiveColumn column);

    /** True when the column holds something other than the constant. */
    abstract Sql differsFromConstant(String columnRef, String value, LiveColumn column);

    /**
     * The UPDATE that masks one range ({@code lo < key <= hi}; either end open when null) of a table
     * with an integer key, or the whole table when {@code key} is empty.
     */
    abstract Sql update(MaskKeys k, TableName table, Optional<String> key, List<ColumnMask> columns, boolean hasLo,
                        boolean hasHi);

    String literal(String s) {
        if (!s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '\'' && ch != '\\')) {
            throw new IllegalArgumentException("internal literal must be plain ASCII");
        }
        return "'" + s + "'";
    }

    // ---------------------------------------------------------------- the masks

    /**
     * The part of a hash-derived mask that is computed once per value and used twice: the text the
     * keyed tag is computed over. Every mask is {@code body + f(tag(body))}, where
     * {@code tag(x) = md5(tagKey hex || x)}, so verification can recompute the tag from the stored
     * value alone; the phone's check digits are keyed arithmetic instead.
     */
    String body(Strategy.Kind kind, String h) {
        return switch (kind) {
            case HASH -> hexOf(h, 0, 12);
            case FAKE_EMAIL -> cat(pick(lower(WordLists.FIRST_NAMES), byteAt(h, 0)), literal("."),
                    pick(lower(WordLists.LAST_NAMES), byteAt(h, 1)), literal("."), hexOf(h, 2, 6));
            case FAKE_NAME -> cat(pick(WordLists.FIRST_NAMES, byteAt(h, 0)), literal(" "),
                    "SUBSTR(" + literal(ALPHABET) + ", 1 + (" + byteAt(h, 1) + ") % 26, 1)", literal(". "));
            case FAKE_ADDRESS -> cat(intToText("1 + ((" + byteAt(h, 0) + ") * 256 + (" + byteAt(h, 1) + ")) % 9999"),
                    literal(" "), pick(WordLists.STREETS, "(" + byteAt(h, 2) + ") % 64"), literal(" "),
                    pick(WordLists.STREET_SUFFIXES, "(" + byteAt(h, 3) + ") % 8"));
            default -> null;
        };
    }

    /** The mask of a hash-derived strategy from the keyed hash {@code h} and the body {@code p}. */
    String mask(MaskKeys k, Strategy.Kind kind, String h, String p) {
        return switch (kind) {
            case HASH -> cat(p, "LEFT(" + tag(k, p) + ", 8)");
            case FAKE_EMAIL -> cat(p, "LEFT(" + tag(k, p) + ", 6)", literal(EMAIL_DOMAIN));
            case FAKE_NAME -> cat(p, pick(WordLists.LAST_NAMES, firstByteOfHex(tag(k, p))));
            case FAKE_ADDRESS -> cat(p, literal(", "), pick(WordLists.CITIES, "(" + firstByteOfHex(tag(k, p)) + ") % 64"));
            case FAKE_PHONE -> renderPhone(k, "((" + byteAt(h, 0) + ") * 65536 + (" + byteAt(h, 1) + ") * 256 + ("
                    + byteAt(h, 2) + ")) % 100000");
            default -> throw new IllegalArgumentException(kind + " is not derived from a hash");
        };
    }

    /** The keyed tag of a body: md5 of the tag key (hex) and the body, as hex. */
    String tag(MaskKeys k, String body) {
        return "MD5(" + cat(literal(k.tagKeyHex), body) + ")";
    }

    /** {@code +1-555-DDD-DDDD}: five digits from the hash, two keyed check digits. */
    String renderPhone(MaskKeys k, String n) {
        String check = "((" + n + ") * " + k.phoneA + " + " + k.phoneC + ") % 100";
        String first = "LPAD(" + intToText(div("(" + n + ")", "100")) + ", 3, '0')";
        String last = "LPAD(" + intToText("((" + n + ") % 100) * 100 + " + check) + ", 4, '0')";
        return cat(literal(PHONE_PREFIX), first, literal("-"), last);
    }

    /**
     * True when the stored text {@code v} is a mask this clone's keys produce for the strategy (NULL
     * excluded by the caller): it has the strategy's shape and its tag (or check digits) is the one
     * recomputed from the rest of it.
     */
    String isMask(MaskKeys k, Strategy.Kind kind, String v) {
        String len = "CHAR_LENGTH(" + v + ")";
        return switch (kind) {
            case HASH -> "CASE WHEN " + len + " = 32 THEN " + eqBinary("RIGHT(" + v + ", 8)",
                    "LEFT(" + tag(k, "LEFT(" + v + ", 24)") + ", 8)") + " ELSE FALSE END";
            case FAKE_EMAIL -> "CASE WHEN " + len + " BETWEEN 31 AND 54 AND " + eqBinary("RIGHT(" + v + ", 12)",
                    literal(EMAIL_DOMAIN)) + " THEN " + eqBinary("SUBSTR(" + v + ", " + len + " - 17, 6)",
                    "LEFT(" + tag(k, "LEFT(" + v + ", " + len + " - 18)") + ", 6)") + " ELSE FALSE END";
            case FAKE_NAME -> {
                String cut = position(v, literal(". "));
                String body = "LEFT(" + v + ", " + cut + " + 1)";
                yield "CASE WHEN " + len + " BETWEEN 8 AND 24 AND " + matches(v, "^[A-Z][a-z]+ [A-Z][.] [A-Z][a-z]+$")
                        + " THEN " + eqBinary(v, cat(body, pick(WordLists.LAST_NAMES, firstByteOfHex(tag(k, body)))))
                        + " ELSE FALSE END";
            }
            case FAKE_ADDRESS -> {
                String cut = position(v, literal(", "));
                String body = "LEFT(" + v + ", " + cut + " - 1)";
                yield "CASE WHEN " + len + " <= 40 AND " + matches(v, "^[1-9][0-9]{0,3} [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+$")
                        + " THEN " + eqBinary(v, cat(body, literal(", "),
                        pick(WordLists.CITIES, "(" + firstByteOfHex(tag(k, body)) + ") % 64"))) + " ELSE FALSE END";
            }
            case FAKE_PHONE -> "CASE WHEN " + matches(v, "^[+]1-555-[0-9]{3}-[0-9]{4}$") + " THEN "
                    + eqBinary(v, renderPhone(k, textToInt("SUBSTR(" + v + ", 8, 3)") + " * 100 + "
                    + textToInt("SUBSTR(" + v + ", 12, 2)"))) + " ELSE FALSE END";
            default -> throw new IllegalArgumentException(kind + " is not derived from a hash");
        };
    }

    static List<String> lower(List<String> words) {
        return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The verification query of one table: {@code COUNT(*)}, then per column the non-null values and
     * the values that are not masks (for {@code null}: any value; for {@code constant}: any other value).
     */
    Sql verify(MaskKeys k, TableName table, List<ColumnMask> columns) {
        Sql sql = new Sql().add("SELECT COUNT(*)");
        for (ColumnMask c : columns) {
            String ref = "t." + quote(c.live().name());
            sql.add(", SUM(CASE WHEN " + ref + " IS NOT NULL THEN 1 ELSE 0 END)");
            sql.add(", SUM(CASE WHEN " + ref + " IS NOT NULL AND ");
            switch (c.strategy().kind()) {
                case NULL -> sql.add("TRUE");
                case CONSTANT -> sql.addAll(differsFromConstant(ref, c.strategy().constant().orElseThrow(), c.live()));
                default -> sql.add("NOT COALESCE(" + isMask(k, c.strategy().kind(), valueText(ref, c.live())) + ", FALSE)");
            }
            sql.add(" THEN 1 ELSE 0 END)");
        }
        return sql.add(" FROM " + table(table) + " t");
    }

    /** The range boundaries of a table: every {@code batch}-th key in key order. */
    String boundaries(TableName table, String key) {
        String k = quote(key);
        return "SELECT b.k FROM (SELECT t." + k + " AS k, ROW_NUMBER() OVER (ORDER BY t." + k + ") AS rn FROM "
                + table(table) + " t) b WHERE MOD(b.rn, ?) = 0 ORDER BY b.k";
    }

    /** The assignment value of a null or constant column (hash-derived ones are built by {@link #update}). */
    Sql plainValue(String columnRef, ColumnMask c) {
        return switch (c.strategy().kind()) {
            case NULL -> new Sql().add(nullOf(c.live()));
            case CONSTANT -> new Sql().add("CASE WHEN " + columnRef + " IS NULL THEN NULL ELSE ")
                    .addAll(constant(c.strategy().constant().orElseThrow(), c.live())).add(" END");
            default -> throw new IllegalArgumentException(c.strategy() + " is derived from a hash");
        };
    }

    /** Appends {@code lo < key <= hi} (open ends left out), or TRUE for the whole table. */
    static void appendRange(Sql sql, String keyRef, boolean hasLo, boolean hasHi) {
        if (!hasLo && !hasHi) {
            sql.add("1 = 1");
            return;
        }
        if (hasLo) {
            sql.add(keyRef + " > ").param(Sql.Bound.LO);
        }
        if (hasLo && hasHi) {
            sql.add(" AND ");
        }
        if (hasHi) {
            sql.add(keyRef + " <= ").param(Sql.Bound.HI);
        }
    }

    static String joinNames(List<String> names) {
        return names.stream().collect(Collectors.joining(", "));
    }

    /** The columns of a table spec resolved against the live table (the check has already refused missing ones). */
    List<ColumnMask> resolve(TableSpec spec, LiveTable live) {
        List<ColumnMask> out = new ArrayList<>();
        for (Map.Entry<String, Strategy> e : spec.columns().entrySet()) {
            if (e.getValue().kind() == Strategy.Kind.KEEP) {
                continue;
            }
            LiveColumn column = live.column(e.getKey(), columnsIgnoreCase()).orElseThrow();
            out.add(new ColumnMask(column.name(), column, e.getValue()));
        }
        return out;
    }
}
