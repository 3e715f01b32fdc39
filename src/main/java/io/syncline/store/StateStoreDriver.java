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
 * <p>A PostgreSQL session starts with {@code plan_cache_mode=force_custom_plan}, unless the URL or
 * the connection's properties set {@code options} themselves: every statement is then planned on
 * the tables as they are when it runs. Otherwise the driver prepares a statement on the server
 * after five runs and PostgreSQL keeps one generic plan for the connection's life, made at
 * start-up on empty tables, which read a whole grown table for every event (a match rule's
 * candidates: a scan and sort of billing's every contact; the ID map) until something analysed
 * it. Planning costs about 0.1 ms a statement against a generic plan's 0.01 (docs/deployment.md,
 * "Planner statistics and autovacuum").
 */
// Agroal instantiates the configured driver class by reflection.
@RegisterForReflection
public final class StateStoreDriver implements Driver {

    private static final String H2_PREFIX = "jdbc:h2:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    static final String POSTGRES_OPTIONS = "-c plan_cache_mode=force_custom_plan";

    private final Driver postgres = new org.postgresql.Driver();
    private final Driver h2 = new org.h2.Driver();

    /** Whether a state-store URL names the embedded H2 database. */
    public static boolean isEmbedded(String url) {
        return url != null && url.regionMatches(true, 0, H2_PREFIX, 0, H2_PREFIX.length());
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Driver driver = delegate(url);
        return driver == postgres ? postgres.connect(url, withPlanning(url, info)) : driver.connect(url, info);
    }

    private static Properties withPlanning(String url, Properties info) {
        if (url.toLowerCase(java.util.Locale.ROOT).contains("options=") || info != null && info.containsKey("options")) {
            return info;
        }
        Properties planned = new Properties();
        if (info != null) {
            planned.putAll(info);
        }
        planned.setProperty("options", POSTGRES_OPTIONS);
        return planned;
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
