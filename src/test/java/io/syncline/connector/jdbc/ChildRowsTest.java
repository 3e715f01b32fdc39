package io.syncline.connector.jdbc;

import io.agroal.api.AgroalDataSource;
import io.syncline.connector.jdbc.JdbcChangesPullTest.Server;
import io.syncline.connector.spi.PullRequest;
import io.syncline.model.CanonicalField;
import io.syncline.model.FieldMapping;
import io.syncline.model.RowsSpec;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A document's lines as rows of a child table (ERP {@code orders} and {@code order_lines}, a
 * foreign key from each line to its order), on PostgreSQL and MariaDB: written by the list's key
 * (rows of keys no longer there deleted, the others updated in place, new keys inserted) or, for a
 * list without one, replaced in order with each line's place; read back for a page of orders in
 * one query, each order with its lines; and a failing line leaves the order and its lines as they
 * were when written together.
 */
class ChildRowsTest {

    private static final String ORDERS = "child_rows_orders";
    private static final String LINES = "child_rows_order_lines";
    private static final List<CanonicalField.Type> TYPES = List.of(CanonicalField.Type.INTEGER, CanonicalField.Type.STRING,
            CanonicalField.Type.DECIMAL);
    private static final ChildTable KEYED = new ChildTable("lines", "lines", LINES, "order_id", null, "line_no",
            List.of("line_no", "product", "quantity"), TYPES);
    private static final ChildTable IN_ORDER = new ChildTable("lines", "lines", LINES, "order_id", "position", null,
            List.of("line_no", "product", "quantity"), TYPES);

    /** A test on a fresh pair of tables, on the server's connection that commits each statement. */
    @FunctionalInterface
    private interface OnTables {

        void run(Connection connection, SqlDialect dialect) throws Exception;
    }

    private static void onTables(Server server, OnTables test) throws Exception {
        try (AgroalDataSource pool = JdbcPools.open(server.url(), server.user(), server.password());
                Connection connection = pool.getConnection()) {
            create(connection);
            test.run(connection, SqlDialect.of(connection));
        }
    }

    private static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + LINES);
            statement.execute("DROP TABLE IF EXISTS " + ORDERS);
            statement.execute("CREATE TABLE " + ORDERS + " (id VARCHAR(64) PRIMARY KEY, note VARCHAR(100))");
            statement.execute("CREATE TABLE " + LINES + " (order_id VARCHAR(64) NOT NULL, line_no INT NOT NULL,"
                    + " product VARCHAR(64), quantity NUMERIC(12, 2), position INT,"
                    + " FOREIGN KEY (order_id) REFERENCES " + ORDERS + " (id))");
            statement.execute("INSERT INTO " + ORDERS + " (id, note) VALUES ('o-1', 'first'), ('o-2', 'second'), ('o-3', 'none')");
        }
    }

    private static Map<String, Object> line(int number, String product, String quantity) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("line_no", (long) number);
        line.put("product", product);
        line.put("quantity", new BigDecimal(quantity));
        return line;
    }

    /** The order's rows as (line_no, product, quantity, position) text, in line_no order. */
    private static List<String> rows(Connection connection, String order) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (var select = connection.prepareStatement("SELECT line_no, product, quantity, position FROM " + LINES
                + " WHERE order_id = ? ORDER BY line_no")) {
            select.setString(1, order);
            try (var result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getInt(1) + " " + result.getString(2) + " " + result.getBigDecimal(3).toPlainString()
                            + (result.getObject(4) == null ? "" : " @" + result.getInt(4)));
                }
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.syncline.connector.jdbc.JdbcChangesPullTest#servers")
    void linesWithAKeyAreDeletedUpdatedAndInsertedByTheirKey(Server server) throws Exception {
        onTables(server, (connection, dialect) -> {
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-1",
                    List.of(line(1, "P-1", "2"), line(2, "P-2", "1.5"), line(3, "P-3", "4"))));
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-2", List.of(line(1, "P-9", "1"))));
            assertThat(rows(connection, "o-1")).containsExactly("1 P-1 2.00", "2 P-2 1.50", "3 P-3 4.00");

            // line 2 changes, line 3 goes, line 4 comes; o-2's line is not touched
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-1",
                    List.of(line(1, "P-1", "2"), line(2, "P-2", "7"), line(4, "P-4", "1"))));
            assertThat(rows(connection, "o-1")).containsExactly("1 P-1 2.00", "2 P-2 7.00", "4 P-4 1.00");
            assertThat(rows(connection, "o-2")).containsExactly("1 P-9 1.00");

            // no lines: none left
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-2", List.of()));
            assertThat(rows(connection, "o-2")).isEmpty();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.syncline.connector.jdbc.JdbcChangesPullTest#servers")
    void linesWithoutAKeyAreReplacedInOrderEachWithItsPlace(Server server) throws Exception {
        onTables(server, (connection, dialect) -> {
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, IN_ORDER, "o-1",
                    List.of(line(1, "P-1", "2"), line(2, "P-2", "1"))));
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, IN_ORDER, "o-1",
                    List.of(line(2, "P-2", "1"), line(1, "P-1", "3"), line(3, "P-3", "1"))));

            assertThat(rows(connection, "o-1")).containsExactly("1 P-1 3.00 @2", "2 P-2 1.00 @1", "3 P-3 1.00 @3");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.syncline.connector.jdbc.JdbcChangesPullTest#servers")
    void aLineTheDatabaseRefusesLeavesTheLinesAsTheyWere(Server server) throws Exception {
        onTables(server, (connection, dialect) -> {
            ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-1", List.of(line(1, "P-1", "2"))));

            // the second line's quantity does not fit NUMERIC(12, 2): nothing of the write stays
            assertThatThrownBy(() -> ChildRows.together(connection, () -> ChildRows.write(connection, dialect, KEYED, "o-1",
                    List.of(line(2, "P-2", "1"), line(3, "P-3", "123456789012345"))))).isInstanceOf(SQLException.class);

            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(rows(connection, "o-1")).containsExactly("1 P-1 2.00");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.syncline.connector.jdbc.JdbcChangesPullTest#servers")
    void aPageOfOrdersIsReadWithItsLinesInOrder(Server server) throws Exception {
        try (AgroalDataSource pool = JdbcPools.open(server.url(), server.user(), server.password())) {
            try (Connection connection = pool.getConnection()) {
                create(connection);
                SqlDialect dialect = SqlDialect.of(connection);
                ChildRows.together(connection, () -> ChildRows.write(connection, dialect, IN_ORDER, "o-1",
                        List.of(line(2, "P-2", "1"), line(1, "P-1", "3"))));
                ChildRows.together(connection, () -> ChildRows.write(connection, dialect, IN_ORDER, "o-2", List.of(line(1, "P-9", "1"))));
            }
            SystemMapping mapping = SystemMapping.of("id", List.of(new FieldMapping("id", "id", null, null, null),
                    new FieldMapping("lines", null, null, null, null, List.of(new FieldMapping("lineNo", "line_no", null, null, null),
                            new FieldMapping("product", "product", null, null, null)), null, new RowsSpec(LINES, "order_id", "position"))),
                    null, Map.of("table", ORDERS));
            JdbcKeysetPuller puller = new JdbcKeysetPuller(system -> pool.getConnection());
            Map<String, List<String>> products = new LinkedHashMap<>();
            puller.pull(new PullRequest("order", "erp", SystemDefinition.ofSettings(JdbcSettings.TYPE, new JdbcSettings("erp", null, null, null)),
                    mapping, 2),
                    page -> page.forEach(row -> products.put(String.valueOf(row.get("id")),
                            ((List<?>) row.get("lines")).stream().map(line -> String.valueOf(((Map<?, ?>) line).get("product"))).toList())));

            assertThat(products).containsExactly(Map.entry("o-1", List.of("P-2", "P-1")), Map.entry("o-2", List.of("P-9")),
                    Map.entry("o-3", List.of()));
        }
    }
}
