package io.syncline.connector.jdbc;

import io.syncline.audit.AuditEntry;
import io.syncline.compiled.CompiledModel;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.model.CanonicalField;
import io.syncline.model.QuantitySpec;
import io.syncline.sync.QuantityChanges;
import io.syncline.sync.QuantityFloor;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds an event's quantity changes to a JDBC target's row (docs/adr/0019): one
 * {@code UPDATE t SET qty = qty + ? WHERE key = ?} a quantity, so concurrent changes from several
 * sources add up in any order, with the floor checked in the same statement. On the state store's
 * own datasource the update commits with the event's idempotency key (applied exactly once);
 * on another database it commits just before it, like the target's other writes, never in a
 * batch, and is taken back should the state store then not commit: only a crash between the two
 * commits leaves it for the retry to count again.
 */
final class JdbcQuantities {

    private JdbcQuantities() {
    }

    /** Adds the unit's changes to the row of {@code key}, which exists; the audit diff of what changed. */
    static Map<String, AuditEntry.FieldChange> add(Exchange exchange, Connection connection, CompiledModel model,
            FieldContract contract, SyncUnit unit, Object key) throws SQLException {
        Map<String, BigDecimal> increments = unit.quantityIncrements();
        if (increments.isEmpty() || unit.targetValues() == null) {
            return Map.of();
        }
        boolean apart = connection != unit.connection();
        if (apart) {
            // a batch's rollback could not undo an addition committed in another database
            unit.outsideTransaction("a quantity added in " + unit.target());
        }
        SqlDialect dialect = SqlDialect.of(connection);
        Map<String, CanonicalField> fields = model.transformer().entity(unit.entity()).fields();
        Map<String, AuditEntry.FieldChange> diff = new LinkedHashMap<>();
        for (Map.Entry<String, BigDecimal> increment : increments.entrySet()) {
            String field = increment.getKey();
            String column = column(contract, field);
            if (column == null) {
                continue;
            }
            CanonicalField declared = fields.get(field);
            QuantitySpec spec = declared.quantity();
            boolean integer = declared.type() == CanonicalField.Type.INTEGER;
            BigDecimal change = increment.getValue();
            boolean floored = spec.floor() != null && !QuantityFloor.approved(exchange, field);
            SqlStatement add = dialect.addToColumn(contract.table(), contract.keyPath(), column, floored);
            try (PreparedStatement statement = connection.prepareStatement(add.sql())) {
                bind(statement, 1, change, integer);
                dialect.bindKey(statement, 2, key);
                if (floored) {
                    bind(statement, 3, change, integer);
                    bind(statement, 4, spec.floor(), integer);
                }
                if (statement.executeUpdate() == 0) {
                    throw QuantityFloor.refused(unit, field, spec, read(connection, dialect, contract, column, key), change);
                }
            }
            if (apart) {
                // committed already: taken back should the state store not commit the event's key
                unit.undoOnRollback(() -> add(connection, dialect, contract, column, key, change.negate(), integer));
            }
            Object now = read(connection, dialect, contract, column, key);
            BigDecimal after = QuantityChanges.number(now);
            unit.quantityApplied(field, change, now);
            diff.put(field, new AuditEntry.FieldChange(after == null ? null : canonical(after.subtract(change), integer), now));
        }
        return diff;
    }

    private static void add(Connection connection, SqlDialect dialect, FieldContract contract, String column, Object key,
            BigDecimal change, boolean integer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                dialect.addToColumn(contract.table(), contract.keyPath(), column, false).sql())) {
            bind(statement, 1, change, integer);
            dialect.bindKey(statement, 2, key);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, int index, BigDecimal value, boolean integer) throws SQLException {
        if (integer) {
            statement.setLong(index, value.longValueExact());
        } else {
            statement.setBigDecimal(index, value);
        }
    }

    private static Object canonical(BigDecimal value, boolean integer) {
        return integer ? (Object) value.longValueExact() : value;
    }

    /** The row's value of the quantity column, as a canonical number. */
    private static Object read(Connection connection, SqlDialect dialect, FieldContract contract, String column, Object key)
            throws SQLException {
        SqlStatement select = dialect.selectByKey(contract.table(), contract.keyPath(), java.util.List.of(column));
        try (PreparedStatement statement = connection.prepareStatement(select.sql())) {
            dialect.bindKey(statement, 1, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Object value = rows.getObject(1);
                return value instanceof Integer || value instanceof Short ? (Object) ((Number) value).longValue() : value;
            }
        }
    }

    /** The column the target's contract writes the field to; null when it does not write it. */
    private static String column(FieldContract contract, String field) {
        for (CompiledField compiled : contract.fields()) {
            if (compiled.field().equals(field) && compiled.direction().writes()) {
                return compiled.path();
            }
        }
        return null;
    }
}
