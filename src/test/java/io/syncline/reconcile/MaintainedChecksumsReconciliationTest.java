package io.syncline.reconcile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code checksums: maintained} through the application: a dry run installs nothing and computes
 * its checksums; the first run installs the triggers in both databases; writes made afterwards
 * are found by the next run from the kept checksums; the admin API drops the triggers again.
 * The ledger (test database) and the vault (a database of its own) hold 500 accounts each, with
 * a-0007 only in the ledger, a-0013 only in the vault and another balance for a-0021.
 */
@QuarkusTest
@WithTestResource(ReconcileFixture.class)
class MaintainedChecksumsReconciliationTest {

    private static final int ACCOUNTS = 500;
    private static final Instant OLD = Instant.now().minus(Duration.ofHours(3));

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @BeforeAll
    static void seed() throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL)) {
            for (Connection connection : List.of(ledger, vault)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS bisect_account CASCADE");
                    statement.execute("CREATE TABLE bisect_account (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100),"
                            + " balance NUMERIC(12, 2), updated_at TIMESTAMP WITH TIME ZONE)");
                }
            }
            try (PreparedStatement a = ledger.prepareStatement("INSERT INTO bisect_account VALUES (?, ?, ?, ?)");
                    PreparedStatement b = vault.prepareStatement("INSERT INTO bisect_account VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= ACCOUNTS; i++) {
                    String id = String.format("a-%04d", i);
                    if (i != 13) {
                        add(a, id, " " + id.toUpperCase() + "@Example.COM", new BigDecimal(i + ".50"));
                    }
                    if (i != 7) {
                        add(b, id, id + "@example.com", new BigDecimal(i == 21 ? "0.00" : i + ".50"));
                    }
                }
                a.executeBatch();
                b.executeBatch();
            }
        }
    }

    private static void add(PreparedStatement insert, String id, String email, BigDecimal balance) throws SQLException {
        insert.setString(1, id);
        insert.setString(2, email);
        insert.setBigDecimal(3, balance);
        insert.setTimestamp(4, Timestamp.from(OLD));
        insert.addBatch();
    }

    @Test
    void installedByTheFirstRunKeptByEveryWriteDroppedOnRequest() throws SQLException {
        admin().when().post("/admin/reconciliations/accounts-maintained/runs?dryRun=true")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("strategy", equalTo("bisection"))
                .body("strategyNote", startsWith("ledger: checksums computed, not maintained: maintained checksums are not"
                        + " installed for this contract, and a dry run does not install them; vault: checksums computed"))
                .body("counts.onlyInA", equalTo(1))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(1));
        assertThat(triggers()).containsExactly(0L, 0L);

        admin().when().post("/admin/reconciliations/accounts-maintained/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("strategyNote", startsWith("ledger: maintained checksums installed (499 records hashed in "))
                .body("strategyNote", containsString("; vault: maintained checksums installed (499 records hashed in "))
                .body("strategyNote", containsString("2 / 2 keys to pull"))
                .body("sideA.records", equalTo(499))
                .body("sideA.pulled", equalTo(2))
                .body("counts.onlyInA", equalTo(1))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(1))
                .body("counts.equal", equalTo(497));
        assertThat(triggers()).containsExactly(4L, 4L);

        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL);
                Statement inLedger = ledger.createStatement(); Statement inVault = vault.createStatement()) {
            inVault.execute("UPDATE bisect_account SET balance = 1 WHERE id = 'a-0100'");
            inVault.execute("DELETE FROM bisect_account WHERE id = 'a-0200'");
            inLedger.execute("INSERT INTO bisect_account SELECT 'a-0999', email, balance, updated_at FROM bisect_account"
                    + " WHERE id = 'a-0001'");
            // Written and then written back: no difference.
            inLedger.execute("UPDATE bisect_account SET email = 'someone@example.com' WHERE id = 'a-0300'");
            inLedger.execute("UPDATE bisect_account SET email = ' A-0300@EXAMPLE.COM' WHERE id = 'a-0300'");
        }
        int second = admin().when().post("/admin/reconciliations/accounts-maintained/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("strategyNote", startsWith("ledger: maintained checksums; vault: maintained checksums; "))
                .body("sideA.records", equalTo(500))
                .body("sideB.records", equalTo(498))
                .body("counts.onlyInA", equalTo(3))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(2))
                .extract().path("id");
        List<Map<String, Object>> differences = admin().when().get("/admin/reconciliations/runs/" + second + "/differences")
                .then().statusCode(200).extract().path("");
        assertThat(differences).extracting(d -> d.get("key") + " " + d.get("bucket")).containsExactlyInAnyOrder(
                "a-0007 only_in_a", "a-0200 only_in_a", "a-0999 only_in_a", "a-0013 only_in_b", "a-0021 mismatched",
                "a-0100 mismatched");

        admin().when().delete("/admin/reconciliations/accounts-maintained/checksums")
                .then().statusCode(200)
                .body("dropped.ledger", equalTo(true))
                .body("dropped.vault", equalTo(true));
        assertThat(triggers()).containsExactly(0L, 0L);
        admin().when().delete("/admin/reconciliations/accounts-maintained/checksums")
                .then().statusCode(200)
                .body("dropped.ledger", equalTo(false));
        admin().when().delete("/admin/reconciliations/no-such-job/checksums")
                .then().statusCode(404)
                .body("error", equalTo("not_found"));
        given().when().delete("/admin/reconciliations/accounts-maintained/checksums").then().statusCode(401);
    }

    /** Triggers on the account table in the ledger's database and in the vault's. */
    private static List<Long> triggers() throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL)) {
            return List.of(count(ledger), count(vault));
        }
    }

    private static long count(Connection connection) throws SQLException {
        return ((Number) TestDatabase.rows(connection, "SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = 'bisect_account'::regclass")
                .get(0).get("n")).longValue();
    }
}
