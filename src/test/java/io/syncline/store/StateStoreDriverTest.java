package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state store's driver on the real PostgreSQL and on an embedded H2 file. */
class StateStoreDriverTest {

    private final StateStoreDriver driver = new StateStoreDriver();

    @Test
    void aPostgresSessionKeepsTheServersPlanCache() throws SQLException {
        // prepared statements keep their plans; PlanRefresh has them made again as the tables grow
        try (Connection connection = driver.connect(TestDatabase.url(), credentials())) {
            assertThat(setting(connection, "SHOW plan_cache_mode")).isEqualTo("auto");
        }
    }

    @Test
    void optionsInTheUrlReachTheSession() throws SQLException {
        String url = TestDatabase.url() + (TestDatabase.url().contains("?") ? "&" : "?") + "options=-c%20work_mem%3D8MB";
        try (Connection connection = driver.connect(url, credentials())) {
            assertThat(setting(connection, "SHOW work_mem")).isEqualTo("8MB");
        }
    }

    @Test
    void anH2UrlOpensTheEmbeddedStore() throws SQLException {
        Path file = Path.of("target", "state-store-driver-test", "store").toAbsolutePath();
        try (Connection connection = driver.connect("jdbc:h2:file:" + file + ";MODE=PostgreSQL", new Properties())) {
            assertThat(setting(connection, "SELECT 'h2'")).isEqualTo("h2");
        }
    }

    @Test
    void anyOtherUrlIsRefusedNamingWhatWorks() {
        assertThatThrownBy(() -> driver.connect("jdbc:mysql://db:3306/syncline", new Properties()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageContaining("jdbc:h2:file:");
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", TestDatabase.user());
        properties.setProperty("password", TestDatabase.password());
        return properties;
    }

    private static String setting(Connection connection, String sql) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
