package io.snapline.masking;

import io.snapline.masking.LiveSchema.ForeignKey;
import io.snapline.masking.LiveSchema.LiveColumn;
import io.snapline.masking.LiveSchema.LiveTable;
import io.snapline.masking.MaskingSpec.TableSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MySQL 8 and MariaDB (RDS and Aurora MySQL): the SQL the two share. Foreign-key checks are off for
 * the masking session ({@code foreign_key_checks = 0}: no checks and no cascades); MySQL cannot turn
 * triggers off for a session, so the check refuses tables with UPDATE triggers. Each value's keyed
 * hash is computed once per row in a derived table joined back on the key.
 */
final class MysqlDialect extends Dialect {

    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    @Override
    Flavour flavour() {
        return Flavour.MYSQL;
    }

    @Override
    String quote(String identifier) {
        return Identifiers.quoteMysql(identifier);
    }

    @Override
    boolean columnsIgnoreCase() {
        return true;
    }

    @Override
    void prepareMaskingSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION foreign_key_checks = 0");
            s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
        }
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    @Override
    void createProgress(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + PROGRESS_SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + PROGRESS_SCHEMA + ".ranges (clone_id varchar(63) NOT NULL,"
                    + " tbl varchar(200) NOT NULL, range_no integer NOT NULL, lo bigint NULL, hi bigint NULL,"
                    + " state varchar(8) NOT NULL, row_count bigint NULL, PRIMARY KEY (clone_id, tbl, range_no))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            s.execute("CREATE TABLE IF NOT EXISTS " + PROGRESS_SCHEMA + ".run (clone_id varchar(63) PRIMARY KEY,"
                    + " key_fingerprint varchar(32) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        }
    }

    @Override
    void dropProgressSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PROGRESS_SCHEMA);
        }
    }

    @Override
    List<String> truncate(List<TableName> tables) {
        return tables.stream().map(t -> "TRUNCATE TABLE " + table(t)).toList();
    }

    @Override
    String analyze(List<TableName> tables) {
        return "ANALYZE TABLE " + tables.stream().map(this::table).collect(Collectors.joining(", "));
    }

    @Override
    String hmac(MaskKeys k, Strategy.Kind kind, String text) {
        return "SHA2(CONCAT(CAST(X'" + k.outerPadHex() + "' AS BINARY), UNHEX(SHA2(CONCAT(CAST(X'" + k.innerPadHex()
                + labelHex(kind) + "' AS BINARY), CAST(CONVERT(" + text + " USING utf8mb4) AS BINARY)), 256))), 256)";
    }

    @Override
    String byteAt(String h, int n) {
        return "ASCII(UNHEX(SUBSTR(" + h + ", " + (2 * n + 1) + ", 2)))";
    }

    @Override
    String hexOf(String h, int from, int count) {
        return "SUBSTR(" + h + ", " + (2 * from + 1) + ", " + (2 * count) + ")";
    }

    @Override
    String cat(String... parts) {
        return "CONCAT(" + String.join(", ", parts) + ")";
    }

    @Override
    String pick(List<String> words, String zeroBasedIndex) {
        return "ELT((" + zeroBasedIndex + ") + 1, " + words.stream().map(this::literal).collect(Collectors.joining(", "))
                + ")";
    }

    @Override
    String position(String haystack, String needle) {
        return "LOCATE(" + needle + ", " + haystack + ")";
    }

    @Override
    String intToText(String integer) {
        return "CAST(" + integer + " AS CHAR)";
    }

    @Override
    String textToInt(String text) {
        return "CAST(" + text + " AS UNSIGNED)";
    }

    @Override
    String div(String a, String b) {
        return "((" + a + ") DIV (" + b + "))";
    }

    @Override
    String eqBinary(String a, String b) {
        return "(CAST(" + a + " AS BINARY) = CAST(" + b + " AS BINARY))";
    }

    @Override
    String matches(String text, String regex) {
        return "(" + text + ") REGEXP " + literal(regex);
    }

    @Override
    String valueText(String columnRef, LiveColumn column) {
        return columnRef;
    }

    @Override
    String firstByteOfHex(String hex) {
        return "ASCII(UNHEX(LEFT(" + hex + ", 2)))";
    }

    @Override
    String nullOf(LiveColumn column) {
        return "NULL";
    }

    @Override
    Sql constant(String value, LiveColumn column) {
        return new Sql().param(value);
    }

    @Override
    Sql differsFromConstant(String columnRef, String value, LiveColumn column) {
        if (column.text()) {
            return new Sql().add("NOT (CAST(" + columnRef + " AS BINARY) <=> CAST(").param(value).add(" AS BINARY))");
        }
        return new Sql().add("NOT (" + columnRef + " <=> ").param(value).add(")");
    }

    @Override
    Sql update(MaskKeys k, TableName table, Optional<String> key, List<ColumnMask> columns, boolean hasLo,
               boolean hasHi) {
        boolean derived = columns.stream().anyMatch(c -> c.strategy().kind().derivedFromHash());
        if (key.isEmpty() || !derived) {
            return inlineUpdate(k, table, key, columns, hasLo, hasHi);
        }
        String keyName = quote(key.get());
        List<String> level1 = new ArrayList<>();
        List<String> level2 = new ArrayList<>();
        level1.add("s." + keyName + " AS k");
        level2.add("x1.k");
        for (int i = 0; i < columns.size(); i++) {
            ColumnMask c = columns.get(i);
            Strategy.Kind kind = c.strategy().kind();
            if (!kind.derivedFromHash()) {
                continue;
            }
            level1.add(hmac(k, kind, valueText("s." + quote(c.name()), c.live())) + " AS h" + i);
            level2.add("x1.h" + i);
            String body = body(kind, "x1.h" + i);
            if (body != null) {
                level2.add(body + " AS p" + i);
            }
        }
        Sql sql = new Sql().add("UPDATE " + table(table) + " AS t JOIN (SELECT " + String.join(", ", level2)
                + " FROM (SELECT " + String.join(", ", level1) + " FROM " + table(table) + " AS s WHERE ");
        appendRange(sql, "s." + keyName, hasLo, hasHi);
        sql.add(") AS x1) AS x2 ON t." + keyName + " = x2.k SET ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnMask c = columns.get(i);
            String ref = "t." + quote(c.name());
            sql.add((i == 0 ? "" : ", ") + ref + " = ");
            if (c.strategy().kind().derivedFromHash()) {
                sql.add("CASE WHEN " + ref + " IS NULL THEN NULL ELSE "
                        + mask(k, c.strategy().kind(), "x2.h" + i, "x2.p" + i) + " END");
            } else {
                sql.addAll(plainValue(ref, c));
            }
        }
        sql.add(" WHERE ");
        appendRange(sql, "t." + keyName, hasLo, hasHi);
        return sql;
    }

    /** Without a key to join on: every expression inline (the keyed hash computed where it is used). */
    private Sql inlineUpdate(MaskKeys k, TableName table, Optional<String> key, List<ColumnMask> columns,
                             boolean hasLo, boolean hasHi) {
        Sql sql = new Sql().add("UPDATE " + table(table) + " AS t SET ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnMask c = columns.get(i);
            String ref = "t." + quote(c.name());
            sql.add((i == 0 ? "" : ", ") + ref + " = ");
            Strategy.Kind kind = c.strategy().kind();
            if (kind.derivedFromHash()) {
                String h = "(" + hmac(k, kind, valueText(ref, c.live())) + ")";
                String body = body(kind, h);
                sql.add(mask(k, kind, h, body == null ? null : "(" + body + ")"));
            } else {
                sql.addAll(plainValue(ref, c));
            }
        }
        sql.add(" WHERE ");
        appendRange(sql, key.map(c -> "t." + quote(c)).orElse(""), hasLo && key.isPresent(), hasHi && key.isPresent());
        return sql;
    }

    // ---------------------------------------------------------------- catalog

    @Override
    LiveSchema read(Connection c, MaskingSpec spec) throws SQLException {
        String defaultSchema;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
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
            boolean found = false;
            long estimate = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM"
                    + " information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND LOWER(TABLE_SCHEMA) = LOWER(?)"
                    + " AND LOWER(TABLE_NAME) = LOWER(?)")) {
                ps.setString(1, wanted.schema().get());
                ps.setString(2, wanted.table());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableName name = PostgresDialect.unnamed(rs.getString(1), rs.getString(2));
                        if (name.equals(wanted)) {
                            found = true;
                            estimate = Math.max(0, rs.getLong(3));
                        } else {
                            near.add(name);
                        }
                    }
                }
            }
            if (!found) {
                nearMisses.put(wanted, near);
                continue;
            }
            tables.put(wanted, table(c, wanted, estimate));
        }
        return new LiveSchema(defaultSchema, tables, nearMisses, foreignKeys(c));
    }

    private LiveTable table(Connection c, TableName name, long estimate) throws SQLException {
        Map<String, LiveColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE,"
                + " CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, COALESCE(GENERATION_EXPRESSION, ''), EXTRA"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, name.schema().orElseThrow());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String dataType = rs.getString(3).toLowerCase(Locale.ROOT);
                    String columnType = rs.getString(2).toLowerCase(Locale.ROOT);
                    boolean text = TEXT_TYPES.contains(dataType);
                    long max = rs.getLong(4);
                    boolean bounded = text && !rs.wasNull() && max > 0 && max < Integer.MAX_VALUE;
                    boolean integer = INTEGER_TYPES.contains(dataType)
                            && !(dataType.equals("bigint") && columnType.contains("unsigned"));
                    String extra = rs.getString(7) == null ? "" : rs.getString(7).toUpperCase(Locale.ROOT);
                    boolean generated = !rs.getString(6).isEmpty() || extra.contains("GENERATED")
                            || extra.contains("PERSISTENT") || extra.contains("VIRTUAL");
                    columns.put(rs.getString(1), new LiveColumn(rs.getString(1), rs.getString(2), text,
                            bounded ? OptionalInt.of((int) max) : OptionalInt.empty(),
                            "YES".equals(rs.getString(5)), generated, integer));
                }
            }
        }
        Optional<String> primaryKey = Optional.empty();
        Set<String> unique = new HashSet<>();
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, name.schema().orElseThrow());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        for (Map.Entry<String, List<String>> e : indexes.entrySet()) {
            if (e.getValue().size() == 1) {
                String column = e.getValue().get(0);
                unique.add(column);
                LiveColumn live = columns.get(column);
                if (e.getKey().equals("PRIMARY") && live != null && live.integer()) {
                    primaryKey = Optional.of(column);
                }
            }
        }
        List<String> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS"
                + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? AND EVENT_MANIPULATION = 'UPDATE'"
                + " ORDER BY TRIGGER_NAME")) {
            ps.setString(1, name.schema().orElseThrow());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(rs.getString(1));
                }
            }
        }
        return new LiveTable(name, columns, primaryKey, unique, triggers, estimate);
    }

    private List<ForeignKey> foreignKeys(Connection c) throws SQLException {
        Map<String, ForeignKey> keys = new LinkedHashMap<>();
        String sql = "SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME,"
                + " REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME"
                + " FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_NAME IS NOT NULL"
                + " ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String id = rs.getString(1) + "." + rs.getString(4) + "." + rs.getString(2);
                ForeignKey fk = keys.computeIfAbsent(id, x -> {
                    try {
                        return new ForeignKey(rs.getString(2), PostgresDialect.unnamed(rs.getString(3), rs.getString(4)),
                                new ArrayList<>(), PostgresDialect.unnamed(rs.getString(6), rs.getString(7)),
                                new ArrayList<>());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                fk.childColumns().add(rs.getString(5));
                fk.parentColumns().add(rs.getString(8));
            }
        }
        return new ArrayList<>(keys.values());
    }
}
