package io.syncline.connector.salesforce;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRM contacts through the webhook, the durable inbox and the apply template into a Salesforce
 * org's contacts (a stub that follows the REST API's contracts), through Camel's Salesforce
 * component: a new contact upserted by its CRM id, a change updated at its Salesforce id; a
 * backlog written through sObject Collections, 200 records a call, one record Salesforce refuses
 * a dead letter with its errorCode while the others are applied; an expired session renewed by
 * one login; a 503 waited out. Each record's audit entry names the
 * Salesforce call and its outcome.
 */
@QuarkusTest
@TestProfile(SalesforceTargetFlowTest.FullCollections.class)
@WithTestResource(SalesforceStubResource.class)
class SalesforceTargetFlowTest {

    static final String WEBHOOK = "/webhooks/crm/contacts";

    /**
     * Quick retries; one worker claiming 200 events and applying them in one batch, so that a
     * backlog goes to Salesforce in full sObject Collections calls (docs/connectors/salesforce.md).
     */
    public static class FullCollections implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "2s",
                    "syncline.inbox.max-attempts", "6",
                    "syncline.inbox.workers", "1",
                    "syncline.inbox.batch-size", "200",
                    "syncline.inbox.apply-batch.max-events", "200");
        }
    }

    SalesforceStub salesforce;

    static long accept(Map<String, Object> contact) {
        Integer inboxId = given().contentType(ContentType.JSON).body(contact)
                .when().post(WEBHOOK)
                .then().statusCode(202)
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    static Map<String, Object> contact(String id, String lastName) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", id + "@example.com");
        contact.put("firstName", "Ada");
        contact.put("lastName", lastName);
        return contact;
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(SalesforceStubResource.DATABASE_URL, sql, parameters);
    }

    private static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL, sql, parameters);
    }

    static String finalStatus(long inboxId) {
        return (String) awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')", inboxId)
                .get(0).get("status");
    }

    private static void awaitDone(List<Long> ids) {
        awaitRows("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead') HAVING count(*) = ?",
                ids.toArray(Long[]::new), (long) ids.size());
    }

    private Map<String, Object> salesforceContact(String crmId) {
        return salesforce.records("Contact").stream().filter(record -> crmId.equals(record.get("Crm_Id__c")))
                .findFirst().orElseThrow(() -> new AssertionError("no Salesforce contact of CRM id " + crmId));
    }

    static String salesforceId(String crmId) {
        return (String) awaitRows("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'sfdc'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm'"
                + " AND system_id = ?)", crmId).get(0).get("system_id");
    }

    private static List<String> auditDetails(long inboxId) {
        return query("SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log WHERE inbox_id = ?"
                + " AND target_system = 'sfdc' ORDER BY id", inboxId).stream().map(row -> (String) row.get("line")).toList();
    }

    @Test
    void aContactIsUpsertedByItsCrmIdThenUpdatedAtItsSalesforceId() {
        String id = "c-" + UUID.randomUUID();

        long created = accept(contact(id, "Lovelace"));
        assertThat(finalStatus(created)).isEqualTo("done");

        String salesforceId = salesforceId(id);
        assertThat(salesforceId).startsWith("003");
        assertThat(salesforceContact(id)).containsEntry("Id", salesforceId).containsEntry("Email", id + "@example.com")
                .containsEntry("LastName", "Lovelace");
        assertThat(salesforce.calls("PATCH", "/sobjects/Contact/Crm_Id__c/" + id)).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(201));
        assertThat(auditDetails(created)).singleElement().asString().startsWith("created")
                .contains("salesforce upsertSObject Contact Crm_Id__c=" + id + ": created " + salesforceId);

        long updated = accept(contact(id, "King"));
        assertThat(finalStatus(updated)).isEqualTo("done");

        assertThat(salesforceContact(id)).containsEntry("LastName", "King");
        assertThat(salesforce.calls("PATCH", "/sobjects/Contact/" + salesforceId)).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(204));
        assertThat(auditDetails(updated)).singleElement().asString().startsWith("updated")
                .contains("salesforce updateSObject Contact " + salesforceId + ": updated");
    }

    @Test
    void anExpiredSessionIsRenewedByOneLoginAndTheWriteSentAgain() {
        String id = "c-" + UUID.randomUUID();
        assertThat(finalStatus(accept(contact(id, "Before")))).isEqualTo("done");
        int logins = salesforce.logins.size();
        salesforce.expireSessions();

        long updated = accept(contact(id, "After"));

        assertThat(finalStatus(updated)).isEqualTo("done");
        assertThat(salesforce.logins).hasSize(logins + 1).last().isEqualTo("client_credentials");
        assertThat(salesforce.calls("PATCH", "/sobjects/Contact/" + salesforceId(id)))
                .extracting(SalesforceStub.Call::status).containsExactly(401, 204);
        assertThat(salesforceContact(id)).containsEntry("LastName", "After");
        assertThat((Integer) query("SELECT attempts FROM inbox WHERE id = ?", updated).get(0).get("attempts")).isEqualTo(1);
    }

    @Test
    void aServiceUnavailableIsWaitedOutThenTheContactIsApplied() {
        String id = "c-" + UUID.randomUUID();
        salesforce.unavailableFor(1);

        long unavailable = accept(contact(id, "Unavailable"));

        // the org's daily limit (REQUEST_LIMIT_EXCEEDED) waits for midnight instead: SalesforceBudgetFlowTest
        assertThat(finalStatus(unavailable)).isEqualTo("done");
        assertThat(salesforce.calls("PATCH", "/sobjects/Contact/Crm_Id__c/" + id)).extracting(SalesforceStub.Call::status)
                .containsExactly(503, 201);
        assertThat(salesforceContact(id)).containsEntry("LastName", "Unavailable");
    }

    @Test
    void aRecordSalesforceRefusesInACollectionIsADeadLetterWithItsErrorCodeAndTheOthersAreApplied() {
        String run = "partial-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> contacts = IntStream.range(0, 10)
                .mapToObj(i -> contact(run + "-" + i, i == 3 ? "" : "Backlog")).toList();
        int callsBefore = salesforce.calls.size();

        List<Long> ids = InboxBacklog.storeIn(SalesforceStubResource.DATABASE_URL, "sfdc", contacts);
        awaitDone(ids);

        // one upsert call for the ten; the refused record's event fails alone at once, the others
        // are recorded from the call's results without a second write
        List<SalesforceStub.Call> calls = salesforce.calls.subList(callsBefore, salesforce.calls.size());
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/composite/sobjects/Contact/Crm_Id__c");
            assertThat(call.records()).isEqualTo(10);
        });
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> inbox = query("SELECT status, attempts FROM inbox WHERE id = ?", ids.get(i)).get(0);
            assertThat(inbox.get("status")).as("contact %d", i).isEqualTo(i == 3 ? "dead" : "done");
        }
        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + run + "-3%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("REQUIRED_FIELD_MISSING").contains("LastName");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(salesforce.records("Contact").stream().filter(record -> String.valueOf(record.get("Crm_Id__c")).startsWith(run)))
                .hasSize(9);
        assertThat(auditDetails(ids.get(0))).singleElement().asString().startsWith("created")
                .contains("salesforce sObject Collections upsert Contact by Crm_Id__c (10 records) (its batch's call): created 003");
    }

    @Test
    void aThousandQueuedUpdatesAreWrittenInAtMostFiveCollectionCalls() {
        String run = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> created = IntStream.range(0, 1000).mapToObj(i -> contact(run + "-" + i, "First")).toList();
        awaitDone(InboxBacklog.storeIn(SalesforceStubResource.DATABASE_URL, "sfdc", created));
        int callsBefore = salesforce.calls.size();

        List<Map<String, Object>> changed = IntStream.range(0, 1000).mapToObj(i -> contact(run + "-" + i, "Second")).toList();
        List<Long> ids = InboxBacklog.storeIn(SalesforceStubResource.DATABASE_URL, "sfdc", changed);
        awaitDone(ids);

        List<SalesforceStub.Call> calls = salesforce.calls.subList(callsBefore, salesforce.calls.size());
        assertThat(calls).hasSizeLessThanOrEqualTo(5)
                .allSatisfy(call -> assertThat(call.method() + " " + call.path()).isEqualTo("PATCH /composite/sobjects"));
        assertThat(calls.stream().mapToInt(SalesforceStub.Call::records).sum()).isEqualTo(1000);
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(1000L);
        assertThat(salesforce.records("Contact").stream().filter(record -> String.valueOf(record.get("Crm_Id__c")).startsWith(run)))
                .hasSize(1000).allSatisfy(record -> assertThat(record).containsEntry("LastName", "Second"));
    }

    private static void employee(String id, String accountId) {
        given().contentType(ContentType.JSON).body(Map.of("id", id, "lastName", "Employee", "accountId", accountId))
                .when().post("/webhooks/crm/employees").then().statusCode(202);
    }

    @Test
    void anEmployeesAccountIsWrittenAsTheContactsAccountIdAndMovedWithIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String first = salesforce.create("Account", Map.of("Name", "First " + run));
        String second = salesforce.create("Account", Map.of("Name", "Second " + run));
        LinkedRecords.link(SalesforceStubResource.DATABASE_URL, "account", "crm", "acc1-" + run, "sfdc", first);
        LinkedRecords.link(SalesforceStubResource.DATABASE_URL, "account", "crm", "acc2-" + run, "sfdc", second);

        employee("e-" + run, "acc1-" + run);
        // the CRM's account id written as the org's Id of the Account, in the upsert by the CRM id
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Contact").stream()
                .anyMatch(contact -> ("e-" + run).equals(contact.get("Crm_Id__c")) && first.equals(contact.get("AccountId"))));

        employee("e-" + run, "acc2-" + run);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Contact").stream()
                .anyMatch(contact -> ("e-" + run).equals(contact.get("Crm_Id__c")) && second.equals(contact.get("AccountId"))));
        assertThat(salesforce.records("Contact")).filteredOn(contact -> ("e-" + run).equals(contact.get("Crm_Id__c"))).hasSize(1);
    }

    /** Posts an employee of the CRM naming its account, and waits until Salesforce has it with {@code accountId}'s Id. */
    static void employeeLanded(SalesforceStub salesforce, String id, String crmAccount, String salesforceAccount) {
        employee(id, crmAccount);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Contact").stream()
                .anyMatch(contact -> id.equals(contact.get("Crm_Id__c")) && salesforceAccount.equals(contact.get("AccountId"))));
    }
}
