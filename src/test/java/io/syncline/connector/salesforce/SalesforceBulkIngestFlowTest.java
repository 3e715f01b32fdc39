package io.syncline.connector.salesforce;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A backlog of contacts bound for a Salesforce org whose {@code bulkWriteAbove} is 20, claimed by
 * one worker in batches of up to 100 (as a backfill's or an auto-fix's events are): a batch of
 * more than 20 upserts, or updates, goes to the org as one Bulk API 2.0 ingest job (create, CSV
 * upload, close, polls, the three result lists) instead of sObject Collections calls. Each
 * record's result is its own: saved ones linked in the ID map, one Salesforce refused a dead
 * letter at once with its {@code sf__Error}, the records of a job that failed retried. The job's
 * calls are counted as {@code bulk-ingest}. A backfill from billing's table into the org stores a
 * page of events at once, which the worker writes by one job.
 */
@QuarkusTest
@TestProfile(SalesforceBulkIngestFlowTest.LargeBatches.class)
@WithTestResource(value = SalesforceStubResource.class, initArgs = {
        @ResourceArg(name = SalesforceStubResource.ROUTES, value = "src/test/resources/salesforce-ingest-routes"),
        @ResourceArg(name = SalesforceStubResource.DATABASE, value = "_salesforce_ingest")})
class SalesforceBulkIngestFlowTest {

    static final String URL = TestDatabase.siblingUrl("_salesforce_ingest");

    public static class LargeBatches implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "1s",
                    "syncline.inbox.max-attempts", "6",
                    "syncline.inbox.workers", "1",
                    "syncline.inbox.batch-size", "100",
                    "syncline.inbox.apply-batch.max-events", "100");
        }
    }

    SalesforceStub salesforce;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sf_ingest_billing_customer (customer_no VARCHAR(40) PRIMARY KEY,"
                    + " email VARCHAR(200), last_name VARCHAR(200))");
        }
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static long awaitCompleted(long job) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> admin().get("/admin/backfills/jobs/" + job).then().extract().jsonPath().getString("job.status"),
                status -> "completed".equals(status) || "failed".equals(status));
        admin().get("/admin/backfills/jobs/" + job).then().statusCode(200).body("job.status", equalTo("completed"));
        return job;
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(URL, sql, parameters);
    }

    private static void awaitSettled(List<Long> ids) {
        TestDatabase.awaitRowsOn(URL, "SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead')"
                + " HAVING count(*) = ?", ids.toArray(Long[]::new), (long) ids.size());
    }

    private List<Long> backlog(List<Map<String, Object>> contacts) {
        return InboxBacklog.storeIn(URL, "sfdc", contacts);
    }

    private List<Map<String, Object>> orgContacts(String run) {
        return salesforce.records("Contact").stream().filter(record -> String.valueOf(record.get("Crm_Id__c")).startsWith(run)).toList();
    }

    private List<String> calls(int from) {
        return salesforce.calls.subList(from, salesforce.calls.size()).stream()
                .map(call -> call.method() + " " + call.path().replaceAll("750STUB\\d+", "{job}")).toList();
    }

    private static long ingestCalls() {
        List<Map<String, Object>> rows = query("SELECT coalesce(sum(calls), 0) AS n FROM salesforce_call_budget"
                + " WHERE system_name = 'sfdc' AND kind = 'bulk-ingest'");
        return ((Number) rows.get(0).get("n")).longValue();
    }

    private static List<String> audit(long inboxId) {
        return query("SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log WHERE inbox_id = ?"
                + " AND target_system = 'sfdc' ORDER BY id", inboxId).stream().map(row -> (String) row.get("line")).toList();
    }

    @Test
    void aLargeBatchIsUpsertedThenUpdatedByOneIngestJobEachAndCountedAsBulkIngest() {
        String run = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
        int callsBefore = salesforce.calls.size();
        long countedBefore = ingestCalls();

        List<Long> created = backlog(IntStream.range(0, 60).mapToObj(i -> SalesforceTargetFlowTest.contact(run + "-" + i, "First")).toList());
        awaitSettled(created);

        assertThat(calls(callsBefore)).containsExactly(
                "POST /jobs/ingest", "PUT /jobs/ingest/{job}/batches", "PATCH /jobs/ingest/{job}", "GET /jobs/ingest/{job}",
                "GET /jobs/ingest/{job}/successfulResults", "GET /jobs/ingest/{job}/failedResults",
                "GET /jobs/ingest/{job}/unprocessedrecords");
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) created.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(60L);
        List<Map<String, Object>> org = orgContacts(run);
        assertThat(org).hasSize(60);
        // every contact linked to the id Salesforce gave it
        Map<String, Object> linked = query("SELECT count(*) AS n FROM id_map s JOIN id_map c ON c.canonical_id = s.canonical_id"
                + " AND c.entity = s.entity AND c.system = 'crm' WHERE s.entity = 'contact' AND s.system = 'sfdc'"
                + " AND c.system_id LIKE ? AND s.system_id = ANY(?)", run + "-%",
                org.stream().map(record -> record.get("Id")).toArray(String[]::new)).get(0);
        assertThat(linked.get("n")).isEqualTo(60L);
        assertThat(audit(created.get(0))).singleElement().asString().startsWith("created")
                .contains("salesforce Bulk API 2.0 ingest upsert Contact by Crm_Id__c (60 records) job 750STUB")
                .contains(": created 003");
        assertThat(ingestCalls() - countedBefore).isEqualTo(7);

        int updatesFrom = salesforce.calls.size();
        List<Long> updated = backlog(IntStream.range(0, 60).mapToObj(i -> SalesforceTargetFlowTest.contact(run + "-" + i, "Second")).toList());
        awaitSettled(updated);

        assertThat(calls(updatesFrom)).first().isEqualTo("POST /jobs/ingest");
        assertThat(calls(updatesFrom)).filteredOn(call -> call.startsWith("POST")).hasSize(1);
        assertThat(salesforce.ingestJobs()).anySatisfy(job -> assertThat(job).containsEntry("operation", "update")
                .containsEntry("rows", 60).containsEntry("state", "JobComplete"));
        assertThat(orgContacts(run)).hasSize(60).allSatisfy(record -> assertThat(record).containsEntry("LastName", "Second"));
        assertThat(audit(updated.get(0))).singleElement().asString().startsWith("updated")
                .contains("salesforce Bulk API 2.0 ingest update Contact (60 records) job 750STUB");
    }

    @Test
    void aRecordTheJobRefusesIsADeadLetterWithItsErrorAndTheOthersAreApplied() {
        String run = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        int callsBefore = salesforce.calls.size();

        List<Long> ids = backlog(IntStream.range(0, 30).mapToObj(i -> SalesforceTargetFlowTest.contact(run + "-" + i, i == 7 ? "" : "Backlog")).toList());
        awaitSettled(ids);

        assertThat(calls(callsBefore)).filteredOn(call -> call.equals("POST /jobs/ingest")).hasSize(1);
        // the refused record's event is not written again, nor are the others
        assertThat(calls(callsBefore)).noneMatch(call -> call.contains("/sobjects/"));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(query("SELECT status FROM inbox WHERE id = ?", ids.get(i)).get(0).get("status")).as("contact %d", i)
                    .isEqualTo(i == 7 ? "dead" : "done");
        }
        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + run + "-7\"%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("REQUIRED_FIELD_MISSING").contains("LastName");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(orgContacts(run)).hasSize(29);
    }

    @Test
    void theRecordsOfAFailedJobAreRetriedAndNoneIsLost() {
        String run = "failed-" + UUID.randomUUID().toString().substring(0, 8);
        salesforce.failNextIngestJob("InvalidBatch : Failed to process the batch", 10);

        List<Long> ids = backlog(IntStream.range(0, 40).mapToObj(i -> SalesforceTargetFlowTest.contact(run + "-" + i, "Retried")).toList());
        awaitSettled(ids);

        assertThat(salesforce.ingestJobs()).anySatisfy(job -> assertThat(job).containsEntry("state", "Failed").containsEntry("rows", 40));
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(40L);
        assertThat(query("SELECT count(*) AS n FROM dead_letter WHERE payload LIKE ?", "%" + run + "%").get(0).get("n")).isEqualTo(0L);
        // the ten the failed job wrote are not written twice: one record each
        assertThat(orgContacts(run)).hasSize(40).allSatisfy(record -> assertThat(record).containsEntry("LastName", "Retried"));
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND attempts > 1", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(30L);
    }

    @Test
    void whereTheOrgMakesNoIngestJobTheBatchGoesBySObjectCollectionsNotOneCallARecord() {
        String run = "nobulk-" + UUID.randomUUID().toString().substring(0, 8);
        salesforce.ingestJobsUnavailable = true;
        try {
            int callsBefore = salesforce.calls.size();

            List<Long> ids = backlog(IntStream.range(0, 60).mapToObj(i -> SalesforceTargetFlowTest.contact(run + "-" + i, "Fallback"))
                    .toList());
            awaitSettled(ids);

            assertThat(calls(callsBefore)).containsExactly("POST /jobs/ingest", "PATCH /composite/sobjects/Contact/Crm_Id__c");
            assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                    .get(0).get("n")).isEqualTo(60L);
            assertThat(orgContacts(run)).hasSize(60).allSatisfy(record -> assertThat(record).containsEntry("LastName", "Fallback"));
            assertThat(audit(ids.get(0))).singleElement().asString().startsWith("created")
                    .contains("sObject Collections upsert Contact by Crm_Id__c (60 records)");
        } finally {
            salesforce.ingestJobsUnavailable = false;
        }
    }

    @Test
    void aBackfillIntoTheOrgWritesItsPageThroughOneIngestJob() {
        TestDatabase.queryOn(URL, "INSERT INTO sf_ingest_billing_customer SELECT 'B-' || n, 'b' || n || '@example.com', 'Billing'"
                + " FROM generate_series(1, 60) AS n RETURNING customer_no");
        int callsBefore = salesforce.calls.size();
        long countedBefore = ingestCalls();

        long dryRun = awaitCompleted(admin().post("/admin/backfills/customers-into-sfdc/dry-runs").then().statusCode(202)
                .extract().jsonPath().getLong("id"));
        admin().get("/admin/backfills/jobs/" + dryRun).then().body("job.outcomes.sfdc.create", equalTo(60));
        long run = awaitCompleted(admin().post("/admin/backfills/customers-into-sfdc/runs?dryRun=" + dryRun + "&confirm=true")
                .then().statusCode(202).extract().jsonPath().getLong("id"));
        await().atMost(Duration.ofSeconds(60)).until(() -> admin().get("/admin/backfills/jobs/" + run).then().extract().jsonPath()
                .getInt("events.done") == 60);

        assertThat(calls(callsBefore)).filteredOn(call -> call.equals("POST /jobs/ingest")).hasSize(1);
        assertThat(calls(callsBefore)).noneMatch(call -> call.contains("/sobjects"));
        assertThat(salesforce.ingestJobs()).anySatisfy(job -> assertThat(job).containsEntry("operation", "upsert")
                .containsEntry("rows", 60).containsEntry("state", "JobComplete"));
        List<Map<String, Object>> org = salesforce.records("Contact").stream()
                .filter(record -> String.valueOf(record.get("Crm_Id__c")).startsWith("B-")).toList();
        assertThat(org).hasSize(60).allSatisfy(record -> assertThat(record).containsEntry("LastName", "Billing"));
        assertThat(query("SELECT count(*) AS n FROM id_map WHERE entity = 'customer' AND system = 'sfdc' AND system_id = ANY(?)",
                (Object) org.stream().map(record -> record.get("Id")).toArray(String[]::new)).get(0).get("n")).isEqualTo(60L);
        assertThat(ingestCalls() - countedBefore).isEqualTo(7);
    }
}
