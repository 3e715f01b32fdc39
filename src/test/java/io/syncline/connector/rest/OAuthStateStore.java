package io.syncline.connector.rest;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.syncline.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A state store of its own on the real PostgreSQL, migrated as the application migrates it, for
 * tests of the stores that REST systems share across replicas. Each {@link #replica()} is a data
 * source of its own: separate sessions, as two application instances have.
 */
public final class OAuthStateStore {

    private final String url;

    private OAuthStateStore(String url) {
        this.url = url;
    }

    /** A fresh database named after the test database with {@code suffix}, migrated. */
    public static OAuthStateStore fresh(String suffix) {
        String url = TestDatabase.siblingUrl(suffix);
        TestDatabase.ensureDatabase(url, true);
        Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password())
                .schemas(TestDatabase.STORE_SCHEMA).createSchemas(true)
                .locations("classpath:db/migration", "classpath:db/postgresql").load().migrate();
        return new OAuthStateStore(url);
    }

    /** The store at {@code url}, as {@link #fresh} made it (in another JVM). */
    public static OAuthStateStore at(String url) {
        return new OAuthStateStore(url);
    }

    public String url() {
        return url;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A pool of its own (Agroal, as the application's), to be closed by the caller. */
    public AgroalDataSource replica() {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool.maxSize(8).acquisitionTimeout(Duration.ofSeconds(10))
                            .connectionFactoryConfiguration(factory -> factory.jdbcUrl(url)
                                    .principal(new NamePrincipal(TestDatabase.user()))
                                    .credential(new SimplePassword(TestDatabase.password()))
                                    .jdbcProperty("currentSchema", TestDatabase.STORE_SCHEMA))));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open a pool on " + url, e);
        }
    }
}
