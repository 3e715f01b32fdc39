package io.syncline.store;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps the plans PostgreSQL caches for the state store's prepared statements from outliving the
 * table sizes they were made for. After five runs on a connection the driver prepares a statement
 * on the server, and PostgreSQL may then keep one generic plan for it for the connection's life:
 * made at start-up on empty tables, such a plan read a whole grown table for every event (a match
 * rule's candidates, the ID map) until something analysed the table. Planning every statement
 * on every run avoided that, at a tenth to a quarter of PostgreSQL's CPU per applied event.
 *
 * <p>Instead, each time the events this replica has claimed pass the next of 1,000, 2,000,
 * 4,000, … (the tables the apply path writes grow with them), every state-store connection
 * drops its cached plans ({@code DISCARD PLANS}) when it is next taken from the pool, and
 * PostgreSQL plans each statement again on the tables as they are then: a plan is never made on
 * tables less than half their size, with statistics or without (PostgreSQL scales the rows it
 * expects by the table's pages at planning time). A connection opened since plans from then on.
 * The prepared statements stay prepared; only their plans go. As an Agroal pool interceptor bean,
 * Quarkus applies it to the default datasource (the state store); H2 is left alone.
 */
@ApplicationScoped
public class PlanRefresh implements AgroalPoolInterceptor {

    /** Claimed events after which plans are first made again; then at twice as many each time. */
    static final long FIRST_REFRESH = 1_000;

    private static final Logger LOG = Logger.getLogger(PlanRefresh.class);

    /** Each PostgreSQL session of the pool by its driver connection, and the generation its plans are of. */
    private final Map<PGConnection, Long> sessions = Collections.synchronizedMap(new WeakHashMap<>());
    private long claimed;
    private long nextRefresh = FIRST_REFRESH;
    private volatile long generation;

    /** Events were claimed for applying: past the next threshold, every session plans afresh. */
    public synchronized void claimed(int events) {
        claimed += events;
        while (claimed >= nextRefresh) {
            generation++;
            nextRefresh *= 2;
        }
    }

    /** The plans' generation: how many thresholds the claimed events have passed. */
    long generation() {
        return generation;
    }

    /** After the read bound is set ({@link StoreTimeouts}), so that DISCARD PLANS waits no longer than any statement. */
    @Override
    public int getPriority() {
        return 1;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        try {
            if (!connection.isWrapperFor(PGConnection.class)) {
                return;
            }
            PGConnection session = connection.unwrap(PGConnection.class);
            long current = generation;
            Long planned = sessions.get(session);
            if (planned != null && planned < current) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DISCARD PLANS");
                }
            }
            if (planned == null || planned < current) {
                sessions.put(session, current);
            }
        } catch (SQLException e) {
            // Plans are an optimisation: the connection works with those it has, and tries again next time.
            LOG.debugf("Discarding a state-store session's cached plans failed: %s", e.getMessage());
        }
    }
}
