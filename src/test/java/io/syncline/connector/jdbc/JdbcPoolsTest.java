package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.syncline.model.SecretRef;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pools of {@code url:} systems, on the real MariaDB and PostgreSQL: one per system, reused
 * while the model and its environment say the same, replaced (the old one closed) when they
 * change, and the credentials from the environment are the ones used.
 */
class JdbcPoolsTest {

    private static final JdbcSettings ERP = new JdbcSettings(null, env("ERP_URL"), env("ERP_USER"), env("ERP_PASSWORD"));

    private final Map<String, String> environment = new HashMap<>();
    private final JdbcPools pools = new JdbcPools(environment::get);

    @BeforeAll
    static void databases() {
        MariaDbTestDatabase.ensure();
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
    }

    @AfterEach
    void closePools() {
        pools.close();
    }

    private static SecretRef env(String name) {
        return new SecretRef(name, null);
    }

    private void erpAt(String url, String user, String password) {
        environment.putAll(Map.of("ERP_URL", url, "ERP_USER", user, "ERP_PASSWORD", password));
    }

    private static String dialectOf(AgroalDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return SqlDialect.of(connection).name();
        }
    }

    @Test
    void oneSystemKeepsOnePoolWhileItsSettingsStayTheSame() throws SQLException {
        erpAt(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(), MariaDbTestDatabase.password());

        AgroalDataSource pool = pools.pool("erp", ERP);

        assertThat(pools.pool("erp", ERP)).isSameAs(pool);
        assertThat(dialectOf(pool)).isEqualTo("MariaDB");
        assertThat(pool.getConfiguration().connectionPoolConfiguration().maxSize()).isEqualTo(JdbcPools.MAX_SIZE);
    }

    @Test
    void aChangedUrlReplacesThePoolAndClosesTheOldOne() throws SQLException {
        erpAt(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(), MariaDbTestDatabase.password());
        AgroalDataSource mariadb = pools.pool("erp", ERP);
        assertThat(dialectOf(mariadb)).isEqualTo("MariaDB");

        erpAt(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
        AgroalDataSource postgresql = pools.pool("erp", ERP);

        assertThat(postgresql).isNotSameAs(mariadb);
        assertThat(dialectOf(postgresql)).isEqualTo("PostgreSQL");
        assertThatThrownBy(mariadb::getConnection).isInstanceOf(SQLException.class);
    }

    @Test
    void credentialsComeFromTheEnvironmentAndAChangedPasswordReplacesThePool() throws SQLException {
        erpAt(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(), "not-the-password");
        AgroalDataSource wrong = pools.pool("erp", ERP);
        assertThatThrownBy(wrong::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("Access denied");

        erpAt(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(), MariaDbTestDatabase.password());
        assertThat(dialectOf(pools.pool("erp", ERP))).isEqualTo("MariaDB");
    }

    @Test
    void aLiteralUrlWorksTooAndClosingClosesEveryPool() throws SQLException {
        environment.put("PG_USER", TestDatabase.user());
        JdbcSettings ledger = new JdbcSettings(null, new SecretRef(null, TestDatabase.url()), env("PG_USER"), null);
        erpAt(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(), MariaDbTestDatabase.password());
        AgroalDataSource ledgerPool = pools.pool("ledger", ledger);
        AgroalDataSource erpPool = pools.pool("erp", ERP);
        assertThat(dialectOf(ledgerPool)).isEqualTo("PostgreSQL");

        pools.close();

        assertThatThrownBy(ledgerPool::getConnection).isInstanceOf(SQLException.class);
        assertThatThrownBy(erpPool::getConnection).isInstanceOf(SQLException.class);
    }

    @Test
    void everyWaitOnASystemIsBoundedInTheDriversOwnUnits() {
        JdbcPools.Bounds bounds = new JdbcPools.Bounds(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60));

        assertThat(JdbcPools.networkProperties("jdbc:postgresql://db:5432/erp", bounds)).containsOnly(
                Map.entry("connectTimeout", "5"), Map.entry("socketTimeout", "60"), Map.entry("tcpKeepAlive", "true"));
        assertThat(JdbcPools.networkProperties("jdbc:mariadb://db:3306/erp", bounds)).containsOnly(
                Map.entry("connectTimeout", "5000"), Map.entry("socketTimeout", "60000"), Map.entry("tcpKeepAlive", "true"));
        assertThat(JdbcPools.networkProperties("jdbc:mysql://db:3306/erp", bounds)).containsOnly(
                Map.entry("connectTimeout", "5000"), Map.entry("socketTimeout", "60000"), Map.entry("tcpKeepAlive", "true"));
        assertThat(JdbcPools.networkProperties("jdbc:h2:mem:erp", bounds)).isEmpty();
    }
}
