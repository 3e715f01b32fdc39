package io.syncline.connector.jdbc;

import io.syncline.mapping.CanonicalInstants;
import io.syncline.model.CanonicalField;
import io.syncline.store.Parameters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What differs between the databases a JDBC target may be: the upsert statement, how canonical
 * temporal values are bound and read, and how a session is pinned to UTC. Chosen by the
 * connection's {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name};
 * another database fails with a message naming it and the supported ones.
 *
 * <p>Every statement checks its table and column names as plain identifiers ({@link JdbcUpsert#isIdentifier}).
 */
public interface SqlDialect {

    static SqlDialect of(Connection connection) throws SQLException {
        return forProduct(connection.getMetaData().getDatabaseProductName());
    }

    /** By product name, as the drivers report it. */
    static SqlDialect forProduct(String product) {
        switch (product == null ? "" : product) {
            case "PostgreSQL" :
                return StandardSqlDialect.POSTGRESQL;
            case "H2" :
                return StandardSqlDialect.H2;
            case "MariaDB" :
            case "MySQL" :
                return MariaDbDialect.INSTANCE;
            default :
                throw new IllegalArgumentException("JDBC targets support PostgreSQL, H2 and MariaDB/MySQL;"
                        + " this database is '" + product + "'");
        }
    }

    String name();

    /** Inserts the row, or updates every other column of the row with the same key. */
    SqlStatement upsert(String table, String keyColumn, List<String> columns);

    /**
     * Whether several rows' {@link #upsert}s may be sent as one statement with a {@code VALUES}
     * group a row: true where the insert's own columns type every parameter (a NULL among the
     * rows of a {@code MERGE … USING (VALUES …)} would be text).
     */
    default boolean upsertsRowsTogether() {
        return false;
    }

    /** The listed columns of the row with the key ({@code *} when none are listed). */
    default SqlStatement selectByKey(String table, String keyColumn, List<String> columns) {
        columns.forEach(JdbcUpsert::requireIdentifier);
        String selected = columns.isEmpty() ? "*" : String.join(", ", columns);
        return new SqlStatement("SELECT " + selected + " FROM " + JdbcUpsert.requireIdentifier(table)
                + " WHERE " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?", List.of(keyColumn));
    }

    /** The rows with any of {@code keys} keys (one parameter each), every column. */
    default SqlStatement selectByKeys(String table, String keyColumn, int keys) {
        return new SqlStatement("SELECT * FROM " + JdbcUpsert.requireIdentifier(table) + " WHERE "
                + JdbcUpsert.requireIdentifier(keyColumn) + " IN (" + String.join(", ", java.util.Collections.nCopies(keys, "?"))
                + ")", java.util.Collections.nCopies(keys, keyColumn));
    }

    /**
     * What a search of {@code table} compares for a match rule's {@code expression}: the
     * expression itself, or on a database that cannot index an expression the generated column
     * that stores it ({@link StoredExpressions}).
     */
    default String searched(Connection connection, String table, String expression) throws SQLException {
        return expression;
    }

    /**
     * The rows of a child table whose {@code parentColumn} holds any of {@code parents} keys (one
     * parameter each), every column, by parent and then {@code orderColumn} where there is one.
     */
    default SqlStatement selectChildren(String table, String parentColumn, int parents, String orderColumn) {
        String parent = JdbcUpsert.requireIdentifier(parentColumn);
        return new SqlStatement("SELECT * FROM " + JdbcUpsert.requireIdentifier(table) + " WHERE " + parent + " IN ("
                + String.join(", ", java.util.Collections.nCopies(parents, "?")) + ") ORDER BY " + parent
                + (orderColumn == null ? "" : ", " + JdbcUpsert.requireIdentifier(orderColumn)), java.util.Collections.nCopies(parents, parentColumn));
    }

    /** The {@code keyColumn} of the child rows of the bound parent key. */
    default SqlStatement selectChildKeys(String table, String parentColumn, String keyColumn) {
        return new SqlStatement("SELECT " + JdbcUpsert.requireIdentifier(keyColumn) + " FROM " + JdbcUpsert.requireIdentifier(table)
                + " WHERE " + JdbcUpsert.requireIdentifier(parentColumn) + " = ?", List.of(parentColumn));
    }

    /**
     * Removes the child rows of the bound parent key; with a {@code keyColumn}, only the one with
     * the key bound after it.
     */
    default SqlStatement deleteChildren(String table, String parentColumn, String keyColumn) {
        String sql = "DELETE FROM " + JdbcUpsert.requireIdentifier(table) + " WHERE " + JdbcUpsert.requireIdentifier(parentColumn) + " = ?";
        return keyColumn == null ? new SqlStatement(sql, List.of(parentColumn))
                : new SqlStatement(sql + " AND " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?", List.of(parentColumn, keyColumn));
    }

    /** Sets {@code columns} of the child row of a parent and key: binds the columns, then the parent key, then the row's key. */
    default SqlStatement updateChild(String table, String parentColumn, String keyColumn, List<String> columns) {
        columns.forEach(JdbcUpsert::requireIdentifier);
        List<String> bound = new java.util.ArrayList<>(columns);
        bound.add(parentColumn);
        bound.add(keyColumn);
        return new SqlStatement("UPDATE " + JdbcUpsert.requireIdentifier(table) + " SET " + String.join(" = ?, ", columns) + " = ?"
                + " WHERE " + JdbcUpsert.requireIdentifier(parentColumn) + " = ? AND " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?",
                bound);
    }

    /** Inserts one row of {@code columns}; several rows of it may go in one statement ({@code VALUES} groups). */
    default SqlStatement insert(String table, List<String> columns) {
        columns.forEach(JdbcUpsert::requireIdentifier);
        return new SqlStatement("INSERT INTO " + JdbcUpsert.requireIdentifier(table) + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")", columns);
    }

    /** Removes the row with the key. */
    default SqlStatement deleteByKey(String table, String keyColumn) {
        return new SqlStatement("DELETE FROM " + JdbcUpsert.requireIdentifier(table)
                + " WHERE " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?", List.of(keyColumn));
    }

    /** Marks the row with the key as deleted: binds the marker's value (say a timestamp or a status), then the key. */
    default SqlStatement softDelete(String table, String keyColumn, String column) {
        return new SqlStatement("UPDATE " + JdbcUpsert.requireIdentifier(table) + " SET " + JdbcUpsert.requireIdentifier(column)
                + " = ? WHERE " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?", List.of(column, keyColumn));
    }

    /** The keys of the rows whose {@code column}, lower-cased, is the bound value (a person's e-mail, say). */
    default SqlStatement selectKeysByValue(String table, String keyColumn, String column) {
        return new SqlStatement("SELECT " + JdbcUpsert.requireIdentifier(keyColumn) + " FROM " + JdbcUpsert.requireIdentifier(table)
                + " WHERE LOWER(" + JdbcUpsert.requireIdentifier(column) + ") = ?", List.of(column));
    }

    /**
     * Empties the columns of the row with the key (sets them NULL) and, when {@code stampColumn} is
     * given, stamps it: binds the stamp's value if any, then the key.
     */
    default SqlStatement anonymise(String table, String keyColumn, List<String> columns, String stampColumn) {
        List<String> set = new java.util.ArrayList<>();
        columns.forEach(column -> set.add(JdbcUpsert.requireIdentifier(column) + " = NULL"));
        List<String> bound = new java.util.ArrayList<>();
        if (stampColumn != null) {
            set.add(JdbcUpsert.requireIdentifier(stampColumn) + " = ?");
            bound.add(stampColumn);
        }
        bound.add(keyColumn);
        return new SqlStatement("UPDATE " + JdbcUpsert.requireIdentifier(table) + " SET " + String.join(", ", set)
                + " WHERE " + JdbcUpsert.requireIdentifier(keyColumn) + " = ?", bound);
    }

    /**
     * Adds a change to a quantity column of one row ({@code UPDATE t SET qty = qty + ? WHERE key = ?}),
     * with a floor ({@code AND qty + ? >= ?}) when {@code floored}: an update of no row is a change
     * the floor refused, checked against the value the row holds when it is written.
     */
    default SqlStatement addToColumn(String table, String keyColumn, String column, boolean floored) {
        String quantity = JdbcUpsert.requireIdentifier(column);
        String sql = "UPDATE " + JdbcUpsert.requireIdentifier(table) + " SET " + quantity + " = " + quantity + " + ? WHERE "
                + JdbcUpsert.requireIdentifier(keyColumn) + " = ?";
        return floored ? new SqlStatement(sql + " AND " + quantity + " + ? >= ?", List.of(column, keyColumn, column, column))
                : new SqlStatement(sql, List.of(column, keyColumn));
    }

    /**
     * The value to bind for a canonical value of the field's type. Canonical timestamps are
     * ISO-8601 UTC text ({@code 2024-03-01T09:30:00Z}) and dates ISO dates; other values are bound as they are.
     */
    default Object bind(Object value, CanonicalField.Type type) {
        if (value == null || type == null) {
            return value;
        }
        return switch (type) {
            case TIMESTAMP -> timestamp(instant(value.toString()));
            case DATE -> LocalDate.parse(value.toString());
            default -> value;
        };
    }

    /**
     * Binds a record's key to a parameter compared with, or written to, its key column. A key
     * comes back from the state store as text (a poll's watermark, the ID map, a reconciliation's
     * list of keys) whatever the column's type is; PostgreSQL refuses to compare text with a
     * {@code bigint} or {@code uuid} column, so there a text key is sent untyped and the server
     * reads it as the column's type. MariaDB and H2 convert text to the column's type themselves.
     */
    default void bindKey(Parameters parameters, int index, Object key) throws SQLException {
        parameters.setObject(index, key);
    }

    /**
     * Binds a canonical value of a column of {@code type} (null where unknown): a NULL of the
     * column's SQL type, a list or map (a document's lines in a json column) as JSON text, any
     * other value as {@link #bind} makes it.
     */
    default void bindValue(Parameters parameters, int index, Object value, CanonicalField.Type type) throws SQLException {
        if (value == null) {
            parameters.setNull(index, sqlType(type));
        } else if (value instanceof List<?> || value instanceof java.util.Map<?, ?>) {
            // a list (an invoice's lines) in a json column: json: true, checked at start-up
            bindJson(parameters, index, JsonColumns.text(value));
        } else {
            parameters.setObject(index, bind(value, type));
        }
    }

    private static int sqlType(CanonicalField.Type type) {
        if (type == null) {
            return java.sql.Types.VARCHAR;
        }
        return switch (type) {
            case TIMESTAMP -> java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> java.sql.Types.DATE;
            case INTEGER -> java.sql.Types.BIGINT;
            case DECIMAL -> java.sql.Types.NUMERIC;
            case BOOLEAN -> java.sql.Types.BOOLEAN;
            case STRING -> java.sql.Types.VARCHAR;
            case LIST -> java.sql.Types.OTHER;
        };
    }

    /** Binds JSON text to a json column (MariaDB's JSON is text; PostgreSQL's json and jsonb are typed). */
    default void bindJson(Parameters parameters, int index, String json) throws SQLException {
        parameters.setString(index, json);
    }

    /** {@link #bindKey(Parameters, int, Object)} on a statement of one row. */
    default void bindKey(PreparedStatement statement, int index, Object key) throws SQLException {
        bindKey(Parameters.at(statement, 0), index, key);
    }

    /** A canonical timestamp as the database's driver should receive it. */
    Object timestamp(Instant instant);

    /** A canonical timestamp's instant: read directly in the form the timestamp transform writes, else by java.time. */
    private static Instant instant(String canonical) {
        Instant instant = CanonicalInstants.read(canonical);
        return instant != null ? instant : Instant.parse(canonical);
    }

    /** A column of a target row, as the contract should read it. */
    default Object read(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column);
    }

    /** Run on each new connection of a pool Syncline creates, so that timestamps without a zone are UTC. */
    String utcSessionSql();

    /** Pins a new connection's session to UTC. */
    default void pinToUtc(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(utcSessionSql());
        }
    }
}
