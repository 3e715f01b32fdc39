package io.syncline.connector.salesforce;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordStateRepository;
import io.syncline.sync.ParentsByExternalId;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A member names its company in Salesforce by the company's external id, the Contact's relationship
 * {@code "Account": {"Ext_Id__c": …}} ({@code externalId} in the mapping), written in a single
 * upsert and in an sObject Collections call, and Salesforce's answer for an Account it does not
 * have: a wait while the company is not linked in the org, a dead letter naming Salesforce's error
 * where it was linked and is gone. On the profile and stub of {@link SalesforceTargetFlowTest}, so
 * Quarkus starts once for both; in-process (the ID map is the application's bean), so not part of
 * an IT.
 */
@QuarkusTest
@TestProfile(SalesforceTargetFlowTest.FullCollections.class)
@WithTestResource(SalesforceStubResource.class)
class SalesforceRelationshipByExternalIdTest {

    SalesforceStub salesforce;

    @Inject
    IdMapRepository idMap;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @Inject
    RecordStateRepository states;

    private static void company(String id, String name) {
        given().contentType(ContentType.JSON).body(Map.of("id", id, "name", name))
                .when().post("/webhooks/crm/companies").then().statusCode(202);
    }

    private static void member(String id, String lastName, String companyId) {
        given().contentType(ContentType.JSON).body(Map.of("id", id, "lastName", lastName, "companyId", companyId))
                .when().post("/webhooks/crm/members").then().statusCode(202);
    }

    private String account(String externalId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.records("Account").stream()
                .anyMatch(account -> externalId.equals(account.get("Ext_Id__c"))));
        return salesforce.records("Account").stream().filter(account -> externalId.equals(account.get("Ext_Id__c")))
                .map(account -> (String) account.get("Id")).findFirst().orElseThrow();
    }

    private Map<String, Object> contact(String crmId) {
        return salesforce.records("Contact").stream().filter(contact -> crmId.equals(contact.get("Crm_Id__c"))).findFirst()
                .orElse(Map.of());
    }

    @Test
    void aMemberNamesItsCompanyByTheCompanysExternalIdAloneAndInACollection() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        company("co1-" + run, "First " + run);
        company("co2-" + run, "Second " + run);
        String first = account("co1-" + run);
        String second = account("co2-" + run);

        member("m-" + run, "Alone", "co1-" + run);
        // Salesforce resolved Account.Ext_Id__c to the Account's Id in the lookup
        await().atMost(Duration.ofSeconds(30)).until(() -> first.equals(contact("m-" + run).get("AccountId")));
        member("m-" + run, "Moved", "co2-" + run);
        await().atMost(Duration.ofSeconds(30)).until(() -> second.equals(contact("m-" + run).get("AccountId")));

        // a backlog of five, one batch: one sObject Collections upsert carrying each relationship
        int callsBefore = salesforce.calls.size();
        InboxBacklog.storeIn(SalesforceStubResource.DATABASE_URL, "member", "crm", "sfdc", IntStream.range(0, 5)
                .mapToObj(i -> Map.<String, Object>of("id", "b" + i + "-" + run, "lastName", "Batch", "companyId",
                        "co" + (i % 2 + 1) + "-" + run))
                .toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, 5)
                .allMatch(i -> (i % 2 == 0 ? first : second).equals(contact("b" + i + "-" + run).get("AccountId"))));
        // a copy: the org's stub may still answer calls of other records meanwhile (the list grows as it does)
        List<SalesforceStub.Call> calls = List.copyOf(salesforce.calls);
        assertThat(calls.subList(callsBefore, calls.size())).filteredOn(call -> call.path().contains("/Contact"))
                .singleElement().satisfies(call -> {
                    assertThat(call.method() + " " + call.path()).isEqualTo("PATCH /composite/sobjects/Contact/Crm_Id__c");
                    assertThat(call.records()).isEqualTo(5);
                });
    }

    @Test
    void aMemberWaitsWhileItsCompanyIsNotInTheOrgAndLandsOnceItIs() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        company("co-" + run, "Lost " + run);
        String lost = account("co-" + run);
        // the org lost the Account and the ID map forgot its link, as a reconciliation does before a fix
        String canonical = (String) TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL, "SELECT canonical_id FROM id_map"
                + " WHERE entity = 'company' AND system = 'crm' AND system_id = ?", "co-" + run).get(0).get("canonical_id");
        salesforce.delete("Account", lost);
        try (Connection connection = TestDatabase.connect(SalesforceStubResource.DATABASE_URL)) {
            assertThat(idMap.unlink(connection, "company", canonical, "sfdc", lost)).isTrue();
        }

        member("w-" + run, "Waiting", "co-" + run);
        // written by the external id, refused by the org, and waiting: pending between its tries (each of which
        // claims it), no attempt counted, never a dead letter
        List<Map<String, Object>> waiting = TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL,
                "SELECT status, attempts, last_error FROM inbox WHERE payload LIKE ? AND last_error LIKE 'waiting for parent: %'"
                        + " AND status = 'pending'",
                "%w-" + run + "%");
        assertThat(waiting).singleElement().satisfies(row -> {
            assertThat((String) row.get("last_error")).contains("member.company names company co-" + run + " of crm by Ext_Id__c")
                    .contains("INVALID_FIELD: Foreign key external ID: co-" + run + " not found for field Ext_Id__c in entity Account");
        });
        assertThat(contact("w-" + run)).isEmpty();

        company("co-" + run, "Found " + run); // the company's next change upserts it into the org again
        String found = account("co-" + run);
        await().atMost(Duration.ofSeconds(30)).until(() -> found.equals(contact("w-" + run).get("AccountId")));
        assertThat(TestDatabase.queryOn(SalesforceStubResource.DATABASE_URL, "SELECT id FROM dead_letter WHERE payload LIKE ?",
                "%w-" + run + "%")).isEmpty();
    }

    @Test
    void aMemberWhoseLinkedCompanyTheOrgNoLongerHasIsADeadLetterNamingSalesforcesError() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        company("co-" + run, "Gone " + run);
        salesforce.delete("Account", account("co-" + run)); // deleted in the org; still linked in the ID map

        member("d-" + run, "Dangling", "co-" + run);
        assertThat(TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL, "SELECT reason FROM dead_letter WHERE payload LIKE ?",
                "%d-" + run + "%")).singleElement().satisfies(row -> assertThat((String) row.get("reason"))
                        .contains("INVALID_FIELD").contains("Foreign key external ID: co-" + run
                                + " not found for field Ext_Id__c in entity Account"));
    }

    @Test
    void aFetchedMemberReadsItsCompanyByItsExternalIdWhichNamesTheCompanyAgain() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        company("co-" + run, "Read " + run);
        String account = account("co-" + run);
        member("r-" + run, "Read", "co-" + run);
        await().atMost(Duration.ofSeconds(30)).until(() -> account.equals(contact("r-" + run).get("AccountId")));

        // the sObject Rows resource gives no relationship: the lookup's Id is read, then the Account's Ext_Id__c
        Map<String, Object> fetched = types.of("sfdc").fetch("member", "sfdc", (String) contact("r-" + run).get("Id"))
                .orElseThrow();
        assertThat(fetched).containsEntry("Account", Map.of("Ext_Id__c", "co-" + run)).doesNotContainKey("AccountId");
        assertThat(registry.current().transformer().toCanonicalUnhashed("member", "sfdc", fetched).fields())
                .containsEntry("company", "co-" + run);

        // the value read names the company it was written from, as reconciliation translates it
        String canonical = (String) TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL, "SELECT canonical_id FROM id_map"
                + " WHERE entity = 'company' AND system = 'crm' AND system_id = ?", "co-" + run).get(0).get("canonical_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> states.lastValues("company", canonical).isPresent());
        assertThat(ParentsByExternalId.canonicalIds(registry.current().transformer(), states, "company", "sfdc", "Ext_Id__c",
                List.of("co-" + run, "co-unknown-" + run))).isEqualTo(Map.of("co-" + run, canonical));
    }
}
