package io.syncline.reconcile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Differences a reconciliation expects are no drift (job {@code partners-expected}, the ledger's
 * partners against the vault's, auto-fixing what only the ledger has). The first run fixes three
 * partners the vault lacks: one without an e-mail is held for review on its way, one whose status
 * the vault's column cannot take becomes a dead letter, one arrives. The second run reports the
 * held and the rejected partner, and the prospect the job's {@code expect} declares, as expected,
 * with why, neither fixed nor counted as drift; the partner only the vault has still is drift.
 */
@QuarkusTest
@WithTestResource(ReconcileFixture.class)
class ExpectedDifferencesTest {

    /** This run's partners: the test database keeps earlier runs' review items, dead letters and events. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Instant OLD = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MICROS);
    private static final String TABLE = "CREATE TABLE exp_partner (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100),"
            + " status VARCHAR(%d), updated_at TIMESTAMP WITH TIME ZONE)";

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }
    /**
     * Both sides hold partners 10 to 29. Only the ledger: 3 (no e-mail: held), 4 (a status longer than
     * the vault's column: dead letter), 5 (a prospect: declared), 6 (fixed). Only the vault: 7.
     */
    @BeforeAll
    static void seed() throws SQLException {
        ReconcileFixture.recreateOnBothSides("exp_partner", TABLE.formatted(40), TABLE.formatted(8));
        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL)) {
            for (int i = 10; i < 30; i++) {
                // equal on both sides: enough of them that the runs of an earlier test run leave no
                // count that this run's sides fall far short of (the truncation guard)
                insert(ledger, Integer.toString(i), "active");
                insert(vault, Integer.toString(i), "active");
            }
            insert(ledger, "4", "suspended-pending-audit", "5", "prospect", "6", "active");
            insert(ledger, "3", null);
            insert(vault, "7", "active");
        }
    }

    /** Partners of the given ids and statuses; with a null status, one partner without an e-mail. */
    private static void insert(Connection connection, String... idsAndStatuses) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO exp_partner VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < idsAndStatuses.length; i += 2) {
                String id = key(idsAndStatuses[i]);
                boolean withoutEmail = idsAndStatuses[i + 1] == null;
                insert.setString(1, id);
                insert.setString(2, withoutEmail ? null : id + "@example.com");
                insert.setString(3, withoutEmail ? "active" : idsAndStatuses[i + 1]);
                insert.setTimestamp(4, Timestamp.from(OLD));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Partner {@code n} of this run. */
    private static String key(String n) {
        return "p-" + RUN + "-" + n;
    }

    private static JsonPath run() {
        return admin().when().post("/admin/reconciliations/partners-expected/runs").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Map<String, Object>> differences(long runId) {
        List<Map<String, Object>> differences = admin().when().get("/admin/reconciliations/runs/" + runId + "/differences")
                .then().statusCode(200).extract().path("");
        return differences.stream().collect(Collectors.toMap(d -> (String) d.get("key"), d -> d));
    }

    @Test
    void heldRejectedAndDeclaredDifferencesAreExpectedAndTheRestIsDrift() {
        JsonPath first = run();
        assertThat(first.getString("status")).isEqualTo("ok");
        assertThat(first.getLong("counts.onlyInA")).as("p-3, p-4, p-6 to fix").isEqualTo(3);
        assertThat(first.getLong("counts.expected")).as("the prospect p-5").isEqualTo(1);
        assertThat(differences(first.getLong("id")).get(key("5"))).containsEntry("action", "expected")
                .containsEntry("expectedBecause", "expected: the vault takes active partners only");
        // the fixes go through the apply route: p-3 held for review, p-4 a dead letter, p-6 written
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> TestDatabase.query(
                "SELECT record_key, status FROM inbox WHERE route_id = 'reconcile:partners-expected' AND record_key LIKE ?"
                        + " AND status IN ('held', 'dead', 'done')",
                key("%")).size() == 3);
        assertThat(TestDatabase.query("SELECT record_key, status FROM inbox WHERE route_id = 'reconcile:partners-expected'"
                + " AND record_key LIKE ? ORDER BY record_key", key("%"))).containsExactly(
                        Map.of("record_key", key("3"), "status", "held"), Map.of("record_key", key("4"), "status", "dead"),
                        Map.of("record_key", key("6"), "status", "done"));

        JsonPath second = run();
        assertThat(second.getString("status")).isEqualTo("ok");
        assertThat(second.getLong("counts.onlyInA")).as("nothing unexplained only in the ledger").isZero();
        assertThat(second.getLong("counts.onlyInB")).as("p-7: drift still").isEqualTo(1);
        assertThat(second.getLong("counts.expected")).isEqualTo(3);
        Map<String, Map<String, Object>> found = differences(second.getLong("id"));
        assertThat(found).containsOnlyKeys(key("3"), key("4"), key("5"), key("7"));
        assertThat(found.get(key("3"))).containsEntry("action", "expected").containsEntry("bucket", "only_in_a");
        assertThat((String) found.get(key("3")).get("expectedBecause")).startsWith("held for review");
        assertThat(found.get(key("4"))).containsEntry("action", "expected");
        assertThat((String) found.get(key("4")).get("expectedBecause")).startsWith("dead letter");
        assertThat(found.get(key("5"))).containsEntry("action", "expected");
        assertThat(found.get(key("7"))).containsEntry("action", "report").containsEntry("bucket", "only_in_b");
        // nothing expected was fixed again
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE route_id = 'reconcile:partners-expected'"
                + " AND record_key LIKE ?", key("%"))).containsExactly(Map.of("n", 3L));
    }
}
