package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.syncline.model.Environment;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection pools of JDBC systems declared by {@code url} (not by a Quarkus datasource):
 * one small Agroal pool per system, created on first use, replaced when a model reload changes
 * the system's URL or credentials, closed with the application. Credentials are read from the
 * environment each time, so the pool follows what the model in force names.
 */
final class JdbcPools implements AutoCloseable {

    /** Writes to one target are few at a time (inbox workers); a small pool spares the target's connection limit. */
    static final int MAX_SIZE = 4;
    /** Longest a validation of an idle connection waits for the database's answer. */
    private static final int VALIDATION_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(JdbcPools.class);

    /**
     * How long a system's connection waits: for a TCP connection, and for each answer (the
     * driver's socket timeout; a connection silent longer is given up as dead and the pool drops
     * it). Chosen in docs/adr/0012-bounded-waits-on-databases.md; {@code syncline.jdbc.*}.
     */
    record Bounds(Duration connect, Duration read) {

        static final Bounds DEFAULT = new Bounds(Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    private final Environment environment;
    private final Bounds bounds;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    JdbcPools(Environment environment) {
        this(environment, Bounds.DEFAULT);
    }

    JdbcPools(Environment environment, Bounds bounds) {
        this.environment = environment;
        this.bounds = bounds;
    }

    /** The pool of the system, created or replaced when its settings are not those of the pool in use. */
    AgroalDataSource pool(String system, JdbcSettings jdbc) {
        Settings settings = new Settings(jdbc.url().literalOrResolve(environment),
                jdbc.username() == null ? null : jdbc.username().resolve(environment),
                jdbc.password() == null ? null : jdbc.password().resolve(environment));
        Pool pool = pools.get(system);
        if (pool != null && pool.settings().equals(settings)) {
            return pool.dataSource();
        }
        return pools.compute(system, (name, current) -> {
            if (current != null && current.settings().equals(settings)) {
                return current;
            }
            Pool replacement = new Pool(settings, open(settings.url(), settings.username(), settings.password(), bounds));
            if (current != null) {
                // A write still using the old pool fails and is retried by the inbox on the new one.
                LOG.infof("JDBC system %s changed in the model: its connection pool is replaced", name);
                current.dataSource().close();
            }
            return replacement;
        }).dataSource();
    }

    @Override
    public void close() {
        pools.values().forEach(pool -> pool.dataSource().close());
        pools.clear();
    }

    /** {@link #open(String, String, String, Bounds)} with the default bounds. */
    static AgroalDataSource open(String url, String username, String password) {
        return open(url, username, password, Bounds.DEFAULT);
    }

    /**
     * A small pool on the URL, with the driver the URL names and every new session pinned to
     * UTC by the database's dialect. Connections are opened on demand; none at creation. No
     * wait is unbounded: a connection within 10 s, each answer within {@code bounds.read()},
     * a validation within 5 s, TCP keepalive on.
     */
    static AgroalDataSource open(String url, String username, String password, Bounds bounds) {
        String driver =
                JdbcUrls.driverOf(url).orElseThrow(() -> new IllegalArgumentException("No JDBC driver for this URL; model validation should have refused it"));
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier();
        configuration.connectionPoolConfiguration()
                .minSize(0)
                .initialSize(0)
                .maxSize(MAX_SIZE)
                .acquisitionTimeout(Duration.ofSeconds(10))
                // A target restarted while connections idled: test them before use after a quiet spell.
                .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(VALIDATION_SECONDS))
                .idleValidationTimeout(Duration.ofSeconds(30))
                .reapTimeout(Duration.ofMinutes(5))
                .maxLifetime(Duration.ofMinutes(30))
                // a connection the driver gave up on (a read that timed out, a reset) is dropped, not handed out again
                .exceptionSorter(exceptionSorter(driver))
                .connectionFactoryConfiguration()
                .jdbcUrl(url)
                .connectionProviderClassName(driver)
                .loginTimeout(Duration.ofSeconds(10));
        networkProperties(url, bounds)
                .forEach((key, value) -> configuration.connectionPoolConfiguration().connectionFactoryConfiguration().jdbcProperty(key, value));
        if (username != null) {
            configuration.connectionPoolConfiguration().connectionFactoryConfiguration().principal(new NamePrincipal(username));
        }
        if (password != null) {
            configuration.connectionPoolConfiguration().connectionFactoryConfiguration().credential(new SimplePassword(password));
        }
        try {
            AgroalDataSource dataSource = AgroalDataSource.from(configuration);
            dataSource.setPoolInterceptors(List.of(new UtcSessions(), new ReadBound((int) bounds.read().toMillis())));
            return dataSource;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a connection pool for " + JdbcUrls.redacted(url), e);
        }
    }

    /**
     * The driver's own names for the bounds: PostgreSQL counts seconds, MariaDB's and MySQL's
     * drivers milliseconds.
     */
    static Map<String, String> networkProperties(String url, Bounds bounds) {
        String driver = JdbcUrls.driverOf(url).orElse("");
        return switch (driver) {
            case "org.postgresql.Driver" -> Map.of("connectTimeout", seconds(bounds.connect()),
                    "socketTimeout", seconds(bounds.read()), "tcpKeepAlive", "true");
            case "org.mariadb.jdbc.Driver", "com.mysql.cj.jdbc.Driver" -> Map.of(
                    "connectTimeout", Long.toString(bounds.connect().toMillis()),
                    "socketTimeout", Long.toString(bounds.read().toMillis()), "tcpKeepAlive", "true");
            default -> Map.of();
        };
    }

    /** What tells a connection that can no longer be used, in the driver's own terms. */
    private static ExceptionSorter exceptionSorter(String driver) {
        return switch (driver) {
            case "org.postgresql.Driver" -> new PostgreSQLExceptionSorter();
            case "org.mariadb.jdbc.Driver", "com.mysql.cj.jdbc.Driver" -> new MySQLExceptionSorter();
            default -> ExceptionSorter.defaultExceptionSorter();
        };
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, duration.toSeconds()));
    }

    /** A pool and what it was made from; the password is never printed. */
    private record Pool(Settings settings, AgroalDataSource dataSource) {
    }

    private record Settings(String url, String username, String password) {

        @Override
        public String toString() {
            return "Settings[url=" + JdbcUrls.redacted(url) + ", username=" + username + ", password=hidden]";
        }
    }

    /**
     * Narrows (or widens) how long the connection waits for each answer, in milliseconds: the
     * driver's socket timeout ({@link Connection#setNetworkTimeout}). A connection already closed
     * fails its first statement anyway.
     */
    static void bound(Connection connection, int millis) {
        try {
            // both drivers apply it to the socket at once and never call the executor
            connection.setNetworkTimeout(Runnable::run, millis);
        } catch (SQLException e) {
            // closed, or a driver without network timeouts: the pool's socket timeout stands
        }
    }

    /** Every borrower gets the read bound, whatever bound the connection's last borrower set ({@code forApply}). */
    private static final class ReadBound implements AgroalPoolInterceptor {

        private final int millis;

        ReadBound(int millis) {
            this.millis = millis;
        }

        @Override
        public void onConnectionAcquire(Connection connection) {
            bound(connection, millis);
        }
    }

    /** Each new connection's session in UTC, by the dialect of the database it reached. */
    private static final class UtcSessions implements AgroalPoolInterceptor {

        @Override
        public void onConnectionCreate(Connection connection) {
            try {
                SqlDialect.of(connection).pinToUtc(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot set the session time zone to UTC: " + e.getMessage(), e);
            }
        }
    }
}
