package io.snapline.masking;

import io.snapline.masking.TestDatabases.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tables, rows and specifications shared by the masking tests. */
final class MaskingFixtures {

    static final byte[] SECRET = "clone-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final byte[] OTHER_SECRET = "another-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Values no masking may choke on: NULL, empty, unicode beyond the BMP, SQL-shaped text, very long text. */
    static final List<String> HOSTILE = List.of(
            "Alice Smith",
            "",
            "Zoë Ångström-Łukasiewicz 😀 名前 ‮",
            "O'Brien \"; DROP TABLE people; -- \\ % _",
            "   padded   ",
            "x".repeat(100_000));

    private MaskingFixtures() {
    }

    static String key(Flavour f) {
        return f == Flavour.POSTGRESQL ? "bigserial PRIMARY KEY" : "bigint AUTO_INCREMENT PRIMARY KEY";
    }

    /** people: one column per strategy, text columns of several kinds. */
    static void createPeople(Database db) {
        String text = db.flavour() == Flavour.POSTGRESQL ? "text" : "mediumtext";
        db.exec("CREATE TABLE people (id " + key(db.flavour()) + ", full_name varchar(100), email varchar(200),"
                + " phone varchar(40), street varchar(120), token " + text + ", notes " + text + ", tier varchar(20),"
                + " age integer, score integer, city varchar(50), bio " + text + ")");
    }

    static final String PEOPLE_SPEC = """
            {"tables": {"people": {"columns": {
              "full_name": "fake:name", "email": "fake:email", "phone": "fake:phone", "street": "fake:address",
              "token": "hash", "notes": "null", "tier": "constant:standard", "age": "constant:42", "score": "null",
              "city": "keep", "bio": "fake:email"}}}}""";

    /** Inserts rows: each hostile value (cut to fit) in every text column, NULLs in one row, then {@code extra} plain rows. */
    static void fillPeople(Database db, int extra) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO people (full_name, email,"
                + " phone, street, token, notes, tier, age, score, city, bio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            List<String[]> rows = new ArrayList<>();
            for (String v : HOSTILE) {
                rows.add(new String[] {cut(v, 100), cut(v, 200), cut(v, 40), cut(v, 120), v, v, cut(v, 20), "7", "9",
                        cut(v, 50), v});
            }
            rows.add(new String[11]);
            for (int i = 0; i < extra; i++) {
                rows.add(new String[] {"Person " + i, "person" + i + "@corp.example", "+44 20 7946 " + i, i + " High Street",
                        "tok-" + i, "note " + i, "gold", String.valueOf(i % 90), String.valueOf(i), "City " + (i % 7),
                        "bio " + i});
            }
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i == 7 || i == 8) {
                        if (row[i] == null) {
                            ps.setNull(i + 1, java.sql.Types.INTEGER);
                        } else {
                            ps.setInt(i + 1, Integer.parseInt(row[i]));
                        }
                    } else {
                        ps.setString(i + 1, row[i]);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String cut(String v, int max) {
        return v.codePointCount(0, v.length()) <= max ? v : v.substring(0, v.offsetByCodePoints(0, max));
    }

    /** Every row of a table, by id, each column as the driver's string. */
    static Map<Long, Map<String, String>> rows(Database db, String table) throws SQLException {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                }
                out.put(rs.getLong("id"), row);
            }
        }
        return out;
    }

    /** What a table must hold after masking, computed in Java from its rows before. */
    static Map<Long, Map<String, String>> expected(Map<Long, Map<String, String>> before, MaskingSpec spec, String table,
                                                   byte[] secret) {
        MaskingSpec.TableSpec t = spec.tables().stream().filter(s -> s.name().table().equals(table)).findFirst().orElseThrow();
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        before.forEach((id, row) -> {
            Map<String, String> masked = new LinkedHashMap<>(row);
            t.columns().forEach((column, strategy) -> masked.put(column, ReferenceMasks.mask(secret, strategy, row.get(column))));
            out.put(id, masked);
        });
        return out;
    }

    static MaskingEngine engine(Database db, MaskingCheckpoints checkpoints, int parallelism, int batch) {
        return new MaskingEngine(db.flavour(), db.connections(), checkpoints, new MaskingEngine.Options(parallelism, batch));
    }

    static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
