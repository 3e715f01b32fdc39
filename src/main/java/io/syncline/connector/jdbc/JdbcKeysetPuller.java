package io.syncline.connector.jdbc;

import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.Watermark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pulls a JDBC table by keyset pagination: {@code WHERE key > last ORDER BY key LIMIT n}. Unlike
 * OFFSET, each page costs an index range scan however deep into the table it is, and rows
 * inserted meanwhile cannot shift a page and make it skip or repeat rows.
 */
public final class JdbcKeysetPuller implements RecordPuller {

    /** Opens a connection to the model's JDBC system of that name: its pool, sessions in UTC. */
    @FunctionalInterface
    public interface Connections {

        Connection open(String system) throws SQLException;
    }

    /** Keys bound in one statement when pulling by key: far below any driver's parameter limit. */
    private static final int KEYS_PER_STATEMENT = 1000;

    private final Connections connections;

    public JdbcKeysetPuller(Connections connections) {
        this.connections = connections;
    }

    /** A full pull reads in key order and counts repeated keys; a pull by key does not. */
    @Override
    public boolean countsRepeatedKeys(PullRequest request) {
        return request.keys() == null;
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        String table = JdbcMappingSettings.of(request.mapping()).table();
        String key = request.mapping().key();
        if (!JdbcUpsert.isIdentifier(table) || !JdbcUpsert.isIdentifier(key)) {
            throw new PullException(request.systemName() + ": table '" + table + "' and key '" + key
                    + "' must be plain SQL identifiers");
        }
        if (request.keys() != null) {
            return pullKeys(request, sink);
        }
        if (request.changes() != null) {
            return pullChanges(request, sink);
        }
        String first = "SELECT * FROM " + table + " ORDER BY " + key + " LIMIT ?";
        String next = "SELECT * FROM " + table + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT ?";
        long pages = 0;
        long records = 0;
        long repeated = 0;
        String column = key.toLowerCase(Locale.ROOT);
        try (Connection connection = connections.open(request.systemName())) {
            SqlDialect dialect = SqlDialect.of(connection);
            Object last = request.after();
            while (true) {
                List<Map<String, Object>> page;
                try (PreparedStatement select = connection.prepareStatement(last == null ? first : next)) {
                    int index = 1;
                    if (last != null) {
                        dialect.bindKey(select, index++, last);
                    }
                    select.setInt(index, request.pageSize());
                    page = read(select);
                }
                page = withLines(connection, dialect, request, page);
                if (page.isEmpty()) {
                    return PullResult.complete(pages, records, null).withRepeatedKeys(repeated);
                }
                pages++;
                records += page.size();
                // In key order, a key seen twice comes twice in a row: counted here, the staging need not.
                for (Map<String, Object> row : page) {
                    Object current = row.get(column);
                    if (current != null && current.equals(last)) {
                        repeated++;
                    }
                    last = current;
                }
                last = page.get(page.size() - 1).get(column);
                sink.accept(page);
                if (page.size() < request.pageSize()) {
                    return PullResult.complete(pages, records, null).withRepeatedKeys(repeated);
                }
            }
        } catch (SQLException e) {
            throw new PullException(request.systemName() + ": reading " + table + " failed after " + pages + " pages: "
                    + e.getMessage(), e);
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException(request.systemName() + ": staging page " + (pages) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The records changed after the request's watermark, by keyset pagination on (modification
     * time, key) ({@link #changesAfter}), each page starting after the last row of the one before.
     * A record with no modification time has no place in that order and is not read.
     */
    private PullResult pullChanges(PullRequest request, PageSink sink) throws PullException {
        String table = JdbcMappingSettings.of(request.mapping()).table();
        String key = request.mapping().key();
        String time = request.changes().path();
        if (!JdbcUpsert.isIdentifier(time)) {
            throw new PullException(request.systemName() + ": modification time '" + time + "' must be a plain SQL identifier");
        }
        String first = "SELECT * FROM " + table + " WHERE " + time + " IS NOT NULL ORDER BY " + time + ", " + key + " LIMIT ?";
        String next = changesAfter(table, time, key);
        long pages = 0;
        long records = 0;
        try (Connection connection = connections.open(request.systemName())) {
            SqlDialect dialect = SqlDialect.of(connection);
            Watermark after = request.changes().after();
            Object lastTime = after == null ? null : dialect.timestamp(after.at());
            Object lastKey = after == null ? null : after.key();
            while (true) {
                List<Map<String, Object>> page;
                try (PreparedStatement select = connection.prepareStatement(lastTime == null ? first : next)) {
                    int index = 1;
                    if (lastTime != null) {
                        select.setObject(index++, lastTime);
                        dialect.bindKey(select, index++, lastKey);
                    }
                    select.setInt(index, request.pageSize());
                    page = read(select);
                }
                page = withLines(connection, dialect, request, page);
                if (page.isEmpty()) {
                    return PullResult.complete(pages, records, null);
                }
                pages++;
                records += page.size();
                Map<String, Object> last = page.get(page.size() - 1);
                lastTime = last.get(time.toLowerCase(Locale.ROOT));
                lastKey = last.get(key.toLowerCase(Locale.ROOT));
                sink.accept(page);
                if (page.size() < request.pageSize()) {
                    return PullResult.complete(pages, records, null);
                }
            }
        } catch (SQLException e) {
            throw new PullException(request.systemName() + ": reading changes of " + table + " failed after " + pages
                    + " pages: " + e.getMessage(), e);
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException(request.systemName() + ": staging page " + pages + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The page of changes after a (time, key) watermark: {@code WHERE (t, key) > (?, ?) ORDER BY t,
     * key LIMIT ?}. Compared as a row, the watermark is an index range's start on PostgreSQL (an
     * index on {@code (t, key)} reads only the changed rows); the same order on MariaDB and H2.
     */
    public static String changesAfter(String table, String time, String key) {
        return "SELECT * FROM " + table + " WHERE (" + time + ", " + key + ") > (?, ?) ORDER BY " + time + ", " + key + " LIMIT ?";
    }

    /** The records of the given keys, a page (at most {@value #KEYS_PER_STATEMENT} keys) per statement. */
    private PullResult pullKeys(PullRequest request, PageSink sink) throws PullException {
        String table = JdbcMappingSettings.of(request.mapping()).table();
        String key = request.mapping().key();
        List<Object> keys = request.keys();
        long pages = 0;
        long records = 0;
        int pageSize = Math.min(request.pageSize(), KEYS_PER_STATEMENT);
        try (Connection connection = connections.open(request.systemName())) {
            SqlDialect dialect = SqlDialect.of(connection);
            for (int from = 0; from < keys.size(); from += pageSize) {
                List<Object> chunk = keys.subList(from, Math.min(keys.size(), from + pageSize));
                List<Map<String, Object>> page;
                try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table + " WHERE " + key + " IN ("
                        + "?, ".repeat(chunk.size() - 1) + "?) ORDER BY " + key)) {
                    for (int i = 0; i < chunk.size(); i++) {
                        dialect.bindKey(select, i + 1, chunk.get(i));
                    }
                    page = read(select);
                }
                page = withLines(connection, dialect, request, page);
                pages++;
                records += page.size();
                sink.accept(page);
            }
            return PullResult.complete(pages, records, null);
        } catch (SQLException e) {
            throw new PullException(request.systemName() + ": reading " + table + " by key failed after " + pages + " pages: "
                    + e.getMessage(), e);
        } catch (Exception e) {
            throw new PullException(request.systemName() + ": staging page " + pages + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The page with each row's document lines, where the mapping keeps them in child tables: one
     * query a page and table. Their order is the position column's; a list with a key is put in
     * the key's order when read through the contract.
     */
    private static List<Map<String, Object>> withLines(Connection connection, SqlDialect dialect, PullRequest request,
            List<Map<String, Object>> page) throws SQLException {
        List<ChildTable> children = ChildTable.of(request.mapping(), null);
        return children.isEmpty() || page.isEmpty() ? page
                : ChildRows.attach(connection, dialect, children, request.mapping().key(), page);
    }

    private static List<Map<String, Object>> read(PreparedStatement select) throws SQLException {
        List<Map<String, Object>> page = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            int count = meta.getColumnCount();
            String[] names = new String[count];
            Map<String, Integer> positions = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                names[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                // A label twice (a join's "id") keeps its last value, as a map put in column order would.
                positions.put(names[i], i);
            }
            ColumnRow.Columns columns = new ColumnRow.Columns(names, positions);
            while (rows.next()) {
                Object[] values = new Object[count];
                for (int i = 0; i < count; i++) {
                    values[i] = rows.getObject(i + 1);
                }
                page.add(new ColumnRow(columns, values));
            }
        }
        return page;
    }
}
