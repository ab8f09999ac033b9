package io.snapline.masking;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a new connection to the clone. The engine opens one per worker and one for checks, and
 * closes every connection it opened; the clone pipeline supplies one that reads the credentials
 * (e.g. from Secrets Manager) when asked.
 */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws SQLException;

    /** Connections through {@link DriverManager} with a user and password. */
    static ConnectionSource of(String jdbcUrl, String user, String password) {
        return () -> {
            Properties props = new Properties();
            props.setProperty("user", user);
            if (password != null) {
                props.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl, props);
        };
    }
}
