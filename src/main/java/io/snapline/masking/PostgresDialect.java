package io.snapline.masking;

import io.snapline.masking.LiveSchema.ForeignKey;
import io.snapline.masking.LiveSchema.LiveColumn;
import io.snapline.masking.LiveSchema.LiveTable;
import io.snapline.masking.MaskingSpec.TableSpec;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL (RDS and Aurora). Foreign keys and ordinary triggers are switched off for the masking
 * session with {@code session_replication_role = replica}, which RDS lets an {@code rds_superuser}
 * (the master user) set; a trigger enabled {@code ALWAYS} would still fire, so the check refuses
 * such tables. Each masked value's keyed hash is computed once per row, in a correlated sub-select.
 */
final class PostgresDialect extends Dialect {

    @Override
    Flavour flavour() {
        return Flavour.POSTGRESQL;
    }

    @Override
    String quote(String identifier) {
        return Identifiers.quotePostgres(identifier);
    }

    @Override
    boolean columnsIgnoreCase() {
        return false;
    }

    @Override
    void prepareMaskingSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            s.execute("SET synchronous_commit = off");
            s.execute("SET statement_timeout = 0");
        }
    }

    @Override
    void createProgress(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + PROGRESS_SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + PROGRESS_SCHEMA + ".ranges (clone_id varchar(63) NOT NULL,"
                    + " tbl varchar(200) NOT NULL, range_no integer NOT NULL, lo bigint, hi bigint,"
                    + " state varchar(8) NOT NULL, row_count bigint, PRIMARY KEY (clone_id, tbl, range_no))");
            s.execute("CREATE TABLE IF NOT EXISTS " + PROGRESS_SCHEMA + ".run (clone_id varchar(63) PRIMARY KEY,"
                    + " key_fingerprint varchar(32) NOT NULL)");
        }
    }

    @Override
    void dropProgressSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + PROGRESS_SCHEMA + " CASCADE");
        }
    }

    @Override
    List<String> truncate(List<TableName> tables) {
        return tables.isEmpty() ? List.of()
                : List.of("TRUNCATE TABLE " + tables.stream().map(this::table).collect(Collectors.joining(", ")));
    }

    @Override
    String analyze(List<TableName> tables) {
        return "ANALYZE " + tables.stream().map(this::table).collect(Collectors.joining(", "));
    }

    @Override
    String hmac(MaskKeys k, Strategy.Kind kind, String text) {
        return "sha256(decode('" + k.outerPadHex() + "', 'hex') || sha256(decode('" + k.innerPadHex() + labelHex(kind)
                + "', 'hex') || convert_to(" + text + ", 'UTF8')))";
    }

    @Override
    String byteAt(String h, int n) {
        return "get_byte(" + h + ", " + n + ")";
    }

    @Override
    String hexOf(String h, int from, int count) {
        return "encode(substring(" + h + " from " + (from + 1) + " for " + count + "), 'hex')";
    }

    @Override
    String cat(String... parts) {
        return "(" + String.join(" || ", parts) + ")";
    }

    @Override
    String pick(List<String> words, String zeroBasedIndex) {
        return "(" + array(words) + ")[(" + zeroBasedIndex + ") + 1]";
    }

    @Override
    String position(String haystack, String needle) {
        return "strpos(" + haystack + ", " + needle + ")";
    }

    private String array(List<String> words) {
        return "'{" + String.join(",", words) + "}'::text[]";
    }

    @Override
    String intToText(String integer) {
        return "(" + integer + ")::text";
    }

    @Override
    String textToInt(String text) {
        return "CAST(" + text + " AS integer)";
    }

    @Override
    String div(String a, String b) {
        return "((" + a + ") / (" + b + "))";
    }

    @Override
    String eqBinary(String a, String b) {
        return "((" + a + ") COLLATE \"C\" = (" + b + ") COLLATE \"C\")";
    }

    @Override
    String matches(String text, String regex) {
        return "(" + text + ") ~ " + literal(regex);
    }

    @Override
    String valueText(String columnRef, LiveColumn column) {
        return columnRef + "::text";
    }

    @Override
    String firstByteOfHex(String hex) {
        return "get_byte(decode(LEFT(" + hex + ", 2), 'hex'), 0)";
    }

    @Override
    String nullOf(LiveColumn column) {
        return "CAST(NULL AS " + column.type() + ")";
    }

    @Override
    Sql constant(String value, LiveColumn column) {
        return new Sql().add("CAST(").param(value).add(" AS " + column.type() + ")");
    }

    @Override
    Sql differsFromConstant(String columnRef, String value, LiveColumn column) {
        if (column.text()) {
            return new Sql().add("(" + columnRef + "::text COLLATE \"C\" <> CAST(").param(value)
                    .add(" AS " + column.type() + ")::text COLLATE \"C\")");
        }
        return new Sql().add("(" + columnRef + " IS DISTINCT FROM CAST(").param(value).add(" AS " + column.type() + "))");
    }

    @Override
    Sql update(MaskKeys k, TableName table, Optional<String> key, List<ColumnMask> columns, boolean hasLo,
               boolean hasHi) {
        boolean derived = columns.stream().anyMatch(c -> c.strategy().kind().derivedFromHash());
        Sql sql = new Sql().add("UPDATE " + table(table) + " AS t SET ");
        if (!derived) {
            for (int i = 0; i < columns.size(); i++) {
                ColumnMask c = columns.get(i);
                String ref = "t." + quote(c.name());
                sql.add((i == 0 ? "" : ", ") + quote(c.name()) + " = ").addAll(plainValue(ref, c));
            }
        } else {
            sql.add("(" + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")) + ") = (SELECT ");
            List<String> level1 = new ArrayList<>();
            List<String> level2 = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                ColumnMask c = columns.get(i);
                String ref = "t." + quote(c.name());
                if (i > 0) {
                    sql.add(", ");
                }
                Strategy.Kind kind = c.strategy().kind();
                if (!kind.derivedFromHash()) {
                    sql.addAll(plainValue(ref, c));
                    continue;
                }
                level1.add(hmac(k, kind, valueText(ref, c.live())) + " AS h" + i);
                level2.add("x1.h" + i);
                String body = body(kind, "x1.h" + i);
                if (body != null) {
                    level2.add(body + " AS p" + i);
                }
                sql.add(mask(k, kind, "x2.h" + i, "x2.p" + i));
            }
            sql.add(" FROM (SELECT " + String.join(", ", level2) + " FROM (SELECT "
                    + String.join(", ", level1) + ") x1) x2)");
        }
        sql.add(" WHERE ");
        appendRange(sql, key.map(c -> "t." + quote(c)).orElse(""), hasLo && key.isPresent(), hasHi && key.isPresent());
        return sql;
    }

    // ---------------------------------------------------------------- catalog

    @Override
    LiveSchema read(Connection c, MaskingSpec spec) throws SQLException {
        String defaultSchema;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            defaultSchema = rs.getString(1);
        }
        Map<TableName, LiveTable> tables = new LinkedHashMap<>();
        Map<TableName, List<TableName>> nearMisses = new LinkedHashMap<>();
        for (TableSpec t : spec.tables()) {
            TableName wanted = defaultSchema == null ? t.name() : t.name().inSchema(defaultSchema);
            if (wanted.schema().isEmpty()) {
                continue;
            }
            List<TableName> near = new ArrayList<>();
            Long oid = null;
            long estimate = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, n.nspname, c.relname, c.reltuples::bigint"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                    + " AND lower(n.nspname) = lower(?) AND lower(c.relname) = lower(?)")) {
                ps.setString(1, wanted.schema().get());
                ps.setString(2, wanted.table());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableName found = TableName.of(rs.getString(2), rs.getString(3));
                        if (found.equals(wanted)) {
                            oid = rs.getLong(1);
                            estimate = Math.max(0, rs.getLong(4));
                        } else {
                            near.add(found);
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                // a catalog name that is not a plain identifier cannot be what the spec meant
            }
            if (oid == null) {
                nearMisses.put(wanted, near);
                continue;
            }
            tables.put(wanted, table(c, oid, wanted, estimate));
        }
        return new LiveSchema(defaultSchema, tables, nearMisses, foreignKeys(c));
    }

    private LiveTable table(Connection c, long oid, TableName name, long estimate) throws SQLException {
        Map<String, LiveColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " a.attnotnull, a.attgenerated <> '' OR a.attidentity = 'a', t.typcategory, a.atttypmod, t.typname,"
                + " bt.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(7);
                    String base = rs.getString(8) == null ? type : rs.getString(8);
                    boolean text = "S".equals(rs.getString(5));
                    int typmod = rs.getInt(6);
                    OptionalInt max = text && (base.equals("varchar") || base.equals("bpchar")) && typmod > 4
                            ? OptionalInt.of(typmod - 4) : OptionalInt.empty();
                    boolean integer = Set.of("int2", "int4", "int8").contains(base);
                    columns.put(rs.getString(1), new LiveColumn(rs.getString(1), rs.getString(2), text, max,
                            !rs.getBoolean(3), rs.getBoolean(4), integer));
                }
            }
        }
        Optional<String> primaryKey = Optional.empty();
        Set<String> unique = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indisprimary, a.attname FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ? AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL"
                + " AND i.indexprs IS NULL")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(2);
                    unique.add(column);
                    if (rs.getBoolean(1) && columns.get(column).integer()) {
                        primaryKey = Optional.of(column);
                    }
                }
            }
        }
        List<String> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tgname FROM pg_trigger WHERE tgrelid = ?"
                + " AND NOT tgisinternal AND tgenabled = 'A' ORDER BY tgname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(rs.getString(1));
                }
            }
        }
        return new LiveTable(name, columns, primaryKey, unique, triggers, estimate);
    }

    private List<ForeignKey> foreignKeys(Connection c) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        String sql = "SELECT k.conname, cn.nspname, cc.relname, pn.nspname, pc.relname,"
                + " ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a"
                + "   ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o)::text[],"
                + " ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a"
                + "   ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)::text[]"
                + " FROM pg_constraint k JOIN pg_class cc ON cc.oid = k.conrelid"
                + " JOIN pg_namespace cn ON cn.oid = cc.relnamespace JOIN pg_class pc ON pc.oid = k.confrelid"
                + " JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE k.contype = 'f'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new ForeignKey(rs.getString(1), unnamed(rs.getString(2), rs.getString(3)),
                        strings(rs.getArray(6)), unnamed(rs.getString(4), rs.getString(5)), strings(rs.getArray(7))));
            }
        }
        return out;
    }

    /**
     * The catalog's table name; a name that is not a plain identifier cannot be in a specification,
     * so it gets a stand-in that matches none (its keys still show in problems by that stand-in).
     */
    static TableName unnamed(String schema, String table) {
        try {
            return TableName.of(schema, table);
        } catch (IllegalArgumentException e) {
            return TableName.of("_", "_unnamed_" + Integer.toHexString((schema + "." + table).hashCode()));
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
