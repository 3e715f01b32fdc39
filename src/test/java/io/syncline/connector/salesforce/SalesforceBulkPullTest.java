package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.model.Environment;
import io.syncline.model.FieldMapping;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.testsupport.SalesforceStub;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pulls above a Salesforce system's bulkAbove go through Bulk API 2.0 (a query job, its state
 * polled, its results read as CSV pages by Sforce-Locator) against a stub that follows the
 * documented contract, and yield the records the REST query yields; below it, the REST query
 * pays one login and one call per 2,000 records.
 */
class SalesforceBulkPullTest {

    private static final Environment ENVIRONMENT = Map.of("SF_CLIENT_ID", SalesforceStub.CLIENT_ID,
            "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET)::get;

    private static final SystemMapping CONTACT = SystemMapping.of("Id", List.of(
            new FieldMapping("id", "Id", null, null, null),
            new FieldMapping("email", "Email", null, null, null),
            new FieldMapping("lastName", "LastName", FieldMapping.Direction.IN, null, null),
            new FieldMapping("company", "Account.Name", null, null, null),
            new FieldMapping("score", "Score__c", null, null, null),
            new FieldMapping("active", "Active__c", null, null, null)), null, Map.of("sobject", "Contact"));

    private SalesforceStub org;
    private DefaultCamelContext camel;
    private SalesforceRecordPuller puller;
    private final List<Map<String, Object>> pulled = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        org = new SalesforceStub();
        camel = new DefaultCamelContext();
        camel.start();
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        SalesforceComponents components = new SalesforceComponents(camel, ENVIRONMENT);
        SalesforceClient client = new SalesforceClient(camel.createProducerTemplate(), components, json);
        puller = new SalesforceRecordPuller(http, json, new SalesforceSessions(components),
                new SalesforceBulkQuery(client, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        camel.stop();
        org.close();
    }

    private void contacts(int count) {
        List<Map<String, Object>> contacts = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("Id", String.format("003STUB%08d", i));
            contact.put("Email", i % 10 == 0 ? null : "user" + i + "@example.com");
            contact.put("LastName", i == 7 ? "O\"Brien, \"Jr\"\nsecond line" : "Last" + i);
            contact.put("Account", i % 2 == 0 ? Map.of("Name", "Acme " + i) : null);
            contact.put("Score__c", i % 4 == 0 ? null : i * 1.5);
            contact.put("Active__c", i % 3 == 0);
            contacts.add(contact);
        }
        org.records("Contact", contacts);
    }

    private SalesforceSettings system(Long bulkAbove, Integer bulkPageSize) {
        return new SalesforceSettings(org.baseUrl(), "62.0", new SecretRef("SF_CLIENT_ID", null),
                new SecretRef("SF_CLIENT_SECRET", null), null, null, null, null, null, null, null, null, bulkAbove, bulkPageSize, null);
    }

    private PullResult pull(SalesforceSettings system) throws PullException {
        return puller.pull(new PullRequest("contact", "crm", SystemDefinition.ofSettings(SalesforceSettings.TYPE, system), CONTACT, 2000), pulled::addAll);
    }

    private int calls() {
        return org.logins.size() + org.calls.size();
    }

    @Test
    void aHundredThousandRecordsComeThroughBulkApiInAtMostTenCalls() throws Exception {
        contacts(100_000);
        org.bulkPollsInProgress = 1;

        PullResult result = pull(system(10_000L, null));

        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.records()).isEqualTo(100_000);
        assertThat(result.reportedTotal()).isEqualTo(100_000L);
        assertThat(pulled).hasSize(100_000).extracting(record -> record.get("Id")).doesNotHaveDuplicates();
        // one login, shared by the REST page and the job; the first REST page (its totalSize decides),
        // the job, two polls of its state and two result pages of 50,000
        assertThat(org.logins).hasSize(1);
        assertThat(calls()).isLessThanOrEqualTo(9);
        assertThat(org.calls("POST", "/jobs/query")).hasSize(1);
        assertThat(org.calls.stream().filter(call -> call.path().endsWith("/results")).toList()).hasSize(2);
        assertThat(org.bulkMaxRecords).containsOnly(String.valueOf(SalesforceSettings.DEFAULT_BULK_PAGE_SIZE));
    }

    @Test
    void belowTheThresholdTheRestQueryPaysOneLoginAndOneCallPerTwoThousand() throws Exception {
        contacts(9_000);

        PullResult result = pull(system(10_000L, null));

        assertThat(result.records()).isEqualTo(9_000);
        assertThat(org.logins).hasSize(1);
        assertThat(org.calls).hasSize(5); // ceil(9,000 / 2,000)
        assertThat(org.calls("POST", "/jobs/query")).isEmpty();
    }

    @Test
    void bulkPagesYieldTheRecordsTheRestQueryYields() throws Exception {
        contacts(450);
        pull(system(null, null));
        List<Map<String, Object>> byRest = List.copyOf(pulled);
        pulled.clear();

        PullResult result = pull(system(100L, 200));

        assertThat(result.records()).isEqualTo(450);
        assertThat(org.calls.stream().filter(call -> call.path().endsWith("/results")).toList()).hasSize(3);
        // the same records, field by field: nulls, a relationship path as a nested record, quotes and a
        // line break kept, numbers and booleans as the JSON gives them
        assertThat(pulled).isEqualTo(byRest);
        assertThat(pulled.get(6)).containsEntry("LastName", "O\"Brien, \"Jr\"\nsecond line").containsEntry("Account", null);
        assertThat(pulled.get(9)).containsEntry("Email", null).containsEntry("Account", Map.of("Name", "Acme 10"))
                .containsEntry("Score__c", 15.0).containsEntry("Active__c", false);
    }

    @Test
    void aJobThatDoesNotCompleteInTimeFailsThePull() throws Exception {
        contacts(300);
        org.bulkPollsInProgress = Integer.MAX_VALUE;

        assertThatThrownBy(() -> pull(system(100L, null)))
                .isInstanceOf(PullException.class)
                .hasMessageContaining("crm: the Bulk API 2.0 query failed")
                .hasMessageContaining("did not complete within PT2S");
        assertThat(pulled).isEmpty();
    }
}
