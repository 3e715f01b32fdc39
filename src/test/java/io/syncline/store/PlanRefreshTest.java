package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plan PostgreSQL cached for a prepared statement while its table was small is made again
 * once the claimed events pass the next threshold, when the connection is next taken from the pool.
 */
class PlanRefreshTest {

    private static final String TABLE = "plan_refresh_test";

    private Connection connection;

    @BeforeEach
    void connect() throws SQLException {
        connection = TestDatabase.connect();
        execute("DROP TABLE IF EXISTS " + TABLE);
        execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, company TEXT)");
        execute("CREATE INDEX " + TABLE + "_company ON " + TABLE + " (LOWER(company))");
    }

    @AfterEach
    void close() throws SQLException {
        execute("DROP TABLE IF EXISTS " + TABLE);
        connection.close();
    }

    @Test
    void aPlanMadeOnASmallTableIsMadeAgainOnceTheClaimedEventsPassTheThreshold() throws SQLException {
        PlanRefresh refresh = new PlanRefresh();
        execute("INSERT INTO " + TABLE + " SELECT g, 'company ' || g FROM generate_series(1, 5) g");
        execute("ANALYZE " + TABLE);
        // the plan the cache keeps, whatever the custom plans would cost
        execute("SET plan_cache_mode = force_generic_plan");
        execute("PREPARE by_company(text) AS SELECT id FROM " + TABLE + " WHERE LOWER(company) = $1");
        refresh.onConnectionAcquire(connection);
        assertThat(plan()).contains("Seq Scan");

        execute("INSERT INTO " + TABLE + " SELECT g, 'company ' || g FROM generate_series(6, 50000) g");
        refresh.claimed((int) PlanRefresh.FIRST_REFRESH - 1);
        refresh.onConnectionAcquire(connection);
        assertThat(plan()).as("below the threshold the cached plan stays").contains("Seq Scan");

        refresh.claimed(1);
        refresh.onConnectionAcquire(connection);
        assertThat(plan()).as("planned again on the grown table, never analysed since").contains("Index Scan");
    }

    @Test
    void aConnectionFirstTakenAfterTheThresholdKeepsThePlansItMakes() throws SQLException {
        PlanRefresh refresh = new PlanRefresh();
        refresh.claimed(5_000);
        execute("INSERT INTO " + TABLE + " SELECT g, 'company ' || g FROM generate_series(1, 5) g");
        execute("ANALYZE " + TABLE);
        refresh.onConnectionAcquire(connection);
        execute("SET plan_cache_mode = force_generic_plan");
        execute("PREPARE by_company(text) AS SELECT id FROM " + TABLE + " WHERE LOWER(company) = $1");
        assertThat(plan()).contains("Seq Scan");
        execute("INSERT INTO " + TABLE + " SELECT g, 'company ' || g FROM generate_series(6, 50000) g");
        refresh.onConnectionAcquire(connection);
        assertThat(plan()).as("no threshold passed since the connection was first taken").contains("Seq Scan");
    }

    @Test
    void thresholdsDoubleFromTheFirst() {
        PlanRefresh refresh = new PlanRefresh();
        refresh.claimed(999);
        assertThat(refresh.generation()).isZero();
        refresh.claimed(1);
        assertThat(refresh.generation()).isEqualTo(1);
        refresh.claimed(999);
        assertThat(refresh.generation()).isEqualTo(1);
        refresh.claimed(1);
        assertThat(refresh.generation()).isEqualTo(2);
        refresh.claimed(10_000);
        assertThat(refresh.generation()).as("12,000 claimed: past 4,000 and 8,000").isEqualTo(4);
    }

    @Test
    void anH2ConnectionIsLeftAlone() throws SQLException {
        PlanRefresh refresh = new PlanRefresh();
        Path file = Path.of("target", "plan-refresh-test", "store").toAbsolutePath();
        try (Connection h2 = new StateStoreDriver().connect("jdbc:h2:file:" + file + ";MODE=PostgreSQL", new Properties())) {
            refresh.onConnectionAcquire(h2);
            refresh.claimed(1_000);
            refresh.onConnectionAcquire(h2);
            assertThat(h2.isValid(1)).isTrue();
        }
    }

    private String plan() throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE by_company('company 7')")) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return String.join("\n", lines);
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
