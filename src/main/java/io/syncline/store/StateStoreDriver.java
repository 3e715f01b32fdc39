package io.syncline.store;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;

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
public final class StateStoreDriver extends DelegatingDriver {

    private static final String H2_PREFIX = "jdbc:h2:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private final Driver postgres;
    private final Driver h2 = new org.h2.Driver();

    public StateStoreDriver() {
        this(new org.postgresql.Driver());
    }

    private StateStoreDriver(Driver postgres) {
        super(postgres);
        this.postgres = postgres;
    }

    /** Whether a state-store URL names the embedded H2 database. */
    public static boolean isEmbedded(String url) {
        return url != null && url.regionMatches(true, 0, H2_PREFIX, 0, H2_PREFIX.length());
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Driver driver = delegate(url);
        String schema = info == null ? null : info.getProperty(StoreSchema.PROPERTY);
        if (schema != null) {
            try {
                StoreSchema.checked(schema);
            } catch (IllegalArgumentException e) {
                // invalid_name: a setting to mend, not an outage to wait out
                throw new SQLException(e.getMessage(), "42602", e);
            }
        }
        Connection connection = open(driver, url, info);
        if (schema == null) {
            return connection;
        }
        try {
            // the session's first statement, made before the pool's read bound applies: bounded like the login
            boundDuringLogin(connection, driver, info);
            StoreSchema.enter(connection, schema, driver == postgres);
            boundDuringLogin(connection, driver, null);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** A session on the store, without the schema property, which only this driver knows. */
    private Connection open(Driver driver, String url, Properties info) throws SQLException {
        if (driver == h2) {
            return driver.connect(url, credentialsOnly(info));
        }
        Properties settings = new Properties();
        if (info != null) {
            settings.putAll(info);
        }
        settings.remove(StoreSchema.PROPERTY);
        try {
            return driver.connect(url, settings);
        } catch (SQLException e) {
            throw connectionFailure(e);
        }
    }

    /**
     * A PostgreSQL session waits at most the login timeout ({@code loginTimeout}, seconds; 10 if
     * none is set) for each answer while {@code info} is given, and without a bound of its own
     * once it is null (the pool's interceptor, {@link StoreTimeouts}, then bounds each borrower).
     */
    private void boundDuringLogin(Connection connection, Driver driver, Properties info) throws SQLException {
        if (driver != postgres) {
            return;
        }
        int millis = 0;
        if (info != null) {
            String login = info.getProperty("loginTimeout");
            millis = (int) (login == null ? 10_000 : Math.max(1, Long.parseLong(login.trim())) * 1000);
        }
        connection.setNetworkTimeout(Runnable::run, millis);
    }

    /**
     * A connection that could not be made is a connection failure (SQLState 08001), also when
     * the driver calls it "something unusual" (its login timed out, or the wait for it was
     * interrupted by the pool's acquisition timeout): callers tell an unreachable store by the
     * state ({@link StoreOutage}). A refusal with a state of its own (wrong password, no such
     * database) keeps it.
     */
    static SQLException connectionFailure(SQLException e) {
        String state = e.getSQLState();
        // 99999: the PostgreSQL driver's "unexpected error"; XX: an internal error
        if (state == null || "99999".equals(state) || state.startsWith("XX")) {
            return new SQLNonTransientConnectionException("Cannot connect to the state store: " + e.getMessage(), "08001", e);
        }
        return e;
    }

    /**
     * The embedded store is given the user and password only: the network settings of the
     * datasource (connect and login timeouts, keepalive, server options) are PostgreSQL's, and
     * H2 refuses settings it does not know.
     */
    private static Properties credentialsOnly(Properties info) {
        Properties credentials = new Properties();
        if (info != null) {
            for (String key : new String[]{"user", "password"}) {
                if (info.getProperty(key) != null) {
                    credentials.setProperty(key, info.getProperty(key));
                }
            }
        }
        return credentials;
    }

    @Override
    public boolean acceptsURL(String url) {
        return isEmbedded(url) || isPostgres(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return delegate(url).getPropertyInfo(url, info);
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
