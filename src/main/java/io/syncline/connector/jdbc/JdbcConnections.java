package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.spi.SqlDatabase;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.SystemDefinition;
import io.syncline.store.StoreOutage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The {@link javax.sql.DataSource} of a JDBC system of the model in force: its named Quarkus
 * datasource ({@code datasource: default} is the state store), or for {@code url: jdbc:…} a
 * small pool of Syncline's own, so that an integrator adds a database by YAML alone.
 *
 * <p>It also knows which systems cannot be reached: one its probe found away
 * ({@link JdbcSystemsHealthCheck}), or that an apply found away, is not asked again by the inbox
 * workers until its probe finds it answering ({@link #forApply}). Its events then wait and retry
 * without holding a worker, so that the other targets' events keep the workers to themselves.
 */
@ApplicationScoped
// AgroalDataSource.from finds the pool implementation by ServiceLoader, else by reflection;
// Agroal instantiates the driver class a URL names by reflection.
@RegisterForReflection(classNames = {"io.agroal.pool.DataSource", "io.agroal.pool.DataSourceProvider",
        "org.postgresql.Driver", "org.mariadb.jdbc.Driver", "com.mysql.cj.jdbc.Driver", "org.h2.Driver"})
public class JdbcConnections {

    private final SyncModelRegistry registry;
    private final Instance<AgroalDataSource> dataSources;
    private final JdbcPools pools;
    private final int writeMillis;
    /** The systems found unreachable, and since when and why. */
    private final Map<String, Unreachable> unreachable = new ConcurrentHashMap<>();

    public JdbcConnections(SyncModelRegistry registry, @Any Instance<AgroalDataSource> dataSources, SynclineConfig config) {
        this.registry = registry;
        this.dataSources = dataSources;
        this.pools = new JdbcPools(new ConfigEnvironment(),
                new JdbcPools.Bounds(config.jdbc().connectTimeout(), config.jdbc().readTimeout()));
        this.writeMillis = (int) config.jdbc().writeTimeout().toMillis();
    }

    /** A system that cannot be reached: since when, and the last failure. */
    public record Unreachable(Instant since, String failure) {
    }

    /**
     * A connection of the system for applying an event (matching and writing on it). For a
     * system of Syncline's own pool each answer is awaited at most {@code syncline.jdbc.write-timeout}
     * (a write takes milliseconds; a worker waiting longer holds up every other target's events);
     * the pool's next borrower waits {@code syncline.jdbc.read-timeout} again. While the system is
     * known to be unreachable nothing is asked of it: the event waits and retries.
     *
     * @throws TargetUnavailableException the system is unreachable
     */
    public Connection forApply(String system) throws SQLException {
        Unreachable away = unreachable.get(system);
        if (away != null) {
            throw new TargetUnavailableException(system, null, null, system + " is unreachable since " + away.since()
                    + ": " + away.failure(), null);
        }
        try {
            Connection connection = dataSource(system).getConnection();
            if (ownPool(system)) {
                JdbcPools.bound(connection, writeMillis);
            }
            return connection;
        } catch (SQLException e) {
            throw unlessUnreachable(system, e);
        }
    }

    /**
     * A failure of the system's database while applying, for the caller to throw: when the
     * database could not be reached (a connection that failed, a read that timed out), the system
     * counts as unreachable until its probe finds it answering, and the event waits and retries
     * ({@link TargetUnavailableException}); any other failure is returned as it is. A system kept
     * in the state store is the store's, whose outages the store's probe tells.
     *
     * @throws TargetUnavailableException the database could not be reached
     */
    public SQLException unlessUnreachable(String system, SQLException e) {
        if (!StoreOutage.isOutage(e) || inStateStore(system)) {
            return e;
        }
        lost(system, e.getMessage());
        throw new TargetUnavailableException(system, null, null, system + " is unreachable: " + e.getMessage(), e);
    }

    /** The system did not answer (its probe, or an apply). */
    void lost(String system, String failure) {
        unreachable.merge(system, new Unreachable(Instant.now(), failure),
                (before, now) -> new Unreachable(before.since(), now.failure()));
    }

    /** The system answered its probe. */
    void answered(String system) {
        unreachable.remove(system);
    }

    /** Whether, since when and why the system cannot be reached. */
    Optional<Unreachable> unreachable(String system) {
        return Optional.ofNullable(unreachable.get(system));
    }

    private boolean ownPool(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        return JdbcSettings.isOf(definition) && JdbcSettings.of(definition).datasource() == null;
    }

    private boolean inStateStore(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        return JdbcSettings.isOf(definition) && "default".equals(JdbcSettings.of(definition).datasource());
    }

    /** @throws IllegalArgumentException the model has no JDBC system of that name */
    public AgroalDataSource dataSource(String system) {
        Map<String, SystemDefinition> systems = registry.current().model().systems();
        if (!JdbcSettings.isOf(systems.get(system))) {
            throw new IllegalArgumentException("System '" + system + "' is not a JDBC system of the model; JDBC systems: "
                    + systems.entrySet().stream().filter(entry -> JdbcSettings.isOf(entry.getValue()))
                            .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", ")));
        }
        JdbcSettings jdbc = JdbcSettings.of(systems.get(system));
        if (jdbc.datasource() != null) {
            return "default".equals(jdbc.datasource())
                    ? dataSources.select(Default.Literal.INSTANCE).get()
                    : dataSources.select(new DataSource.DataSourceLiteral(jdbc.datasource())).get();
        }
        return pools.pool(system, jdbc);
    }

    /** Where and as whom the system's pool (a Quarkus datasource or Syncline's own) connects. */
    SqlDatabase.Login login(String system) {
        AgroalConnectionFactoryConfiguration factory = dataSource(system).getConfiguration()
                .connectionPoolConfiguration().connectionFactoryConfiguration();
        String password = factory.credentials().stream().filter(SimplePassword.class::isInstance)
                .map(credential -> ((SimplePassword) credential).getWord()).findFirst().orElse(null);
        return new SqlDatabase.Login(factory.jdbcUrl(), JdbcUrls.redacted(factory.jdbcUrl()),
                factory.principal() == null ? null : factory.principal().getName(), password);
    }

    @PreDestroy
    void close() {
        pools.close();
    }
}
