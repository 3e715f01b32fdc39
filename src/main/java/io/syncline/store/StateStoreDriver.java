package io.syncline.store;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The state store's JDBC driver: PostgreSQL's for a {@code jdbc:postgresql:} URL, H2's for the
 * embedded default ({@code jdbc:h2:}). Quarkus fixes a datasource's driver at build time, and
 * this lets one application run on either store, chosen by the URL at start-up
 * (docs/adr/0001-embedded-state-store.md).
 *
 * <p>Each session is put into the state store's schema ({@link StoreSchema}), named by the
 * connection property {@value StoreSchema#PROPERTY}.
 *
 * <p>PostgreSQL sessions start with the server's planning settings, so that a statement the
 * driver prepares on the server keeps its plan; {@link PlanRefresh} has those plans made again
 * as the tables grow.
 */
// Agroal instantiates the configured driver class by reflection.
@RegisterForReflection
public final class StateStoreDriver implements Driver {

    private static final String H2_PREFIX = "jdbc:h2:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private final Driver postgres = new org.postgresql.Driver();
    private final Driver h2 = new org.h2.Driver();

    /** Whether a state-store URL names the embedded H2 database. */
    public static boolean isEmbedded(String url) {
        return url != null && url.regionMatches(true, 0, H2_PREFIX, 0, H2_PREFIX.length());
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Driver driver = delegate(url);
        String schema = info == null ? null : info.getProperty(StoreSchema.PROPERTY);
        if (schema == null) {
            return driver.connect(url, info);
        }
        try {
            StoreSchema.checked(schema);
        } catch (IllegalArgumentException e) {
            // invalid_name: a setting to mend, not an outage to wait out
            throw new SQLException(e.getMessage(), "42602", e);
        }
        Properties settings = new Properties();
        settings.putAll(info);
        settings.remove(StoreSchema.PROPERTY);
        Connection connection = driver.connect(url, settings);
        try {
            StoreSchema.enter(connection, schema, driver == postgres);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return isEmbedded(url) || isPostgres(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return delegate(url).getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return postgres.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return postgres.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }

    private Driver delegate(String url) throws SQLException {
        if (isEmbedded(url)) {
            return h2;
        }
        if (isPostgres(url)) {
            return postgres;
        }
        throw new SQLException("The state store is PostgreSQL (jdbc:postgresql://host:5432/database) or the embedded"
                + " H2 default (jdbc:h2:file:…); QUARKUS_DATASOURCE_JDBC_URL starts with neither", "08001");
    }

    private static boolean isPostgres(String url) {
        return url != null && url.regionMatches(true, 0, POSTGRES_PREFIX, 0, POSTGRES_PREFIX.length());
    }
}
