package io.syncline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * One statement run on the state store: prepared, bound, executed, its rows read and all of it
 * closed again, in the shapes of Spring's {@code JdbcTemplate} ({@code update}, {@code query}
 * for one, an optional or a list of rows). A call on a {@link DataSource} borrows a connection
 * for the statement alone; a call on a {@link Connection} runs in the caller's transaction.
 *
 * <p>The statement's parameters are bound by a {@link Binder} with the setters the column needs
 * ({@code setString}, {@code setTimestamp}, …), as the driver and the planner see them typed:
 * most simply a {@link Params} list, which names each parameter's type once, in order.
 */
public final class Sql {

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binder {

        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Binds one row of a batch. */
    @FunctionalInterface
    public interface RowBinder<T> {

        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** For a statement without parameters. */
    public static final Binder NONE = statement -> {
    };

    private static final String[] ID = {"id"};

    /**
     * A statement's parameters in the order of its placeholders, each bound with the
     * {@link PreparedStatement} setter of its type (a null with the type it is null of); the
     * binder of a statement ({@link Binder}) and of a row of writes ({@link Writes.Row}) alike.
     */
    public static final class Params implements Binder, Writes.Row {

        private final List<Parameters.Setter> setters = new ArrayList<>();

        private Params() {
        }

        /** Each of {@code values} as text ({@code setString}), null as a NULL. */
        public Params text(String... values) {
            for (String value : values) {
                setters.add((statement, number) -> statement.setString(number, value));
            }
            return this;
        }

        public Params integer(int value) {
            return add((statement, number) -> statement.setInt(number, value));
        }

        /** A value sent as {@code sqlType} ({@link java.sql.Types}): a null of that type, where it may be null. */
        public Params object(Object value, int sqlType) {
            return add((statement, number) -> statement.setObject(number, value, sqlType));
        }

        public Params bigint(long value) {
            return add((statement, number) -> statement.setLong(number, value));
        }

        /** A NULL of {@code sqlType} ({@link java.sql.Types}). */
        public Params nullOf(int sqlType) {
            setters.add((statement, number) -> statement.setNull(number, sqlType));
            return this;
        }

        public Params timestamp(Timestamp value) {
            return add((statement, number) -> statement.setTimestamp(number, value));
        }

        public Params bool(boolean value) {
            return add((statement, number) -> statement.setBoolean(number, value));
        }

        /** A value whose SQL type the driver infers from its Java type; null for SQL NULL. */
        public Params object(Object value) {
            return add((statement, number) -> statement.setObject(number, value));
        }

        private Params add(Parameters.Setter setter) {
            setters.add(setter);
            return this;
        }

        @Override
        public void bind(PreparedStatement statement) throws SQLException {
            bind(Parameters.at(statement, 0));
        }

        @Override
        public void bind(Parameters parameters) throws SQLException {
            for (int i = 0; i < setters.size(); i++) {
                parameters.set(i + 1, setters.get(i));
            }
        }
    }

    private Sql() {
    }

    /** An empty parameter list, to which each parameter is added in order. */
    public static Params params() {
        return new Params();
    }

    /**
     * {@code value} as the JSON text of a column; where it cannot be written, a SQLException whose
     * message is {@code failure} ("Cannot store … as JSON") with Jackson's reason, failing the write.
     */
    public static String json(ObjectMapper mapper, Object value, String failure) throws SQLException {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException(failure + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Runs a write and answers the rows it changed. */
    public static int update(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        }
    }

    public static int update(DataSource dataSource, String sql, Binder binder) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return update(connection, sql, binder);
        }
    }

    /** Runs a write once for each of {@code rows}, all of them sent as one JDBC batch; the rows each changed. */
    public static <T> int[] batch(Connection connection, String sql, Iterable<T> rows, RowBinder<T> binder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    public static <T> int[] batch(DataSource dataSource, String sql, Iterable<T> rows, RowBinder<T> binder)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return batch(connection, sql, rows, binder);
        }
    }

    /** Runs an insert of one row and answers the {@code id} the store gave it. */
    public static long insert(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql, ID)) {
            binder.bind(statement);
            statement.executeUpdate();
            return key(statement);
        }
    }

    public static long insert(DataSource dataSource, String sql, Binder binder) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, sql, binder);
        }
    }

    /** The {@code id} the row that {@code insert}, prepared for its {@code id} and run, was given. */
    public static long key(PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    /** Every row the query answers, in order. */
    public static <T> List<T> list(Connection connection, String sql, Binder binder, Rows.Reader<T> reader)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            return Rows.list(select, reader);
        }
    }

    public static <T> List<T> list(DataSource dataSource, String sql, Binder binder, Rows.Reader<T> reader)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return list(connection, sql, binder, reader);
        }
    }

    /** The query's first row, or empty where it answers none (or the reader reads it as null). */
    public static <T> Optional<T> optional(Connection connection, String sql, Binder binder, Rows.Reader<T> reader)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty();
            }
        }
    }

    public static <T> Optional<T> optional(DataSource dataSource, String sql, Binder binder, Rows.Reader<T> reader)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return optional(connection, sql, binder, reader);
        }
    }

    /** The first row of a query that always answers one, such as an aggregate's. */
    public static <T> T one(Connection connection, String sql, Binder binder, Rows.Reader<T> reader) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return reader.read(rows);
            }
        }
    }

    public static <T> T one(DataSource dataSource, String sql, Binder binder, Rows.Reader<T> reader) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return one(connection, sql, binder, reader);
        }
    }

    /** The number in the first column of a query that answers one row: a {@code count(*)}. */
    public static long count(Connection connection, String sql, Binder binder) throws SQLException {
        return one(connection, sql, binder, rows -> rows.getLong(1));
    }

    public static long count(DataSource dataSource, String sql, Binder binder) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return count(connection, sql, binder);
        }
    }
}
