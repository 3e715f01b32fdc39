package io.syncline.connector.jdbc;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generated columns of MariaDB and MySQL tables, by the expression each stores. MariaDB 10.x
 * cannot index an expression, and its optimiser does not see that an indexed generated column
 * holds the expression a query compares: {@code WHERE LOWER(TRIM(email)) = ?} reads the whole
 * table beside an index on {@code email_key AS (LOWER(TRIM(email)))}. A match rule's search
 * therefore names such a column instead of its expression. A table's columns are read from
 * {@code information_schema} once and remembered for {@link #REMEMBERED}, so that a column added
 * later is used without a restart.
 */
final class StoredExpressions {

    private static final Logger LOG = Logger.getLogger(StoredExpressions.class);

    static final Duration REMEMBERED = Duration.ofMinutes(10);

    private static final String GENERATED = "SELECT COLUMN_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
            + " AND GENERATION_EXPRESSION IS NOT NULL AND GENERATION_EXPRESSION <> '' ORDER BY ORDINAL_POSITION";

    private record Columns(Map<String, String> byExpression, long readAt) {
    }

    private final Map<String, Columns> tables = new ConcurrentHashMap<>();

    /** The column of {@code table} that stores {@code expression}, or the expression itself when none does. */
    String column(Connection connection, String table, String expression) throws SQLException {
        String key = connection.getMetaData().getURL() + "|" + table;
        Columns columns = tables.get(key);
        if (columns == null || System.nanoTime() - columns.readAt() > REMEMBERED.toNanos()) {
            columns = new Columns(read(connection, table), System.nanoTime());
            tables.put(key, columns);
        }
        return columns.byExpression().getOrDefault(normal(expression), expression);
    }

    private static Map<String, String> read(Connection connection, String table) throws SQLException {
        Map<String, String> byExpression = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(GENERATED)) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byExpression.putIfAbsent(normal(rows.getString(2)), rows.getString(1));
                }
            }
        } catch (SQLException e) {
            if (connection.isValid(1)) {
                // an account that may not read information_schema: searches compare the expressions
                LOG.debugf("Cannot read the generated columns of %s: %s", table, e.getMessage());
                return Map.of();
            }
            throw e;
        }
        return byExpression;
    }

    /**
     * An expression as the servers keep it and as the rules write it, made comparable: MariaDB
     * answers {@code lcase(trim(`email`))} for {@code LOWER(TRIM(email))}, MySQL
     * {@code lower(trim(`email`))}.
     */
    static String normal(String expression) {
        return expression.toLowerCase(Locale.ROOT).replaceAll("[`\"\\s]", "")
                .replace("lcase(", "lower(").replace("ucase(", "upper(");
    }
}
