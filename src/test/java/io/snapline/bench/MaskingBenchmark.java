package io.snapline.bench;

import io.snapline.masking.Flavour;
import io.snapline.masking.LedgerMaskingCheckpoints;
import io.snapline.masking.MaskingEngine;
import io.snapline.masking.MaskingResult;
import io.snapline.masking.MaskingSpec;
import io.snapline.masking.TestDatabases;
import io.snapline.masking.TestDatabases.Database;
import io.snapline.testing.MemoryLedgers;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The masking benchmark (not a test). On each database the tests use (embedded PostgreSQL 14,
 * MariaDB 10.11), a table of N rows (default 1,000,000) with three masked columns: a realistic
 * email and name, and a keyed hash of a reference that a second table (N/5 rows) holds under a
 * foreign key and is masked alike. Masking is timed end to end through {@link MaskingEngine#mask}
 * (schema check, both tables, verification), against a plain {@code UPDATE t SET c = md5(c)} of the
 * same N rows, run before and after the masking (the mean is the baseline), all after a warm-up on
 * a small copy. Prints a table and {@code masking/update ratio: <x>} per database and overall
 * (the geometric mean of the two).
 * Run: {@code bench/run-masking-benchmark.sh} ({@code -Drows=1000000 -Dparallelism=2 -Dbatch=50000}).
 */
public final class MaskingBenchmark {

    private static final int ROWS = Integer.getInteger("rows", 1_000_000);
    private static final int PARALLELISM = Integer.getInteger("parallelism", Runtime.getRuntime().availableProcessors());
    private static final int BATCH = Integer.getInteger("batch", 50_000);
    private static final byte[] SECRET = "benchmark-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC = """
            {"tables": {
              "customers": {"columns": {"email": "fake:email", "full_name": "fake:name", "customer_ref": "hash"}},
              "orders": {"columns": {"customer_ref": "hash"}}}}""";

    private MaskingBenchmark() {
    }

    private record Figures(Flavour flavour, long rows, long orders, double updateSeconds1, double updateSeconds2,
                           double maskSeconds, double maskOnlySeconds, double verifySeconds) {
        double updateRate() {
            return rows / ((updateSeconds1 + updateSeconds2) / 2);
        }

        double maskRate() {
            return rows / maskSeconds;
        }

        double ratio() {
            return maskRate() / updateRate();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "snapline masking benchmark: %,d rows (+%,d referencing), parallelism %d,"
                + " batch %,d, java %s, %d cores%n", ROWS, ROWS / 5, PARALLELISM, BATCH, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        List<Figures> all = new ArrayList<>();
        for (Flavour flavour : Flavour.values()) {
            Database warm = TestDatabases.create(flavour);
            System.out.printf(Locale.ROOT, "%s: warming up on %,d rows%n", flavour, Math.max(1000, ROWS / 20));
            run(warm, Math.max(1000, ROWS / 20));
            Database db = TestDatabases.create(flavour);
            Figures f = run(db, ROWS);
            all.add(f);
            print(f);
            System.out.printf(Locale.ROOT, "%s masking/update ratio: %.2f%n", label(flavour), f.ratio());
            db.exec(flavour == Flavour.POSTGRESQL ? "DROP TABLE orders, customers" : "DROP TABLE orders, customers");
        }
        double overall = Math.sqrt(all.get(0).ratio() * all.get(1).ratio());
        System.out.printf(Locale.ROOT, "masking/update ratio: %.2f%n", overall);
        System.exit(0);
    }

    private static String label(Flavour f) {
        return f == Flavour.POSTGRESQL ? "postgresql" : "mariadb";
    }

    private static Figures run(Database db, int rows) throws SQLException {
        Flavour flavour = db.flavour();
        load(db, rows);
        double update1 = timed(db, "UPDATE customers SET email = md5(email)");
        tidy(db);
        MaskingEngine engine = new MaskingEngine(flavour, db.connections(),
                new LedgerMaskingCheckpoints(MemoryLedgers.fresh()), new MaskingEngine.Options(PARALLELISM, BATCH));
        long start = System.nanoTime();
        MaskingResult result = engine.mask(db.cloneId(), MaskingSpec.parseJson("bench", SPEC), SECRET);
        double mask = (System.nanoTime() - start) / 1e9;
        tidy(db);
        double update2 = timed(db, "UPDATE customers SET email = md5(email)");
        double maskOnly = result.tables().stream().mapToDouble(t -> t.elapsed().toNanos() / 1e9).max().orElse(0);
        if (!result.verification().passed() || result.rowsMasked() != rows + rows / 5) {
            throw new IllegalStateException("the benchmark's masking did not mask every row: " + result);
        }
        return new Figures(flavour, rows, rows / 5, update1, update2, mask, maskOnly,
                result.verification().elapsed().toNanos() / 1e9);
    }

    private static void print(Figures f) {
        System.out.printf(Locale.ROOT, "%-42s %12s %14s%n", label(f.flavour()) + ", " + String.format(Locale.ROOT, "%,d",
                f.rows()) + " rows", "seconds", "rows/s");
        System.out.printf(Locale.ROOT, "%-42s %12.2f %,14.0f%n", "UPDATE customers SET email = md5(email) (1)",
                f.updateSeconds1(), f.rows() / f.updateSeconds1());
        System.out.printf(Locale.ROOT, "%-42s %12.2f %,14.0f%n", "UPDATE customers SET email = md5(email) (2)",
                f.updateSeconds2(), f.rows() / f.updateSeconds2());
        System.out.printf(Locale.ROOT, "%-42s %12.2f %,14.0f%n", "mask(): check + 2 tables + verify", f.maskSeconds(),
                f.maskRate());
        System.out.printf(Locale.ROOT, "%-42s %12.2f %,14.0f%n", "  of which masking customers (3 columns)",
                f.maskOnlySeconds(), f.rows() / f.maskOnlySeconds());
        System.out.printf(Locale.ROOT, "%-42s %12.2f %,14.0f%n", "  of which verification (both tables)", f.verifySeconds(),
                (f.rows() + f.orders()) / f.verifySeconds());
    }

    /** N customers, and N/5 orders referencing customers by customer_ref under a foreign key. */
    private static void load(Database db, int rows) throws SQLException {
        boolean pg = db.flavour() == Flavour.POSTGRESQL;
        String digits = "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        StringBuilder seq = new StringBuilder("SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n"
                + " + 100000 * f.n + 1000000 * g.n AS i FROM ");
        String[] names = {"a", "b", "c", "d", "e", "f", "g"};
        for (int i = 0; i < names.length; i++) {
            seq.append(i == 0 ? "" : " CROSS JOIN ").append(digits).append(' ').append(names[i]);
        }
        String concat = pg ? "'user' || s.i || '@corp.example', 'Given' || s.i || ' Family' || (s.i % 977),"
                + " 'CUST-' || lpad(s.i::text, 9, '0')"
                : "CONCAT('user', s.i, '@corp.example'), CONCAT('Given', s.i, ' Family', s.i % 977),"
                + " CONCAT('CUST-', LPAD(s.i, 9, '0'))";
        db.exec("CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL, full_name varchar(100),"
                        + " customer_ref varchar(64) NOT NULL UNIQUE, city varchar(50))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_ref varchar(64) NOT NULL,"
                        + " amount integer NOT NULL, CONSTRAINT orders_customer FOREIGN KEY (customer_ref)"
                        + " REFERENCES customers (customer_ref))",
                "INSERT INTO customers (id, email, full_name, customer_ref, city) SELECT s.i, " + concat + ", 'Springfield'"
                        + " FROM (" + seq + ") s WHERE s.i <= " + rows,
                "INSERT INTO orders (id, customer_ref, amount) SELECT id, customer_ref, id % 1000 FROM customers"
                        + " WHERE id % 5 = 0");
        tidy(db);
    }

    /** Vacuum and analyse (PostgreSQL) or analyse (MariaDB), so every timed statement starts from the same state. */
    private static void tidy(Database db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (db.flavour() == Flavour.POSTGRESQL) {
                c.setAutoCommit(true);
                s.execute("VACUUM ANALYZE customers");
                s.execute("VACUUM ANALYZE orders");
                s.execute("CHECKPOINT");
            } else {
                s.execute("ANALYZE TABLE customers, orders");
            }
        }
    }

    private static double timed(Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long start = System.nanoTime();
            s.executeUpdate(sql);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
