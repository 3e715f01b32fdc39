package io.syncline.write;

import io.syncline.model.JdbcSystem;
import io.syncline.model.load.CompiledModel;
import io.syncline.sync.SyncUnit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** The connection a sync unit matches and writes its JDBC target on ({@link JdbcTargetMatcher}, {@link JdbcTargetWriter}). */
final class JdbcTargetConnection {

    private static final String STATE_STORE = "default";

    private JdbcTargetConnection() {
    }

    /** The unit's own transaction on the state store's datasource; a connection of the target's otherwise. */
    static Connection of(SyncUnit unit, CompiledModel model, JdbcConnections connections) throws SQLException {
        if (!(model.model().systems().get(unit.target()) instanceof JdbcSystem jdbc)) {
            throw new IllegalArgumentException("System '" + unit.target() + "' is not a JDBC system");
        }
        if (STATE_STORE.equals(jdbc.datasource())) {
            return unit.connection();
        }
        Optional<Connection> open = unit.resource(Connection.class);
        if (open.isPresent()) {
            return open.get();
        }
        unit.outsideTransaction("Writing " + unit.target() + " (datasource " + jdbc.datasource() + ")");
        return unit.attach(connections.dataSource(unit.target()).getConnection());
    }
}
