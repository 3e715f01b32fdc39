package io.syncline.reconcile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * A PostgreSQL table reconciled against a Salesforce custom object, pulled with SOQL through the
 * query resource and its nextRecordsUrl (a stub org that follows the REST API's contract): the
 * differences seeded are exactly those reported, whatever the org's formatting (mixed-case
 * e-mails, datetimes with a +0000 offset); an org that stops after its first batch makes the run
 * untrustworthy.
 */
@QuarkusTest
@WithTestResource(ReconcileFixture.class)
class SalesforceReconciliationTest {

    private static final int SUBSCRIBERS = 500;
    private static final Instant OLD = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
    private static final Instant RECENT = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
    /** How Salesforce writes a datetime: milliseconds and an offset without its colon. */
    private static final DateTimeFormatter SALESFORCE_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);

    SalesforceStub salesforce;

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /**
     * 500 subscribers: s-0007 only in the ledger, s-0013 only in Salesforce, s-0021 on another
     * plan, s-0034 at another company (a relationship field, Account__r.Name), s-0089 another
     * e-mail changed ten minutes ago (in flight). Every e-mail in Salesforce as the user typed it.
     */
    @BeforeAll
    static void seedLedger() throws SQLException {
        try (Connection ledger = TestDatabase.connect(); Statement statement = ledger.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS sf_subscriber");
            statement.execute("CREATE TABLE sf_subscriber (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), plan VARCHAR(20),"
                    + " company VARCHAR(100), updated_at TIMESTAMP WITH TIME ZONE)");
            try (PreparedStatement insert = ledger.prepareStatement("INSERT INTO sf_subscriber VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= SUBSCRIBERS; i++) {
                    if (i == 13) {
                        continue;
                    }
                    insert.setString(1, id(i));
                    insert.setString(2, id(i) + "@example.com");
                    insert.setString(3, "monthly");
                    insert.setString(4, "Company " + (i % 7));
                    insert.setTimestamp(5, Timestamp.from(i == 89 ? RECENT : OLD));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            statement.execute("DROP TABLE IF EXISTS sf_prospect");
            statement.execute("CREATE TABLE sf_prospect (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), last_name VARCHAR(100))");
        }
    }

    @BeforeEach
    void seedOrg() {
        TestDatabase.update("DELETE FROM sf_prospect");
        salesforce.records("Contact", List.of());
        List<Map<String, Object>> subscribers = new ArrayList<>();
        for (int i = 1; i <= SUBSCRIBERS; i++) {
            if (i == 7) {
                continue;
            }
            Map<String, Object> subscriber = new LinkedHashMap<>();
            subscriber.put("Id", String.format("a0B%012d", i));
            subscriber.put("Subscriber_Id__c", id(i));
            subscriber.put("Email__c", " " + (i == 89 ? "other-89@example.com" : id(i).toUpperCase() + "@Example.COM") + " ");
            subscriber.put("Plan__c", i == 21 ? "yearly" : "monthly");
            subscriber.put("Account__r", Map.of("Name", i == 34 ? "Elsewhere Ltd" : "Company " + (i % 7)));
            subscriber.put("LastModifiedDate", SALESFORCE_DATETIME.format(i == 89 ? RECENT : OLD));
            subscribers.add(subscriber);
        }
        salesforce.records("Subscriber__c", subscribers);
        salesforce.firstBatchOnly = false;
    }

    private static String id(int i) {
        return String.format("s-%04d", i);
    }

    @Test
    void anAutoFixIntoSalesforceWritesTheLedgersWholeRecordThroughTheRouteTheModelMakes() {
        // the job compares the plan alone, names no fixEndpoint, and the ledger sends no webhook
        int run = admin().when().post("/admin/reconciliations/subscribers-salesforce-fix/runs")
                .then().statusCode(200).body("status", equalTo("ok")).body("counts.onlyInA", equalTo(1))
                .body("counts.fixed", equalTo(1)).extract().path("id");

        Map<String, Object> fix = TestDatabase.query("SELECT inbox_id FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = 's-0007'", run).get(0);
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ? AND status = 'done' AND apply_endpoint = ?", fix.get("inbox_id"),
                "direct:subscriber-ledger-to-sfdc");
        assertThat(salesforce.records("Subscriber__c")).filteredOn(record -> "s-0007".equals(record.get("Subscriber_Id__c")))
                .singleElement().satisfies(record -> assertThat(record)
                        .containsEntry("Email__c", "s-0007@example.com").containsEntry("Plan__c", "monthly")
                        .doesNotContainKey("LastModifiedDate"));
    }

    /** {@code count} contacts of the org keyed by Syncline's id in an external id field, {@code K<from>} on. */
    private static List<Map<String, Object>> prospects(int from, int count) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("Id", String.format("003STUB%08d", i));
            contact.put("Syncline_Id__c", "K" + i);
            contact.put("Email", "k" + i + "@example.com");
            contact.put("LastName", "Prospect " + i);
            contacts.add(contact);
        }
        return contacts;
    }

    @Test
    void anAutoFixFromTheOrgFetchesEachRecordByTheExternalIdKeyAndWritesThemAll() {
        salesforce.records("Contact", prospects(5001, 20));

        int run = admin().when().post("/admin/reconciliations/prospects-from-salesforce/runs")
                .then().statusCode(200).body("status", equalTo("ok")).body("counts.onlyInB", equalTo(20))
                .body("counts.fixed", equalTo(20)).extract().path("id");

        TestDatabase.awaitRows("SELECT 1 FROM sf_prospect HAVING count(*) = 20");
        assertThat(TestDatabase.query("SELECT email, last_name FROM sf_prospect WHERE id = 'K5007'"))
                .containsExactly(Map.of("email", "k5007@example.com", "last_name", "Prospect 5007"));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM reconciliation_difference WHERE run_id = ? AND action = 'fixed'",
                run)).containsExactly(Map.of("n", 20L));
        // Salesforce's sObject Rows by External ID, not the value taken for a record Id
        assertThat(salesforce.calls("GET", "/sobjects/Contact/Syncline_Id__c/K5007")).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(200));
        assertThat(salesforce.calls("GET", "/sobjects/Contact/K5007")).isEmpty();
    }

    @Test
    void aRunThatMakesFewerFixesThanItPlannedIsNotOkAndSaysWhy() {
        List<Map<String, Object>> contacts = prospects(6001, 20);
        salesforce.records("Contact", contacts);
        // a user deletes one in the org between the run's pull and its fix
        salesforce.deleteAfterQuery("Contact", (String) contacts.get(6).get("Id"));

        admin().when().post("/admin/reconciliations/prospects-from-salesforce/runs")
                .then().statusCode(200).body("status", equalTo("fixes_short")).body("counts.onlyInB", equalTo(20))
                .body("counts.fixed", equalTo(19))
                .body("reasons", hasItem(containsString("1 of 20 planned fixes not made")));

        TestDatabase.awaitRows("SELECT 1 FROM sf_prospect WHERE id LIKE 'K60%' HAVING count(*) = 19");
        assertThat(TestDatabase.query("SELECT id FROM sf_prospect WHERE id = 'K6007'")).isEmpty();
    }

    @Test
    void theDifferencesSeededAreExactlyThoseReported() {
        int run = admin().when().post("/admin/reconciliations/subscribers-salesforce/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("sideA.records", equalTo(499))
                .body("sideB.records", equalTo(499))
                .body("sideB.pages", equalTo(3))
                .body("sideB.reachedEnd", equalTo(true))
                .body("counts.onlyInA", equalTo(1))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(2))
                .body("counts.inFlight", equalTo(1))
                .body("counts.equal", equalTo(495))
                .extract().path("id");

        List<Map<String, Object>> differences = admin().when().get("/admin/reconciliations/runs/" + run + "/differences")
                .then().statusCode(200).extract().path("");
        assertThat(differences.stream().map(d -> d.get("key") + " " + d.get("bucket") + " " + d.get("fields")).toList())
                .containsExactlyInAnyOrder(
                        "s-0007 only_in_a null",
                        "s-0013 only_in_b null",
                        "s-0021 mismatched [{\"field\":\"plan\",\"a\":\"monthly\",\"b\":\"yearly\"}]",
                        "s-0034 mismatched [{\"field\":\"company\",\"a\":\"Company 6\",\"b\":\"Elsewhere Ltd\"}]");
        assertThat(salesforce.queries).contains(
                "SELECT Subscriber_Id__c, Email__c, Plan__c, Account__r.Name, LastModifiedDate FROM Subscriber__c");
    }

    @Test
    void anOrgThatStopsAfterItsFirstBatchMakesTheRunUntrustworthy() {
        salesforce.firstBatchOnly = true;

        admin().when().post("/admin/reconciliations/subscribers-salesforce/runs")
                .then().statusCode(200)
                .body("status", equalTo("untrustworthy"))
                .body("sideB.records", equalTo(200))
                .body("reasons", hasItem(containsString("499")));
    }
}
