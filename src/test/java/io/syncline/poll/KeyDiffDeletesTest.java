package io.syncline.poll;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deletions found by a key diff (src/test/resources/key-diff-routes): rows deleted hard from a
 * polled ERP table on PostgreSQL and a shop table on MariaDB, which show no deletion to poll,
 * reach billing as deletions each once (soft-deleted and deleted, as billing's mappings say). An
 * emptied table (as a wrong table or lost permissions would look) deletes nothing: the run is
 * refused, readiness and a metric say so, and after an admin's confirmation the next run deletes
 * the records.
 */
@QuarkusTest
@WithTestResource(KeyDiffDeletesTest.Sources.class)
class KeyDiffDeletesTest {

    static final String DATABASE = TestDatabase.siblingUrl("_key_diff");
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");

    /** The state store's own database, and the shop's empty table on MariaDB. */
    public static class Sources implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            TestDatabase.ensureDatabase(DATABASE, true);
            MariaDbTestDatabase.ensure();
            MariaDbTestDatabase.execute("DROP TABLE IF EXISTS kd_shop_member",
                    "CREATE TABLE kd_shop_member (id INT PRIMARY KEY, name VARCHAR(200), updated_at DATETIME(3) NOT NULL) ENGINE=InnoDB");
            Map<String, String> account = MariaDbTestDatabase.createApplicationUser();
            return Map.of("syncline.routes.location", "src/test/resources/key-diff-routes",
                    "quarkus.datasource.jdbc.url", DATABASE,
                    "quarkus.datasource.username", TestDatabase.user(),
                    "quarkus.datasource.password", TestDatabase.password(),
                    "SHOP_DB_URL", MariaDbTestDatabase.url(),
                    "SHOP_DB_USER", account.get("user"),
                    "SHOP_DB_PASSWORD", account.get("password"));
        }

        @Override
        public void stop() {
            // the databases outlive the run, for a failure to be inspected
        }
    }

    /** The ERP's and billing's tables, once Flyway has made the state store's in the same database, and the rows. */
    @BeforeAll
    static void tables() throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kd_erp_customer (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            statement.execute("CREATE TABLE kd_billing_customer (customer_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE, deleted_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE TABLE kd_billing_member (member_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE)");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO kd_erp_customer (id, name, updated_at) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 50; i++) {
                    insert.setString(1, String.format("cust-%02d", i));
                    insert.setString(2, "Customer " + i);
                    insert.setTimestamp(3, Timestamp.from(BASE.plusSeconds(i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        // the shop's members only once billing's table is there to take them
        StringBuilder members = new StringBuilder("INSERT INTO kd_shop_member (id, name, updated_at) VALUES ");
        for (int i = 1; i <= 30; i++) {
            members.append(i == 1 ? "" : ", ").append("(").append(i).append(", 'Member ").append(i)
                    .append("', '2024-03-01 00:00:").append(String.format("%02d", i)).append("')");
        }
        MariaDbTestDatabase.execute(members.toString());
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(DATABASE, sql, parameters).get(0).get("n")).longValue();
    }

    private static Map<String, Object> lastRun(String entity, String system) {
        var rows = TestDatabase.queryOn(DATABASE, "SELECT outcome, known, missing, deleted, confirmed_deletes FROM key_diff"
                + " WHERE entity = ? AND source_system = ?", entity, system);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private static long deletions(String system) {
        return count("SELECT count(*) AS n FROM inbox WHERE source_system = ? AND event_id LIKE 'delete:%'", system);
    }

    private static long deletedIn(String target, String entity) {
        return count("SELECT count(*) AS n FROM audit_log WHERE target_system = ? AND action = 'deleted' AND entity = ?", target, entity);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @Test
    void rowsDeletedHardInPostgresqlAreSoftDeletedInBillingOnceAndAnEmptiedTableWaitsForConfirmation() throws SQLException {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM kd_billing_customer") == 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(50).equals(lastRun("customer", "erp").get("known")));

        execute("DELETE FROM kd_erp_customer WHERE id IN ('cust-01', 'cust-02', 'cust-03', 'cust-04', 'cust-05')");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM kd_billing_customer"
                + " WHERE deleted_at IS NOT NULL") == 5);
        // more runs find the same keys gone, already tombstoned: nothing is deleted twice
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(45).equals(lastRun("customer", "erp").get("known")));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> deletions("erp") == 5);
        assertThat(count("SELECT count(*) AS n FROM kd_billing_customer WHERE deleted_at IS NOT NULL AND customer_no"
                + " IN ('cust-01', 'cust-02', 'cust-03', 'cust-04', 'cust-05')")).isEqualTo(5);
        assertThat(deletedIn("billing", "customer")).isEqualTo(5);

        // the table is emptied, as a wrong table or lost rights would show it: 45 of 45 is more than the 9 a run may delete
        execute("DELETE FROM kd_erp_customer");
        await().atMost(Duration.ofSeconds(30)).until(() -> "refused".equals(lastRun("customer", "erp").get("outcome")));
        assertThat(lastRun("customer", "erp")).containsEntry("known", 45L).containsEntry("missing", 45L).containsEntry("deleted", 0L);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> deletions("erp") == 5);
        assertThat(count("SELECT count(*) AS n FROM kd_billing_customer WHERE deleted_at IS NULL")).isEqualTo(45);
        // readiness shows what the state store said at most 5 s ago
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-key-diffs' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'syncline-key-diffs' }.data.'customer.erp'", containsString("refused"))
                .body("checks.find { it.name == 'syncline-key-diffs' }.data.'customer.erp'", containsString("45 of the 45 keys")));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("syncline_poll_deletes_refused\\{entity=\"customer\",system=\"erp\"[^}]*} 1\\.0")
                .containsPattern("syncline_poll_deletes_missing\\{entity=\"customer\",system=\"erp\"[^}]*} 45\\.0");

        // only an admin confirms, only what the model diffs
        given().when().post("/admin/polls/customer/erp/deletes/confirmation").then().statusCode(401);
        admin().when().post("/admin/polls/customer/shop/deletes/confirmation").then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", containsString("entities.customer.polls.shop.deletes"));
        admin().when().post("/admin/polls/customer/erp/deletes/confirmation").then().statusCode(200)
                .body("outcome", equalTo("refused")).body("missing", equalTo(45)).body("confirmedDeletes", equalTo(45))
                .body("confirmedBy", equalTo("admin"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM kd_billing_customer"
                + " WHERE deleted_at IS NOT NULL") == 50);
        assertThat(deletions("erp")).isEqualTo(50);
        admin().when().get("/admin/polls/customer/erp/deletes").then().statusCode(200).body("outcome", equalTo("deleted"));
        // the confirmation is used up
        await().atMost(Duration.ofSeconds(10)).until(() -> lastRun("customer", "erp").get("confirmed_deletes") == null);
        admin().when().post("/admin/polls/customer/erp/deletes/confirmation").then().statusCode(409)
                .body("error", equalTo("not_refused"));
    }

    @Test
    void rowsDeletedHardInMariaDbAreDeletedInBillingOnce() {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM kd_billing_member") == 30);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(30).equals(lastRun("member", "shop").get("known")));

        MariaDbTestDatabase.execute("DELETE FROM kd_shop_member WHERE id IN (7, 8, 9)");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) AS n FROM kd_billing_member") == 27);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() -> deletions("shop") == 3);
        assertThat(count("SELECT count(*) AS n FROM kd_billing_member WHERE member_no IN ('7', '8', '9')")).isZero();
        assertThat(deletedIn("billing", "member")).isEqualTo(3);
        assertThat(lastRun("member", "shop")).containsEntry("outcome", "deleted").containsEntry("known", 27L);
    }
}
