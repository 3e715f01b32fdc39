package io.syncline.reconcile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Checksum bisection between two PostgreSQL databases (the ledger's table in the test database,
 * the vault's in a database of its own), 1,999 members a side, with a known difference of every
 * kind: it finds exactly the differences a full pull finds, pulling six records a side instead
 * of 1,999; and a contract PostgreSQL cannot follow makes the run pull in full and say why.
 */
@QuarkusTest
@WithTestResource(ReconcileFixture.class)
class BisectionReconciliationTest {

    private static final int MEMBERS = 2000;
    private static final Instant OLD = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MICROS);
    private static final Instant RECENT = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MICROS);
    /** No unique key: a key held twice must be found by both strategies. */
    private static final String TABLE = "CREATE TABLE bisect_member (id VARCHAR(20) NOT NULL, email VARCHAR(100),"
            + " name VARCHAR(100), tier VARCHAR(20), points INTEGER, updated_at TIMESTAMP WITH TIME ZONE)";

    private static final List<String> EXPECTED = List.of(
            "m-0007 only_in_a null",
            "m-0013 only_in_b null",
            "m-0021 mismatched [{\"field\":\"email\",\"a\":\"m-0021@example.com\",\"b\":\"other-21@example.com\"}]",
            "m-0144 mismatched [{\"field\":\"tier\",\"a\":null,\"b\":\"gold\"}]",
            "m-0233 mismatched [{\"field\":\"points\",\"a\":233,\"b\":234}]");

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /**
     * The ledger writes e-mails in mixed case with spaces around (its contract trims and lower-cases
     * them); the vault holds them normalised. Besides: m-0007 only in the ledger, m-0013 only in the
     * vault, m-0021 another e-mail, m-0144 a tier only the vault has, m-0233 other points, m-0089
     * another e-mail changed ten minutes ago (in flight), and m-0055 a name with a trailing tab,
     * which PostgreSQL's trim keeps and the contract's strips: pulled, then found equal.
     */
    @BeforeAll
    static void seed() throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL)) {
            for (Connection connection : List.of(ledger, vault)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS bisect_member");
                    statement.execute(TABLE);
                }
            }
            try (PreparedStatement a = ledger.prepareStatement("INSERT INTO bisect_member VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement b = vault.prepareStatement("INSERT INTO bisect_member VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= MEMBERS; i++) {
                    String id = String.format("m-%04d", i);
                    Instant at = i == 89 ? RECENT : OLD;
                    if (i != 13) {
                        add(a, id, " " + id.toUpperCase() + "@Example.COM ", "Name " + i + (i == 55 ? "\t" : ""),
                                i == 144 ? null : "silver", i, at);
                    }
                    if (i != 7) {
                        add(b, id, i == 21 || i == 89 ? "other-" + i + "@example.com" : id + "@example.com", "Name " + i,
                                i == 144 ? "gold" : "silver", i == 233 ? 234 : i, at);
                    }
                }
                a.executeBatch();
                b.executeBatch();
            }
        }
    }

    private static void add(PreparedStatement insert, String id, String email, String name, String tier, int points, Instant at)
            throws SQLException {
        insert.setString(1, id);
        insert.setString(2, email);
        insert.setString(3, name);
        insert.setString(4, tier);
        insert.setInt(5, points);
        insert.setTimestamp(6, Timestamp.from(at));
        insert.addBatch();
    }

    @Test
    void bisectionFindsExactlyTheDifferencesOfAFullPullAndPullsOnlyTheKeysThatDiffer() {
        int full = run("members-full", "full", 1999);
        int bisection = run("members-bisection", "bisection", 6);

        assertThat(differences(bisection)).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(differences(full)).containsExactlyInAnyOrderElementsOf(EXPECTED);
        admin().when().get("/admin/reconciliations/runs/" + bisection).then().statusCode(200)
                .body("strategyNote", containsString("segments"))
                .body("strategyNote", containsString("6 / 6 keys to pull"));
        admin().when().get("/admin/reconciliations/runs/" + full).then().statusCode(200)
                .body("strategyNote", nullValue());
    }

    @Test
    void aContractOnlyJavaCanComputePullsInFullAndSaysWhy() {
        int legacy = run("members-legacy", "full", 1999);

        admin().when().get("/admin/reconciliations/runs/" + legacy).then().statusCode(200)
                .body("strategyNote", equalTo("pulled in full: ledger_legacy field email uses the email transform,"
                        + " which only Java computes"));
        assertThat(differences(legacy)).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void aKeyTheLedgerHoldsTwiceMakesEitherStrategyUntrustworthy() throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Statement statement = ledger.createStatement()) {
            statement.execute("INSERT INTO bisect_member SELECT * FROM bisect_member WHERE id = 'm-0550'");
            try {
                for (String job : List.of("members-full", "members-bisection")) {
                    admin().when().post("/admin/reconciliations/" + job + "/runs")
                            .then().statusCode(200)
                            .body("status", equalTo("untrustworthy"))
                            .body("sideA.notStaged", equalTo(1))
                            .body("reasons", org.hamcrest.Matchers.hasItem(
                                    "side A (ledger) returned 1 records twice or without a key (pages shifted while reading?)"));
                }
            } finally {
                statement.execute("DELETE FROM bisect_member WHERE ctid IN (SELECT ctid FROM bisect_member WHERE id = 'm-0550' LIMIT 1)");
            }
        }
    }

    @Test
    void differencesInMoreThanATenthOfTheRecordsMakeBisectionPullInFull() throws SQLException {
        try (Connection vault = TestDatabase.connect(ReconcileFixture.VAULT_URL); Statement statement = vault.createStatement()) {
            statement.execute("UPDATE bisect_member SET tier = 'bronze' WHERE id <= 'm-0300' AND tier = 'silver'");
            try {
                admin().when().post("/admin/reconciliations/members-bisection/runs")
                        .then().statusCode(200)
                        .body("status", equalTo("ok"))
                        .body("strategy", equalTo("full"))
                        // the differing segments hold the 300 differing members and whoever shares a segment with them
                        .body("strategyNote", org.hamcrest.Matchers.matchesPattern("pulled in full: the segments whose checksums differ"
                                + " hold [3-9][0-9][0-9] of 1999 records \\(the limits are 10% and 100000\\): pulling everything costs less"))
                        .body("sideA.pulled", equalTo(1999))
                        .body("sideB.pulled", equalTo(1999))
                        // every member up to m-0300 both sides hold, but m-0089 in flight
                        .body("counts.mismatched", equalTo(297))
                        .body("counts.onlyInA", equalTo(1))
                        .body("counts.onlyInB", equalTo(1));
            } finally {
                statement.execute("UPDATE bisect_member SET tier = 'silver' WHERE tier = 'bronze'");
            }
        }
    }

    /** Runs the job; whatever it pulled, the counts are those of the seeded data. */
    private static int run(String job, String strategy, int pulledPerSide) {
        return admin().when().post("/admin/reconciliations/" + job + "/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("strategy", equalTo(strategy))
                .body("sideA.records", equalTo(1999))
                .body("sideB.records", equalTo(1999))
                .body("sideA.pulled", equalTo(pulledPerSide))
                .body("sideB.pulled", equalTo(pulledPerSide))
                .body("sideA.notStaged", equalTo(0))
                .body("counts.onlyInA", equalTo(1))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(3))
                .body("counts.inFlight", equalTo(1))
                .body("counts.equal", equalTo(1994))
                .extract().path("id");
    }

    private static List<String> differences(int runId) {
        List<Map<String, Object>> differences = admin().when().get("/admin/reconciliations/runs/" + runId + "/differences")
                .then().statusCode(200).extract().path("");
        return differences.stream().map(d -> d.get("key") + " " + d.get("bucket") + " " + d.get("fields")).toList();
    }
}
