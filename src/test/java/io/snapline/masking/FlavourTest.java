package io.snapline.masking;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlavourTest {

    @ParameterizedTest
    @CsvSource({"postgres, POSTGRESQL", "aurora-postgresql, POSTGRESQL", "mysql, MYSQL", "mariadb, MYSQL",
            "aurora-mysql, MYSQL", "aurora, MYSQL", " Aurora-PostgreSQL , POSTGRESQL"})
    void ofRdsEngine_mapsEveryRdsEngineTheMaskingSpeaks(String engine, Flavour flavour) {
        assertThat(Flavour.ofRdsEngine(engine)).contains(flavour);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oracle-ee", "sqlserver-se", "db2-se", "docdb", ""})
    void ofRdsEngine_isEmptyForEnginesItCannotMask(String engine) {
        assertThat(Flavour.ofRdsEngine(engine)).isEmpty();
        assertThat(Flavour.ofRdsEngine(null)).isEqualTo(Optional.empty());
    }

    @Test
    void jdbcUrl_buildsATlsUrlPerFlavour() {
        String host = "clone-1.abc123.eu-west-1.rds.amazonaws.com";
        assertThat(Flavour.POSTGRESQL.jdbcUrl(host, 5432, "app"))
                .isEqualTo("jdbc:postgresql://" + host + ":5432/app?sslmode=require");
        assertThat(Flavour.MYSQL.jdbcUrl(host, 3306, "app")).isEqualTo("jdbc:mariadb://" + host + ":3306/app?sslMode=trust");
        assertThat(Flavour.POSTGRESQL.jdbcUrl("[::1]", 5432, "app")).isEqualTo("jdbc:postgresql://[::1]:5432/app?sslmode=require");
        assertThat(Flavour.MYSQL.plainJdbcUrl("localhost", 3306, "app")).isEqualTo("jdbc:mariadb://localhost:3306/app");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"host/evil|5432|app", "host?x=1|5432|app", "host|0|app", "host|70000|app",
            "host|5432|app?ssl=false", "host|5432|a/b", "-host|5432|app", "host@x|5432|app"})
    void jdbcUrl_refusesPartsThatCouldCarryAnythingElse(String host, int port, String database) {
        assertThatThrownBy(() -> Flavour.POSTGRESQL.jdbcUrl(host, port, database))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
