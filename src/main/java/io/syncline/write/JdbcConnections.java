package io.syncline.write;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.JdbcSystem;
import io.syncline.model.SystemDefinition;
import io.syncline.model.load.SyncModelRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@link javax.sql.DataSource} of a JDBC system of the model in force: its named Quarkus
 * datasource ({@code datasource: default} is the state store), or for {@code url: jdbc:…} a
 * small pool of Syncline's own, so that an integrator adds a database by YAML alone.
 */
@ApplicationScoped
// AgroalDataSource.from finds the pool implementation by ServiceLoader, else by reflection;
// Agroal instantiates the driver class a URL names by reflection.
@RegisterForReflection(classNames = {"io.agroal.pool.DataSource", "io.agroal.pool.DataSourceProvider",
        "org.postgresql.Driver", "org.mariadb.jdbc.Driver", "org.h2.Driver"})
public class JdbcConnections {

    private final SyncModelRegistry registry;
    private final Instance<AgroalDataSource> dataSources;
    private final JdbcPools pools;

    public JdbcConnections(SyncModelRegistry registry, @Any Instance<AgroalDataSource> dataSources, SynclineConfig config) {
        this.registry = registry;
        this.dataSources = dataSources;
        this.pools = new JdbcPools(new ConfigEnvironment(),
                new JdbcPools.Bounds(config.jdbc().connectTimeout(), config.jdbc().readTimeout()));
    }

    /** @throws IllegalArgumentException the model has no JDBC system of that name */
    public AgroalDataSource dataSource(String system) {
        Map<String, SystemDefinition> systems = registry.current().model().systems();
        if (!(systems.get(system) instanceof JdbcSystem jdbc)) {
            throw new IllegalArgumentException("System '" + system + "' is not a JDBC system of the model; JDBC systems: "
                    + systems.entrySet().stream().filter(entry -> entry.getValue() instanceof JdbcSystem)
                    .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", ")));
        }
        if (jdbc.datasource() != null) {
            return "default".equals(jdbc.datasource())
                    ? dataSources.select(Default.Literal.INSTANCE).get()
                    : dataSources.select(new DataSource.DataSourceLiteral(jdbc.datasource())).get();
        }
        return pools.pool(system, jdbc);
    }

    @PreDestroy
    void close() {
        pools.close();
    }
}
