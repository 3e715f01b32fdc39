package io.syncline.connector.jdbc;

import io.syncline.store.Parameters;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * PostgreSQL ({@code INSERT … ON CONFLICT}) and H2 (standard SQL {@code MERGE}); timestamps bound with their UTC offset, so a
 * {@code timestamptz} column holds the instant and, on a session pinned to UTC, a
 * {@code timestamp} column holds UTC wall time.
 */
final class StandardSqlDialect implements SqlDialect {

    static final StandardSqlDialect POSTGRESQL = new StandardSqlDialect("PostgreSQL");
    static final StandardSqlDialect H2 = new StandardSqlDialect("H2");

    private final String name;

    private StandardSqlDialect(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlStatement upsert(String table, String keyColumn, List<String> columns) {
        return this == POSTGRESQL ? JdbcUpsert.onConflictUpdate(table, keyColumn, columns)
                : JdbcUpsert.merge(table, keyColumn, columns);
    }

    @Override
    public boolean upsertsRowsTogether() {
        return this == POSTGRESQL;
    }

    @Override
    public void bindKey(Parameters parameters, int index, Object key) throws SQLException {
        if (this == POSTGRESQL && key instanceof String text) {
            // untyped (pgjdbc's "unspecified"): the server types it as the key column it meets
            parameters.setObject(index, text, Types.OTHER);
        } else {
            parameters.setObject(index, key);
        }
    }

    @Override
    public void bindJson(Parameters parameters, int index, String json) throws SQLException {
        // untyped, so that the server reads it as the json or jsonb column it is written to
        parameters.setObject(index, json, this == POSTGRESQL ? Types.OTHER : Types.VARCHAR);
    }

    @Override
    public Object timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public String utcSessionSql() {
        return "SET TIME ZONE 'UTC'";
    }

    @Override
    public String toString() {
        return name;
    }
}
