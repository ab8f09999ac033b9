package io.snapline.masking;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SQL dialect of a clone. RDS engine names map onto two flavours: {@code postgres} and
 * {@code aurora-postgresql} are PostgreSQL; {@code mysql}, {@code mariadb} and {@code aurora-mysql}
 * (also the older {@code aurora}, Aurora MySQL 1) are MySQL. The MySQL flavour uses the SQL that
 * MySQL 8 and MariaDB 10.6+ share, over the MariaDB JDBC driver (which speaks to both); the tests
 * run it against MariaDB.
 */
public enum Flavour {
    POSTGRESQL,
    MYSQL;

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    /**
     * The flavour of an RDS engine name, as {@code DescribeDBInstances} or {@code DescribeDBClusters}
     * return it ({@code Engine}); empty for an engine the masking cannot handle (Oracle, SQL Server, Db2).
     */
    public static Optional<Flavour> ofRdsEngine(String engine) {
        if (engine == null) {
            return Optional.empty();
        }
        return switch (engine.strip().toLowerCase(Locale.ROOT)) {
            case "postgres", "aurora-postgresql" -> Optional.of(POSTGRESQL);
            case "mysql", "mariadb", "aurora-mysql", "aurora" -> Optional.of(MYSQL);
            default -> Optional.empty();
        };
    }

    /**
     * The JDBC URL of one database of a clone. Credentials are not part of it: pass them to the
     * driver as properties. TLS is required ({@code sslmode=require} / {@code sslMode=trust}
     * encrypts without checking the certificate; a caller that has the RDS CA bundle adds
     * verification through the driver's properties).
     *
     * @param host     the endpoint's address, a DNS name or an IP literal (IPv6 in brackets)
     * @param port     1 to 65535
     * @param database the database name, a plain identifier ({@link Identifiers#valid})
     * @throws IllegalArgumentException for a host, port or database that could carry anything else
     */
    public String jdbcUrl(String host, int port, String database) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("not a host name or IP address: " + Identifiers.printable(host));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!Identifiers.valid(database)) {
            throw new IllegalArgumentException("database name " + Identifiers.printable(database)
                    + " is not a plain identifier (" + Identifiers.rule() + ")");
        }
        String db = URLEncoder.encode(database, StandardCharsets.UTF_8);
        return switch (this) {
            case POSTGRESQL -> "jdbc:postgresql://" + host + ":" + port + "/" + db + "?sslmode=require";
            case MYSQL -> "jdbc:mariadb://" + host + ":" + port + "/" + db + "?sslMode=trust";
        };
    }

    /** The local-database URL without TLS, for tests and for local mode pointed at a database on this machine. */
    public String plainJdbcUrl(String host, int port, String database) {
        String url = jdbcUrl(host, port, database);
        return url.substring(0, url.indexOf('?'));
    }
}
