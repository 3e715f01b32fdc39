package io.syncline.connector.jdbc;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.SystemStatesCheck;
import io.syncline.model.SystemDefinition;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;

/**
 * Whether each JDBC system of the model answers, from a background probe every 5 s on a thread of
 * its own (each asked for a connection and {@code isValid} within 2 s), so that readiness names
 * the system a partition cut off without waiting for it. Always UP: a target that cannot be
 * reached makes its own events wait and retry, while the other systems' events flow and webhooks
 * are stored; taking the replica out of service would stop those too. A system kept in the
 * state store ({@code datasource: default}) is the state store's check.
 */
@Readiness
@Singleton
public class JdbcSystemsHealthCheck extends SystemStatesCheck {

    static final String NAME = "syncline-jdbc-systems";
    private static final long PROBE_SECONDS = 5;
    private static final int VALID_SECONDS = 2;

    private final JdbcConnections connections;

    public JdbcSystemsHealthCheck(SyncModelRegistry registry, JdbcConnections connections) {
        super(NAME, registry, PROBE_SECONDS);
        this.connections = connections;
    }

    /** An apply that found a system away since its last probe shows at once. */
    @Override
    protected String shown(String system, String probed) {
        return "reachable".equals(probed) ? unreachable(system) : probed;
    }

    @Override
    protected String probe(String name, SystemDefinition system) {
        if (JdbcSettings.isOf(system)) {
            return "default".equals(JdbcSettings.of(system).datasource()) ? "the state store (syncline-state-store)" : state(name);
        }
        return null;
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
