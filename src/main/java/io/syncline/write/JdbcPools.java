package io.syncline.write;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.syncline.model.Environment;
import io.syncline.model.JdbcSystem;
import io.syncline.model.JdbcUrls;
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

    private static final Logger LOG = Logger.getLogger(JdbcPools.class);

    private final Environment environment;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    JdbcPools(Environment environment) {
        this.environment = environment;
    }

    /** The pool of the system, created or replaced when its settings are not those of the pool in use. */
    AgroalDataSource pool(String system, JdbcSystem jdbc) {
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
            Pool replacement = new Pool(settings, open(settings.url(), settings.username(), settings.password()));
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

    /**
     * A small pool on the URL, with the driver the URL names and every new session pinned to
     * UTC by the database's dialect. Connections are opened on demand; none at creation.
     */
    static AgroalDataSource open(String url, String username, String password) {
        String driver = JdbcUrls.driverOf(url).orElseThrow(() ->
                new IllegalArgumentException("No JDBC driver for this URL; model validation should have refused it"));
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier();
        configuration.connectionPoolConfiguration()
                .minSize(0)
                .initialSize(0)
                .maxSize(MAX_SIZE)
                .acquisitionTimeout(Duration.ofSeconds(10))
                // A target restarted while connections idled: test them before use after a quiet spell.
                .connectionValidator(ConnectionValidator.defaultValidator())
                .idleValidationTimeout(Duration.ofSeconds(30))
                .reapTimeout(Duration.ofMinutes(5))
                .maxLifetime(Duration.ofMinutes(30))
                .connectionFactoryConfiguration()
                .jdbcUrl(url)
                .connectionProviderClassName(driver)
                .loginTimeout(Duration.ofSeconds(10));
        if (username != null) {
            configuration.connectionPoolConfiguration().connectionFactoryConfiguration().principal(new NamePrincipal(username));
        }
        if (password != null) {
            configuration.connectionPoolConfiguration().connectionFactoryConfiguration().credential(new SimplePassword(password));
        }
        try {
            AgroalDataSource dataSource = AgroalDataSource.from(configuration);
            dataSource.setPoolInterceptors(List.of(new UtcSessions()));
            return dataSource;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a connection pool for " + JdbcUrls.redacted(url), e);
        }
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
