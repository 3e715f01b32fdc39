package io.syncline.connector.salesforce;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The scenario users run (src/test/resources/salesforce-scenario-routes): billing's customers on
 * PostgreSQL and an org's contacts, in real time both ways, then a reconciliation. A customer made
 * in billing is upserted into the org by its number; the org's change event of that write comes
 * back and is recognised as an echo; an edit in the org reaches billing through Change Data
 * Capture; a customer billing made while its webhook was lost is found by the reconciliation
 * and billing's whole record written into the org. Every Salesforce call is
 * named with its outcome in the audit trail.
 */
@QuarkusTest
@WithTestResource(value = SalesforceStubResource.class, initArgs = {
        @ResourceArg(name = SalesforceStubResource.ROUTES, value = "src/test/resources/salesforce-scenario-routes"),
        @ResourceArg(name = SalesforceStubResource.DATABASE, value = "_salesforce_scenario"),
        @ResourceArg(name = SalesforceStubResource.CHANGE_DATA_CAPTURE, value = "Contact")})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SalesforceScenarioTest {

    private static final String DATABASE = TestDatabase.siblingUrl("_salesforce_scenario");

    SalesforceStub salesforce;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sf_scn_billing_customer (customer_no VARCHAR(40) PRIMARY KEY,"
                    + " email VARCHAR(200), last_name VARCHAR(200))");
        }
    }

    /** Camel's streaming client may throw on its own threads while a session is renewed: not the test's failures. */
    private static ConditionFactory within(Duration duration) {
        return await().atMost(duration).dontCatchUncaughtExceptions();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private Map<String, Object> contact(String customer) {
        return salesforce.records("Contact").stream().filter(record -> customer.equals(record.get("Crm_Id__c")))
                .findFirst().orElse(null);
    }

    private void awaitCapturing() {
        within(Duration.ofSeconds(60)).until(() -> {
            Object health = given().get("/q/health/ready").then().extract()
                    .path("checks.find { it.name == 'syncline-captures' }.data['capture.customer_sfdc']");
            return String.valueOf(health).startsWith("capturing");
        });
        within(Duration.ofSeconds(30)).until(() -> salesforce.subscriptions().stream()
                .anyMatch(subscription -> "/data/ContactChangeEvent".equals(subscription.get("channel"))));
    }

    /**
     * A customer billing adds and sends by webhook, upserted into the org by billing's number; the
     * org's event of that write has come back as an echo. The contact's Id.
     */
    private String billedAndSynced(String customer, String email, String lastName) {
        TestDatabase.queryOn(DATABASE, "INSERT INTO sf_scn_billing_customer VALUES (?, ?, ?) RETURNING customer_no",
                customer, email, lastName);
        given().contentType("application/json").body(Map.of("customer_no", customer, "email", email,
                "last_name", lastName)).post("/webhooks/billing/customers").then().statusCode(202);
        within(Duration.ofSeconds(30)).until(() -> contact(customer) != null);
        String id = (String) contact(customer).get("Id");
        within(Duration.ofSeconds(30)).until(() -> !query("SELECT 1 FROM audit_log WHERE source_system = 'sfdc'"
                + " AND source_id = ? AND action = 'echo'", id).isEmpty());
        return id;
    }

    @Test
    @Order(1)
    void customersSyncBothWaysAndAReconciliationMendsTheOrgsDrift() {
        awaitCapturing();

        // billing -> org: upserted by billing's number; the org's event of that write is an echo, not a change
        String id = billedAndSynced("C-100", "ada@example.com", "Lovelace");
        assertThat(query("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND source_id = ?"
                + " AND action IN ('created', 'updated')", id)).containsExactly(Map.of("n", 0L));

        // org -> billing: a user's edit arrives through Change Data Capture
        salesforce.edit("Contact", id, Map.of("LastName", "King"));
        within(Duration.ofSeconds(30)).until(() -> query("SELECT last_name FROM sf_scn_billing_customer WHERE customer_no = 'C-100'")
                .equals(List.of(Map.of("last_name", "King"))));

        // drift: a customer billing made while its webhook was not delivered; the run finds it only in billing and
        // writes billing's whole record into the org
        TestDatabase.queryOn(DATABASE, "INSERT INTO sf_scn_billing_customer VALUES ('C-200', 'grace@example.com', 'Hopper')"
                + " RETURNING customer_no");
        int run = given().auth().preemptive().basic("admin", "test-only-password")
                .when().post("/admin/reconciliations/customers-billing-sfdc/runs")
                .then().statusCode(200).body("status", equalTo("ok")).body("counts.onlyInA", equalTo(1))
                .body("counts.mismatched", equalTo(0)).body("counts.fixed", equalTo(1)).extract().path("id");
        Object fix = query("SELECT inbox_id FROM reconciliation_difference WHERE run_id = ? AND record_key = 'C-200'", run)
                .get(0).get("inbox_id");
        within(Duration.ofSeconds(30)).until(() -> !query("SELECT 1 FROM inbox WHERE id = ? AND status IN ('done', 'dead')", fix)
                .isEmpty());
        assertThat(query("SELECT status FROM inbox WHERE id = ?", fix)).containsExactly(Map.of("status", "done"));
        within(Duration.ofSeconds(30)).until(() -> contact("C-200") != null);
        assertThat(contact("C-200")).containsEntry("LastName", "Hopper").containsEntry("Email", "grace@example.com");
        String fixed = (String) contact("C-200").get("Id");

        // the audit trail names each call to the org and what it did
        List<Map<String, Object>> calls = query("SELECT target_id, detail FROM audit_log WHERE target_system = 'sfdc'"
                + " AND action IN ('created', 'updated') ORDER BY id");
        assertThat(calls).extracting(call -> call.get("target_id")).containsExactly(id, fixed);
        assertThat((String) calls.get(0).get("detail")).contains("salesforce upsertSObject Contact Crm_Id__c=C-100: created");
        assertThat((String) calls.get(1).get("detail")).contains("salesforce upsertSObject Contact Crm_Id__c=C-200: created");
    }

    @Test
    @Order(2)
    void aContactTheOrgLostIsWrittenAgainByTheFixAndLinkedAnew() {
        awaitCapturing();
        String lost = billedAndSynced("C-300", "edsger@example.com", "Dijkstra");

        // the org loses the contact, and no event of it reaches Syncline: the ID map and the record state
        // still say the org holds it as written
        salesforce.lose("Contact", lost);
        int run = given().auth().preemptive().basic("admin", "test-only-password")
                .when().post("/admin/reconciliations/customers-billing-sfdc/runs")
                .then().statusCode(200).body("status", equalTo("ok")).body("counts.onlyInA", equalTo(1))
                .body("counts.fixed", equalTo(1)).extract().path("id");
        Object fix = query("SELECT inbox_id FROM reconciliation_difference WHERE run_id = ? AND record_key = 'C-300'", run)
                .get(0).get("inbox_id");
        within(Duration.ofSeconds(30)).until(() -> !query("SELECT 1 FROM inbox WHERE id = ? AND status IN ('done', 'dead')", fix)
                .isEmpty());
        assertThat(query("SELECT status FROM inbox WHERE id = ?", fix)).containsExactly(Map.of("status", "done"));

        // written again, and the ID map links the new contact; the old link is audited as forgotten
        within(Duration.ofSeconds(30)).until(() -> contact("C-300") != null);
        assertThat(contact("C-300")).containsEntry("LastName", "Dijkstra").containsEntry("Email", "edsger@example.com");
        String written = (String) contact("C-300").get("Id");
        assertThat(written).isNotEqualTo(lost);
        assertThat(query("SELECT sf.system_id FROM id_map sf JOIN id_map b ON b.entity = sf.entity"
                + " AND b.canonical_id = sf.canonical_id WHERE b.system = 'billing' AND b.system_id = 'C-300'"
                + " AND sf.system = 'sfdc'")).containsExactly(Map.of("system_id", written));
        assertThat(query("SELECT action FROM audit_log WHERE target_system = 'sfdc' AND target_id = ? ORDER BY id", lost))
                .extracting(row -> row.get("action")).contains("unlinked");
        // the org's event of that write is still known for Syncline's own: an echo, not a change
        within(Duration.ofSeconds(30)).until(() -> !query("SELECT 1 FROM audit_log WHERE source_system = 'sfdc'"
                + " AND source_id = ? AND action = 'echo'", written).isEmpty());
        assertThat(query("SELECT count(*) AS n FROM audit_log WHERE source_system = 'sfdc' AND source_id = ?"
                + " AND action IN ('created', 'updated')", written)).containsExactly(Map.of("n", 0L));
    }
}
