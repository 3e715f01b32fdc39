package io.syncline.poll;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.connector.jdbc.JdbcKeysetPuller;
import io.syncline.testsupport.AlertRuleSeries;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.StoreTablesProfile;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change polling (src/test/resources/polling-routes, on {@link StoreTablesProfile}): an ERP table with no webhooks is polled every
 * second by its updated_at column and its key. 1,000 changes, 200 of them sharing one updated_at
 * and pages of 100, reach billing each once; later changes too, with nothing read twice; a row
 * flagged deleted is soft-deleted in billing; and the poll's query starts at its watermark in the
 * (updated_at, id) index.
 */
@QuarkusTest
@TestProfile(StoreTablesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class ChangePollingTest {

    /** This run's records: the test database's inbox keeps earlier runs' events, whose ids are a record's key and time. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant SHARED = Instant.parse("2024-03-02T00:00:00Z");

    @BeforeAll
    static void tables() throws Exception {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS poll_erp_customer");
            statement.execute("CREATE TABLE poll_erp_customer (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320), name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE, is_deleted BOOLEAN NOT NULL DEFAULT FALSE)");
            statement.execute("CREATE INDEX poll_erp_customer_changes ON poll_erp_customer (updated_at, id)");
            statement.execute("DROP TABLE IF EXISTS poll_billing_customer");
            statement.execute("CREATE TABLE poll_billing_customer (customer_no VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                    + " name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE, deleted_at TIMESTAMP WITH TIME ZONE)");
            // a new table: the poll starts from its beginning
            statement.execute("DELETE FROM watermark WHERE job = 'poll:customer:erp'");
        }
    }

    private static void upsert(Connection connection, int from, int to, String name, Instant at) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO poll_erp_customer (id, email, name, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at")) {
            for (int i = from; i < to; i++) {
                String id = String.format("cust-%s-%04d", RUN, i);
                insert.setString(1, id);
                insert.setString(2, id + "@example.com");
                insert.setString(3, name);
                // 200 of them share one instant; the others each have their own
                insert.setTimestamp(4, Timestamp.from(i >= 400 && i < 600 ? SHARED : at.plusSeconds(i)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static long billingRows(String name) {
        return (Long) TestDatabase.query("SELECT count(*) AS n FROM poll_billing_customer WHERE name = ?", name).get(0).get("n");
    }

    @Test
    void everyChangeReachesTheTargetOnceAndADeletedRowIsDeleted() throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            upsert(connection, 0, 1000, "first", BASE);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> billingRows("first") == 1000);
        String ours = "cust-" + RUN + "-%";
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE source_system = 'erp' AND status = 'done'"
                + " AND record_key LIKE ?", ours)).containsExactly(Map.of("n", 1000L));
        assertThat(TestDatabase.query("SELECT count(*) AS n, count(DISTINCT target_id) AS records FROM audit_log"
                + " WHERE source_system = 'erp' AND action = 'created' AND target_id LIKE ?", ours))
                .containsExactly(Map.of("n", 1000L, "records", 1000L));

        // a second round of changes, later than the watermark: each again once, nothing read twice
        try (Connection connection = TestDatabase.connect()) {
            upsert(connection, 0, 100, "second", Instant.parse("2024-04-01T00:00:00Z"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> billingRows("second") == 100);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.query(
                "SELECT count(*) AS n FROM inbox WHERE source_system = 'erp' AND record_key LIKE ?", ours).get(0).get("n").equals(1100L));

        TestDatabase.update("UPDATE poll_erp_customer SET is_deleted = TRUE, updated_at = ? WHERE id = ?",
                Timestamp.from(Instant.parse("2024-05-01T00:00:00Z")), "cust-" + RUN + "-0001");
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.query(
                "SELECT 1 FROM poll_billing_customer WHERE customer_no = ? AND deleted_at IS NOT NULL", "cust-" + RUN + "-0001").size() == 1);

        // the poll's query starts at its watermark in the (updated_at, id) index, not at the table's start
        TestDatabase.update("ANALYZE poll_erp_customer");
        String sql = JdbcKeysetPuller.changesAfter("poll_erp_customer", "updated_at", "id").replace("?", "%s");
        String plan = TestDatabase.query("EXPLAIN " + String.format(sql, "'2024-04-01T00:00:00Z'", "'cust-" + RUN + "-0050'", "100")).stream()
                .map(row -> row.values().iterator().next().toString()).reduce("", (a, b) -> a + b + "\n");
        // an index scan (plain or bitmap, as the statistics say) whose condition is the watermark; no scan of the table
        assertThat(plan).containsPattern("Index Scan (using|on) poll_erp_customer_changes")
                .containsPattern("Index Cond: \\(ROW\\(updated_at, .*id.*\\) > ROW\\(").doesNotContain("Seq Scan");
    }

    /**
     * A poll every second is silent after three seconds without a poll that ran to its end: the
     * table it reads gone (each poll fails), then back (the next poll runs through).
     */
    @Test
    void aPollThatFailsIsSilentUntilOneRunsThrough() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> pollSilent() == 0.0);
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE poll_erp_customer RENAME TO poll_erp_customer_away");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> pollSilent() == 1.0);
            } finally {
                statement.execute("ALTER TABLE poll_erp_customer_away RENAME TO poll_erp_customer");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pollSilent() == 0.0);
    }

    @Test
    void theSeriesOfTheSilentSourceAlertAreExportedWithTheLabelsItUses() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !Double.isNaN(pollSilent()));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(AlertRuleSeries.assertExported(metrics, AlertRuleSeries.WATCHED_SOURCES_ONLY)).isGreaterThanOrEqualTo(1);
    }

    /** {@code syncline_source_silent} of the ERP's poll of customers on /q/metrics, NaN where it is not shown. */
    private static double pollSilent() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^syncline_source_silent\\{entity=\"customer\",kind=\"poll\",system=\"erp\"} (\\S+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }
}
