package io.syncline.connector.salesforce;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record fetched by a mapping's key from a stub that follows the REST API's sObject Rows and
 * sObject Rows by External ID resources: an external id key by its field, and an Id Syncline's ID
 * map holds for a record it created in the org by that Id, whatever the key.
 */
class SalesforceFetchTest {

    private static final List<String> FIELDS = List.of("Id", "Syncline_Id__c", "LastName");

    private StubOrgClient stub;

    @BeforeEach
    void start() throws Exception {
        stub = new StubOrgClient();
        stub.org.records("Contact", List.of(
                Map.of("Id", "003STUB00000042", "Syncline_Id__c", "K005042", "LastName", "Lovelace", "Email", "ada@example.com"),
                Map.of("Id", "003STUB00000043", "LastName", "Hopper")));
    }

    private Optional<Map<String, Object>> fetch(String key, String value) throws SalesforceCallException {
        return stub.client.fetchByKey(stub.target("Contact"), key, value, FIELDS);
    }

    private List<String> calls() {
        return stub.org.calls.stream().map(call -> call.method() + " " + call.path() + " " + call.status()).toList();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void anExternalIdKeyIsFetchedByItsFieldWithTheFieldsAsked() throws Exception {
        assertThat(fetch("Syncline_Id__c", "K005042")).hasValue(Map.of(
                "Id", "003STUB00000042", "Syncline_Id__c", "K005042", "LastName", "Lovelace"));
        assertThat(fetch("Syncline_Id__c", "K009999")).isEmpty();

        assertThat(calls()).containsExactly(
                "GET /sobjects/Contact/Syncline_Id__c/K005042 200", "GET /sobjects/Contact/Syncline_Id__c/K009999 404");
    }

    @Test
    void anIdTheExternalIdDoesNotHoldIsFetchedAsTheRecordsId() throws Exception {
        assertThat(fetch("Syncline_Id__c", "003STUB00000043")).get()
                .satisfies(record -> assertThat(record).containsEntry("Id", "003STUB00000043").containsEntry("LastName", "Hopper"));
        assertThat(calls()).containsExactly(
                "GET /sobjects/Contact/Syncline_Id__c/003STUB00000043 404", "GET /sobjects/Contact/003STUB00000043 200");
        assertThat(fetch("Id", "003STUB00000042")).get()
                .satisfies(record -> assertThat(record).containsEntry("LastName", "Lovelace"));
    }
}
