package io.syncline.connector.salesforce;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real-time events bound for a Salesforce org whose daily call budget is spent wait in the inbox
 * until the next UTC midnight; those bound for an org that answered REQUEST_LIMIT_EXCEEDED with its
 * daily allocation spent (its limits say so), until its limits are read again: pending, no attempt
 * counted, no dead letter; the org sees no call beyond the budget; readiness and the metrics say
 * so. Retries are quick and few here, so that an event treated as an ordinary failure would be a
 * dead letter within seconds.
 */
@QuarkusTest
@TestProfile(SalesforceBudgetFlowTest.FewQuickRetries.class)
@WithTestResource(value = SalesforceStubResource.class, initArgs = {
        @ResourceArg(name = SalesforceStubResource.ROUTES, value = "src/test/resources/salesforce-budget-routes"),
        @ResourceArg(name = SalesforceStubResource.DATABASE, value = "_salesforce_budget")})
class SalesforceBudgetFlowTest {

    static final String URL = TestDatabase.siblingUrl("_salesforce_budget");

    public static class FewQuickRetries implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.retry-delay", "100ms", "syncline.inbox.max-retry-delay", "500ms",
                    "syncline.inbox.max-attempts", "2", "syncline.inbox.workers", "1");
        }
    }

    SalesforceStub salesforce;

    private static long accept(String path, String id) {
        Integer inboxId = given().contentType(ContentType.JSON).body(Map.of("id", id, "lastName", "Budget"))
                .when().post(path)
                .then().statusCode(202)
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    /** The event's row once it is done, or waits for the next UTC midnight. */
    private static Map<String, Object> settled(long inboxId) {
        OffsetDateTime midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        return TestDatabase.awaitRowsOn(URL, "SELECT status, attempts, last_error FROM inbox WHERE id = ?"
                + " AND (status IN ('done', 'dead') OR (status = 'pending' AND next_attempt_at = ?))", inboxId, midnight).get(0);
    }

    private static long rows(String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(URL, sql, parameters).get(0).get("n")).longValue();
    }

    @Test
    void eventsPastTheDailyBudgetWaitInTheInboxUntilMidnightAndTheOrgSeesNoMoreCalls() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> settled = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            settled.add(settled(accept("/webhooks/crm/contacts", run + "-" + i)));
        }

        // a login and two upserts spend the 3 calls; the other three events wait, pending, their attempt not counted
        assertThat(settled).extracting(row -> row.get("status")).containsExactly("done", "done", "pending", "pending", "pending");
        assertThat(settled.subList(2, 5)).allSatisfy(row -> {
            assertThat(((Number) row.get("attempts")).intValue()).isZero();
            assertThat((String) row.get("last_error")).contains("daily call budget of 3 is spent");
        });
        assertThat(salesforce.records("Contact")).filteredOn(record -> String.valueOf(record.get("Crm_Id__c")).startsWith(run))
                .hasSize(2);
        assertThat(rows("SELECT count(*) AS n FROM dead_letter")).isZero();
        assertThat(rows("SELECT calls AS n FROM salesforce_call_budget WHERE system_name = 'sfdc' AND kind = '*'")).isEqualTo(3);

        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-salesforce' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'syncline-salesforce' }.data.'system.sfdc.remaining'", org.hamcrest.Matchers.equalTo(0))
                .body("checks.find { it.name == 'syncline-salesforce' }.data.'system.sfdc.waiting-until'",
                        org.hamcrest.Matchers.endsWith("T00:00:00Z"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("syncline_salesforce_calls_total{kind=\"upsert\",system=\"sfdc\"} 2.0")
                .contains("syncline_salesforce_budget_remaining{system=\"sfdc\"} 0.0");
    }

    @Test
    void aSpentDailyAllocationMakesEventsWaitForTheOrgsLimitsNotForMidnightNorAsDeadLetters() {
        String id = "lead-" + UUID.randomUUID();
        salesforce.requestLimitExceeded = true;
        try {
            Map<String, Object> row = TestDatabase.awaitRowsOn(URL, "SELECT status, attempts, last_error,"
                    + " next_attempt_at BETWEEN now() + interval '3 minutes' AND now() + interval '6 minutes' AS minutes_away FROM inbox"
                    + " WHERE id = ? AND (status IN ('done', 'dead') OR (status = 'pending' AND last_error IS NOT NULL))",
                    accept("/webhooks/crm/leads", id)).get(0);

            // the org's limits say its allocation is spent: the event waits for their next reading, minutes away
            assertThat(row.get("status")).isEqualTo("pending");
            assertThat(((Number) row.get("attempts")).intValue()).isZero();
            assertThat((String) row.get("last_error")).contains("REQUEST_LIMIT_EXCEEDED").contains("no daily API requests remain");
            assertThat(row.get("minutes_away")).isEqualTo(true);
            assertThat(salesforce.limitReads).hasPositiveValue();
        } finally {
            salesforce.requestLimitExceeded = false;
        }
        // until then the org's calls wait: the next lead waits too, without a call
        int calls = salesforce.calls.size();
        Map<String, Object> next = TestDatabase.awaitRowsOn(URL, "SELECT status FROM inbox WHERE id = ? AND status = 'pending'"
                + " AND last_error IS NOT NULL", accept("/webhooks/crm/leads", id + "-next")).get(0);
        assertThat(next.get("status")).isEqualTo("pending");
        assertThat(salesforce.calls).hasSize(calls);
        assertThat(rows("SELECT count(*) AS n FROM dead_letter")).isZero();
    }
}
