package io.syncline.connector.salesforce;

import io.syncline.testsupport.SalesforceStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest jobs against a stub that follows Bulk API 2.0's documented contract: values CSV must
 * quote and nulls travel whole; a set larger than one upload goes over several jobs, each
 * result in the records' order; a job still running at the bound is aborted and its records
 * left unprocessed, to be written again; Salesforce's {@code sf__Error} read as code and message.
 */
class SalesforceBulkIngestTest {

    private StubOrgClient stub;
    private SalesforceStub org;
    private SalesforceClient client;
    private SalesforceClient.Target contacts;

    @BeforeEach
    void start() throws Exception {
        stub = new StubOrgClient();
        org = stub.org;
        org.fields("Contact", "Crm_Id__c", "Email", "FirstName", "LastName");
        org.required("Contact", "LastName");
        client = stub.client;
        contacts = stub.target("Contact");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private SalesforceBulkIngest ingest(Duration longestWait, int maxUploadBytes) {
        return new SalesforceBulkIngest(client, Duration.ofMillis(10), Duration.ofMillis(50), longestWait, maxUploadBytes);
    }

    private static List<Map<String, Object>> records(int count, String lastName) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("Crm_Id__c", "c-" + i);
            record.put("Email", "c" + i + "@example.com");
            record.put("FirstName", i == 1 ? null : "Ada, \"the first\"\nof her name");
            record.put("LastName", lastName);
            records.add(record);
        }
        return records;
    }

    @Test
    void aSetLargerThanOneUploadGoesOverSeveralJobsEachResultInTheRecordsOrder() throws Exception {
        org.create("Contact", Map.of("Crm_Id__c", "c-3", "LastName", "Before", "FirstName", "Old"));

        SalesforceBulkIngest.Outcome outcome = ingest(Duration.ofSeconds(5), 1_000)
                .write(contacts, SalesforceClient.Collection.UPSERT, "Crm_Id__c", records(20, "Lovelace"));

        assertThat(outcome.jobs()).hasSizeGreaterThan(1);
        assertThat(org.ingestJobs()).hasSize(outcome.jobs().size())
                .allSatisfy(job -> assertThat(job).containsEntry("state", "JobComplete").containsEntry("operation", "upsert"));
        assertThat(outcome.results()).hasSize(20).allSatisfy(result -> assertThat(result.success()).isTrue());
        assertThat(outcome.results().get(3).created()).isFalse();
        assertThat(outcome.results().get(4).created()).isTrue();
        for (int i = 0; i < 20; i++) {
            String id = outcome.results().get(i).id();
            Map<String, Object> saved = org.records("Contact").stream().filter(record -> id.equals(record.get("Id"))).findFirst().orElseThrow();
            assertThat(saved).containsEntry("Crm_Id__c", "c-" + i).containsEntry("LastName", "Lovelace");
            if (i == 1) {
                assertThat(saved).doesNotContainKey("FirstName");
            } else {
                assertThat(saved).containsEntry("FirstName", "Ada, \"the first\"\nof her name");
            }
        }
        // the contact the org had is updated, not made twice
        assertThat(org.records("Contact").stream().filter(record -> "c-3".equals(record.get("Crm_Id__c")))).singleElement()
                .satisfies(record -> assertThat(record).containsEntry("FirstName", "Ada, \"the first\"\nof her name"));
    }

    @Test
    void aJobStillRunningAtTheBoundIsAbortedAndItsRecordsLeftToBeWrittenAgain() throws Exception {
        org.ingestPollsInProgress = 1_000;

        SalesforceBulkIngest.Outcome outcome = ingest(Duration.ofMillis(200), SalesforceBulkIngest.MAX_UPLOAD_BYTES)
                .write(contacts, SalesforceClient.Collection.UPSERT, "Crm_Id__c", records(5, "Lovelace"));

        assertThat(org.ingestJobs()).singleElement().satisfies(job -> assertThat(job).containsEntry("state", "Aborted"));
        assertThat(org.calls("PATCH", "/jobs/ingest/" + outcome.jobs().get(0))).hasSize(2);
        assertThat(outcome.results()).hasSize(5).allSatisfy(result -> {
            assertThat(result.errorCode()).isEqualTo(SaveResult.NOT_PROCESSED);
            assertThat(result.transientFailure()).isTrue();
            assertThat(result.message()).contains("ended ABORTED").contains("did not end within");
        });
        assertThat(org.records("Contact")).isEmpty();
    }

    @Test
    void anUpdateRefusedForOneRecordGivesItsErrorAndTheOthersTheirIds() throws Exception {
        List<Map<String, Object>> updates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = org.create("Contact", Map.of("Crm_Id__c", "u-" + i, "LastName", "Before"));
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("Id", id);
            update.put("LastName", i == 1 ? null : "After");
            updates.add(update);
        }

        List<SaveResult> results = ingest(Duration.ofSeconds(5), SalesforceBulkIngest.MAX_UPLOAD_BYTES)
                .write(contacts, SalesforceClient.Collection.UPDATE, null, updates).results();

        assertThat(results.get(0)).isEqualTo(SaveResult.saved((String) updates.get(0).get("Id"), false));
        assertThat(results.get(1).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(results.get(1).message()).contains("LastName");
        assertThat(results.get(1).transientFailure()).isFalse();
        assertThat(results.get(2).success()).isTrue();
    }

    @Test
    void salesforcesErrorTextIsReadAsCodeAndMessage() {
        assertThat(SalesforceBulkIngest.failed("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"))
                .isEqualTo(SaveResult.failed("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]:LastName"));
        assertThat(SalesforceBulkIngest.failed("something odd").errorCode()).isEqualTo("UNKNOWN_ERROR");
    }
}
