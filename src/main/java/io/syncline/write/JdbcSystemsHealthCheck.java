package io.syncline.write;

import io.quarkus.runtime.StartupEvent;
import io.syncline.model.JdbcSystem;
import io.syncline.model.SystemDefinition;
import io.syncline.model.load.SyncModelRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether each JDBC system of the model answers, from a background probe every 5 s on a thread of
 * its own (each asked for a connection and {@code isValid} within 2 s), so that readiness names
 * the system a partition cut off without waiting for it. Always UP: a target that cannot be
 * reached makes its own events wait and retry, while the other systems' events flow and webhooks
 * are stored; taking the replica out of service would stop those too. A system kept in the
 * state store ({@code datasource: default}) is the state store's check.
 */
@Readiness
@ApplicationScoped
public class JdbcSystemsHealthCheck implements HealthCheck {

    static final String NAME = "syncline-jdbc-systems";
    private static final long PROBE_SECONDS = 5;
    private static final int VALID_SECONDS = 2;

    private final SyncModelRegistry registry;
    private final JdbcConnections connections;
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread probe = new Thread(runnable, "jdbc-systems-probe");
        probe.setDaemon(true);
        return probe;
    });

    public JdbcSystemsHealthCheck(SyncModelRegistry registry, JdbcConnections connections) {
        this.registry = registry;
        this.connections = connections;
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::probe, 0, PROBE_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        // an apply that found a system away since its last probe shows at once
        new TreeMap<>(states).forEach((system, state) -> response.withData("system." + system,
                "reachable".equals(state) ? unreachable(system) : state));
        return response.build();
    }

    void probe() {
        Map<String, SystemDefinition> systems;
        try {
            systems = registry.current().model().systems();
        } catch (RuntimeException e) {
            return;
        }
        states.keySet().retainAll(systems.keySet());
        systems.forEach((name, system) -> {
            if (system instanceof JdbcSystem jdbc) {
                states.put(name, "default".equals(jdbc.datasource()) ? "the state store (syncline-state-store)" : state(name));
            }
        });
    }

    private String state(String system) {
        String failure;
        try (Connection connection = connections.dataSource(system).getConnection()) {
            if (connection.isValid(VALID_SECONDS)) {
                connections.answered(system);
                return "reachable";
            }
            failure = "no answer within " + VALID_SECONDS + " s";
        } catch (Exception e) {
            failure = e.getMessage();
        }
        connections.lost(system, failure);
        return unreachable(system);
    }

    private String unreachable(String system) {
        return connections.unreachable(system)
                .map(away -> "unreachable since " + away.since() + ": " + away.failure()).orElse("reachable");
    }
}
