package io.syncline.connector.jdbc;

import io.syncline.testsupport.MariaDbTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real MariaDB, whose optimiser does not match an expression with the generated column
 * storing it: a match rule's search names the indexed generated column of its expression, and
 * reads that index instead of the whole table; a table without one is searched by the expression.
 */
class StoredExpressionsTest {

    private static final String TABLE = "stored_expr_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PLAIN = TABLE + "_plain";
    private static final int ROWS = 3_000;

    @BeforeAll
    static void tables() throws SQLException {
        MariaDbTestDatabase.ensure();
        try (Connection connection = MariaDbTestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, email VARCHAR(100), phone VARCHAR(30),"
                    + " email_key VARCHAR(100) AS (LOWER(TRIM(email))) VIRTUAL, phone_tail VARCHAR(6) AS (RIGHT(phone, 6)) STORED,"
                    + " KEY (email_key), KEY (phone_tail))");
            statement.execute("CREATE TABLE " + PLAIN + " (id INT PRIMARY KEY, email VARCHAR(100))");
            statement.execute("INSERT INTO " + TABLE + " (id, email, phone) SELECT seq, CONCAT(' Person', seq, '@Example.com'),"
                    + " CONCAT('+4420794', LPAD(seq, 5, '0')) FROM seq_1_to_" + ROWS);
        }
    }

    @Test
    void aRuleExpressionIsSearchedThroughTheGeneratedColumnThatStoresIt() throws SQLException {
        try (Connection connection = MariaDbTestDatabase.connect()) {
            SqlDialect dialect = SqlDialect.of(connection);
            assertThat(dialect.searched(connection, TABLE, "LOWER(TRIM(email))")).isEqualTo("email_key");
            assertThat(dialect.searched(connection, TABLE, "RIGHT(phone, 6)")).isEqualTo("phone_tail");
            assertThat(dialect.searched(connection, TABLE, "LOWER(phone)")).isEqualTo("LOWER(phone)");
            assertThat(dialect.searched(connection, PLAIN, "LOWER(TRIM(email))")).isEqualTo("LOWER(TRIM(email))");
        }
    }

    @Test
    void theSearchReadsTheIndexNotTheTable() throws SQLException {
        try (Connection connection = MariaDbTestDatabase.connect()) {
            String searched = SqlDialect.of(connection).searched(connection, TABLE, "LOWER(TRIM(email))");
            long before = rowsScanned(connection);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM " + TABLE + " WHERE " + searched + " = ? LIMIT 25")) {
                select.setString(1, "person1234@example.com");
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(1234);
                }
            }
            // a full scan would step through every row (Handler_read_rnd_next); the index finds the one
            assertThat(rowsScanned(connection) - before).isLessThan(10);
        }
    }

    @Test
    void expressionsCompareAsTheServersKeepThem() {
        assertThat(StoredExpressions.normal("lcase(trim(`email`))")).isEqualTo(StoredExpressions.normal("LOWER(TRIM(email))"));
        assertThat(StoredExpressions.normal("right(`phone`,6)")).isEqualTo(StoredExpressions.normal("RIGHT(phone, 6)"));
        assertThat(StoredExpressions.normal("lower(trim(`email`))")).isEqualTo(StoredExpressions.normal("LOWER(TRIM(email))"));
        assertThat(StoredExpressions.normal("lcase(`email`)")).isNotEqualTo(StoredExpressions.normal("LOWER(TRIM(email))"));
    }

    private static long rowsScanned(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read_rnd_next'")) {
            rows.next();
            return rows.getLong(2);
        }
    }
}
