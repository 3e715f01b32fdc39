package io.syncline.connector.jdbc;

import io.syncline.compiled.CompiledModel;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection a sync unit matches and writes its JDBC target on ({@link JdbcTargetMatcher},
 * {@link JdbcTargetWriter}): the state store's transaction when the target shares its datasource;
 * otherwise one of the target's, which in an apply batch is the batch's transaction on that
 * database, committed with the batch.
 */
final class JdbcTargetConnection {

    private static final String STATE_STORE = "default";

    private JdbcTargetConnection() {
    }

    /** The target of the exchange's event, or of its batch's (one apply route, one target). */
    static String target(Exchange exchange) {
        return SyncUnit.of(ApplyEvents.all(exchange).get(0)).target();
    }

    static Connection of(SyncUnit unit, CompiledModel model, JdbcConnections connections) throws SQLException {
        if (!JdbcSettings.isOf(model.model().systems().get(unit.target()))) {
            throw new IllegalArgumentException("System '" + unit.target() + "' is not a JDBC system");
        }
        JdbcSettings jdbc = JdbcSettings.of(model.model().systems().get(unit.target()));
        if (STATE_STORE.equals(jdbc.datasource())) {
            return unit.connection();
        }
        return unit.otherConnection("jdbc:" + jdbc.datasource(), () -> connections.forApply(unit.target()));
    }
}
