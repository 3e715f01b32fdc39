package io.syncline.connector.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * MariaDB and MySQL: {@code INSERT … ON DUPLICATE KEY UPDATE}. Neither has a timestamp with a
 * zone, so Syncline stores UTC: a canonical timestamp is bound as its UTC wall time (what a
 * {@code DATETIME} keeps as it is), and sessions are pinned to UTC so that a {@code TIMESTAMP}
 * column, which the server converts from the session's zone, holds the same instant. Reading
 * back, both are UTC wall times.
 */
final class MariaDbDialect implements SqlDialect {

    static final MariaDbDialect INSTANCE = new MariaDbDialect();

    private final StoredExpressions storedExpressions = new StoredExpressions();

    private MariaDbDialect() {
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public boolean upsertsRowsTogether() {
        return true;
    }

    @Override
    public SqlStatement upsert(String table, String keyColumn, List<String> columns) {
        return JdbcUpsert.onDuplicateKeyUpdate(table, keyColumn, columns);
    }

    @Override
    public String searched(Connection connection, String table, String expression) throws SQLException {
        return storedExpressions.column(connection, table, expression);
    }

    @Override
    public Object timestamp(Instant instant) {
        // Not an OffsetDateTime: the driver would convert it through the JVM's zone.
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public Object read(ResultSet rows, int column) throws SQLException {
        if (rows.getMetaData().getColumnType(column) == Types.TIMESTAMP) {
            LocalDateTime utc = rows.getObject(column, LocalDateTime.class);
            return utc == null ? null : utc.atOffset(ZoneOffset.UTC);
        }
        return rows.getObject(column);
    }

    @Override
    public String utcSessionSql() {
        return "SET time_zone = '+00:00'";
    }

    @Override
    public String toString() {
        return name();
    }
}
