package io.syncline.reconcile;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.testsupport.AlertRuleSeries;
import io.syncline.testsupport.SaasStub;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Reconciliation of the demo CRM (a HubSpot-contract stub) against billing's table, through the
 * admin API, on seeded data with a known difference in every bucket, lag inside the tolerance
 * window, timestamp ties and formatting that is not drift. The methods build on each other.
 */
@QuarkusTest
@WithTestResource(ReconcileFixture.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconciliationTest {

    private static final String JOB = "contacts-crm-billing";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant OLD = NOW.minus(Duration.ofHours(3));
    private static final Instant RECENT = NOW.minus(Duration.ofMinutes(10));
    private static final Instant TIE = NOW.minus(Duration.ofHours(5));

    SaasStub crm;
    SlackStub slack;

    @Inject
    CamelContext camel;
    @Inject
    SyncModelRegistry models;

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static Map<String, Object> crmContact(String id, String email, String lastName, String city, Instant updatedAt) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", email);
        contact.put("firstName", "Ada");
        contact.put("lastName", lastName);
        // each record its own phone and no company: the apply route's match rules must find none for a new record
        contact.put("phone", "020 7946 " + digits(id));
        contact.put("address", Map.of("city", city));
        contact.put("lifecycleStage", "customer");
        // the CRM writes its times in its own zone; billing holds UTC
        contact.put("updatedAt", updatedAt.atOffset(ZoneOffset.ofHours(1)).toString());
        return contact;
    }

    private static void billingRow(Connection connection, String id, String email, String lastName, String city,
            Instant updatedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO demo_contact (external_id, email, first_name,"
                + " last_name, full_name, phone, company, city, status, updated_at) VALUES (?, ?, 'Ada', ?, ?, ?, NULL, ?, 'active', ?)")) {
            insert.setString(1, id);
            insert.setString(2, email);
            insert.setString(3, lastName);
            insert.setString(4, "Ada " + lastName);
            insert.setString(5, "+44207946" + digits(id));
            insert.setString(6, city);
            insert.setTimestamp(7, Timestamp.from(updatedAt));
            insert.executeUpdate();
        }
    }

    /** Four digits of a record's own phone number. */
    private static String digits(String id) {
        return String.format("%04d", Math.floorMod(id.hashCode(), 10_000));
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.query(sql, parameters).get(0).get("n")).longValue();
    }

    @Test
    @Order(1)
    void withoutCredentialsTheApiAnswers401AndAnUnknownJob404() {
        given().when().get("/admin/reconciliations").then().statusCode(401);
        admin().when().post("/admin/reconciliations/no-such-job/runs").then().statusCode(404)
                .body("message", org.hamcrest.Matchers.containsString("contacts-crm-billing"));
        admin().when().get("/admin/reconciliations").then().statusCode(200).body("name", hasItem(JOB));
        admin().when().get("/admin/reconciliations/differences?bucket=sideways").then().statusCode(400);
    }

    @Test
    @Order(2)
    void theReportListsExactlyTheSeededDifferencesAndAutoFixGoesThroughTheApplyRoute() throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            // a fresh start for this job: no earlier runs (baseline, first-seen) or review items of earlier test runs
            statement.execute("DELETE FROM reconciliation_difference WHERE job = '" + JOB + "'");
            statement.execute("DELETE FROM reconciliation_run WHERE job = '" + JOB + "'");
            statement.execute("DELETE FROM review_item WHERE kind = 'reconciliation'");
            statement.execute("DELETE FROM demo_contact");
            // equal, although the CRM writes e-mail, phone, status and time differently
            billingRow(connection, "r-equal-1", "ada@example.com", "Lovelace", "London", OLD);
            billingRow(connection, "r-equal-2", "r2@example.com", "Byron", "London", OLD);
            billingRow(connection, "r-mismatch", "r5@example.com", "King", "Paris", OLD);
            billingRow(connection, "r-mismatch-recent", "old@example.com", "King", "London", OLD);
            billingRow(connection, "r-tie-diff", "r7@example.com", "Old", "London", TIE);
            billingRow(connection, "r-tie-equal", "r8@example.com", "Same", "London", TIE);
            billingRow(connection, "r-only-billing", "r9@example.com", "Extra", "London", OLD);
            billingRow(connection, "r-only-billing-recent", "r10@example.com", "New", "London", RECENT);
        }
        crm.records(currentCrm());

        int runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("sideA.records", equalTo(8))
                .body("sideA.pages", equalTo(3))
                .body("sideA.reachedEnd", equalTo(true))
                .body("sideB.records", equalTo(8))
                .body("counts.onlyInA", equalTo(1))
                .body("counts.onlyInB", equalTo(1))
                .body("counts.mismatched", equalTo(2))
                .body("counts.equal", equalTo(3))
                .body("counts.inFlight", equalTo(3))
                .body("counts.fixed", equalTo(1))
                .body("counts.quarantined", equalTo(2))
                .body("qualitySystem", equalTo("billing"))
                .body("qualityScore", equalTo(0.625f))
                .extract().path("id");

        List<Map<String, Object>> differences = admin().when().get("/admin/reconciliations/differences?run=" + runId)
                .then().statusCode(200).extract().path("");
        List<String> listed = new ArrayList<>();
        differences.forEach(d -> listed.add(d.get("key") + " " + d.get("bucket") + " " + d.get("action") + " " + d.get("fields")));
        assertThat(listed).containsExactlyInAnyOrder(
                "r-only-crm only_in_a fixed null",
                "r-only-billing only_in_b report null",
                "r-mismatch mismatched quarantined [{\"field\":\"city\",\"a\":\"London\",\"b\":\"Paris\"}]",
                "r-tie-diff mismatched quarantined [{\"field\":\"fullName\",\"a\":\"Ada New\",\"b\":\"Ada Old\"},"
                        + "{\"field\":\"lastName\",\"a\":\"New\",\"b\":\"Old\"}]");
        admin().when().get("/admin/reconciliations/differences?entity=contact&bucket=only_in_b&run=" + runId)
                .then().statusCode(200).body("key", equalTo(List.of("r-only-billing")));

        // the fix went through the inbox and the apply route: billing now has the CRM's record
        Map<String, Object> fix = TestDatabase.query("SELECT inbox_id FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = 'r-only-crm'", runId).get(0);
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ? AND status = 'done'", fix.get("inbox_id"));
        assertThat(TestDatabase.query("SELECT email, city, demo_contact.status, route_id FROM demo_contact, inbox WHERE external_id = 'r-only-crm'"
                + " AND inbox.id = ?", fix.get("inbox_id")))
                .containsExactly(Map.of("email", "r3@example.com", "city", "Leeds", "status", "active", "route_id", "reconcile:" + JOB));
        assertThat(count("SELECT COUNT(*) AS n FROM review_item WHERE kind = 'reconciliation' AND source_id IN ('r-mismatch', 'r-tie-diff')"))
                .isEqualTo(2);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("syncline_reconciliation_quality{entity=\"contact\",system=\"billing\"} 0.625");
        assertThat(metrics).contains("syncline_reconciliation_quality_alert{entity=\"contact\",system=\"billing\"} 1.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.messages.stream()
                .anyMatch(m -> m.get("text").toString().contains("run " + runId + ") found 4 differences")));
        // the alert notifier tells of the low quality too
        awaitAlert("SynclineReconciliationQualityLow", "firing", Map.of("entity", "contact", "system", "billing"));
    }

    /** Waits for the alert notifier's latest message of {@code alert} with these labels to have {@code status}. */
    private void awaitAlert(String alert, String status, Map<String, String> labels) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(slack.messages.stream()
                .filter(m -> alert.equals(m.get("alert")) && m.entrySet().containsAll(labels.entrySet()))
                .reduce((first, second) -> second))
                .hasValueSatisfying(last -> assertThat(last).containsEntry("status", status)));
    }

    @Test
    @Order(3)
    void aDryRunReportsWhatItWouldDoAndWritesNothing() {
        List<Map<String, Object>> all = new ArrayList<>(currentCrm());
        all.add(crmContact("r-only-crm-2", "r11@example.com", "Later", "York", OLD));
        crm.records(all);
        long inbox = count("SELECT COUNT(*) AS n FROM inbox");
        long reviews = count("SELECT COUNT(*) AS n FROM review_item");

        int runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs?dryRun=true")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("dryRun", equalTo(true))
                .body("requestedBy", equalTo("admin"))
                .body("counts.fixed", equalTo(0))
                .extract().path("id");

        admin().when().get("/admin/reconciliations/runs/" + runId + "/differences?bucket=only_in_a")
                .then().statusCode(200)
                .body("key", equalTo(List.of("r-only-crm-2")))
                .body("action", equalTo(List.of("would_fix")));
        assertThat(count("SELECT COUNT(*) AS n FROM reconciliation_difference WHERE run_id = ? AND action = 'would_quarantine'", runId))
                .isEqualTo(2);
        assertThat(count("SELECT COUNT(*) AS n FROM inbox")).isEqualTo(inbox);
        assertThat(count("SELECT COUNT(*) AS n FROM review_item")).isEqualTo(reviews);
        assertThat(count("SELECT COUNT(*) AS n FROM demo_contact WHERE external_id = 'r-only-crm-2'")).isZero();
    }

    private static List<Map<String, Object>> currentCrm() {
        return List.of(
                crmContact("r-equal-1", " Ada@Example.COM ", "Lovelace", "London", OLD),
                crmContact("r-equal-2", "r2@example.com", "Byron", "London", OLD),
                crmContact("r-only-crm", "r3@example.com", "Missing", "Leeds", OLD),
                crmContact("r-only-crm-recent", "r4@example.com", "Fresh", "Leeds", RECENT),
                crmContact("r-mismatch", "r5@example.com", "King", "London", OLD),
                crmContact("r-mismatch-recent", "new@example.com", "King", "London", RECENT),
                crmContact("r-tie-diff", "r7@example.com", "New", "London", TIE),
                crmContact("r-tie-equal", "r8@example.com", "Same", "London", TIE));
    }

    @Test
    @Order(4)
    void aDifferenceThatPersistsKeepsItsFirstSeenTimeAndIsNotQueuedTwice() {
        Map<String, Object> first = TestDatabase.query("SELECT d.first_seen_at, d.review_item_id FROM reconciliation_difference d"
                + " JOIN reconciliation_run r ON r.id = d.run_id WHERE d.record_key = 'r-mismatch' AND NOT r.dry_run ORDER BY d.id LIMIT 1").get(0);
        long reviews = count("SELECT COUNT(*) AS n FROM review_item");

        int runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                .then().statusCode(200).body("status", equalTo("ok")).extract().path("id");

        assertThat(TestDatabase.query("SELECT first_seen_at, review_item_id, action FROM reconciliation_difference"
                + " WHERE run_id = ? AND record_key = 'r-mismatch'", runId))
                .containsExactly(Map.of("first_seen_at", first.get("first_seen_at"), "review_item_id", first.get("review_item_id"),
                        "action", "quarantined"));
        // r-only-crm was fixed by the first run; r-only-crm-2 is new and fixed now
        assertThat(count("SELECT COUNT(*) AS n FROM reconciliation_difference WHERE run_id = ? AND record_key = 'r-only-crm'", runId))
                .isZero();
        assertThat(count("SELECT COUNT(*) AS n FROM review_item")).isEqualTo(reviews);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = 'r-only-crm-2'");
    }

    @Test
    @Order(5)
    void aPagerThatSilentlyReturnsOnlyItsFirstPageMakesTheRunUntrustworthyAndWritesNothing() {
        long inbox = count("SELECT COUNT(*) AS n FROM inbox");
        long reviews = count("SELECT COUNT(*) AS n FROM review_item");
        long billing = count("SELECT COUNT(*) AS n FROM demo_contact");
        crm.firstPageOnly = true;
        try {
            int runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                    .then().statusCode(200)
                    .body("status", equalTo("untrustworthy"))
                    .body("sideA.records", equalTo(3))
                    .body("sideA.pages", equalTo(1))
                    .body("reasons", hasItem("side A (crm) returned 3 records, below 80% of the 9 of the last trustworthy run"))
                    .extract().path("id");

            assertThat(count("SELECT COUNT(*) AS n FROM reconciliation_difference WHERE run_id = ?", runId)).isZero();
            assertThat(count("SELECT COUNT(*) AS n FROM reconciliation_record WHERE run_id = ?", runId)).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> slack.messages.stream()
                    .anyMatch(m -> m.get("text").toString().contains("run " + runId + ") is UNTRUSTWORTHY and changed nothing")));
            awaitAlert("SynclineReconciliationUntrustworthy", "firing", Map.of("job", JOB, "entity", "contact"));
        } finally {
            crm.firstPageOnly = false;
        }
        assertThat(count("SELECT COUNT(*) AS n FROM inbox")).isEqualTo(inbox);
        assertThat(count("SELECT COUNT(*) AS n FROM review_item")).isEqualTo(reviews);
        assertThat(count("SELECT COUNT(*) AS n FROM demo_contact")).isEqualTo(billing);
        admin().when().get("/admin/reconciliations/runs?job=" + JOB + "&status=untrustworthy")
                .then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    @Order(6)
    void aRecordTheStagingCannotTakeFailsItsSideQuicklyAndTheRunChangesNothing() {
        long inbox = count("SELECT COUNT(*) AS n FROM inbox");
        List<Map<String, Object>> all = new ArrayList<>(currentCrm());
        // PostgreSQL text cannot hold a NUL character: the staging COPY refuses this key
        all.add(crmContact("r-nul\u0000", "r12@example.com", "Null", "York", OLD));
        crm.records(all);

        int runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                .then().statusCode(200)
                .body("status", equalTo("untrustworthy"))
                .body("reasons[0]", org.hamcrest.Matchers.startsWith("side A (crm) failed: "))
                .extract().path("id");

        assertThat(count("SELECT COUNT(*) AS n FROM reconciliation_difference WHERE run_id = ?", runId)).isZero();
        assertThat(count("SELECT COUNT(*) AS n FROM inbox")).isEqualTo(inbox);
        // the run's staging partitions are gone with it
        assertThat(count("SELECT COUNT(*) AS n FROM pg_class WHERE relname LIKE ?", "reconciliation_record_" + runId + "_%")).isZero();
    }

    @Test
    @Order(7)
    void aRunWhoseReplicaLeftTheClusterIsMarkedFailedByTheNextRunAndItsStagingDropped() throws SQLException {
        crm.records(currentCrm());
        long orphan;
        long elsewhere;
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            orphan = runningRun(connection, "replica-gone-1");
            elsewhere = runningRun(connection, "replica-alive-1");
            // Another replica, alive: it checked in just now.
            statement.execute("INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval)"
                    + " SELECT sched_name, 'replica-alive-1', " + System.currentTimeMillis() + ", checkin_interval"
                    + " FROM qrtz_scheduler_state LIMIT 1");
            // The staging the dead replica left behind.
            statement.execute("CREATE UNLOGGED TABLE reconciliation_record_" + orphan + "_a (LIKE reconciliation_record)");
            statement.execute("ALTER TABLE reconciliation_record ATTACH PARTITION reconciliation_record_" + orphan
                    + "_a FOR VALUES FROM (" + orphan + ", 'A') TO (" + orphan + ", 'B')");
        }
        try {
            String instance = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                    .then().statusCode(200)
                    .extract().path("instanceId");

            assertThat(instance).isNotBlank();
            assertThat(TestDatabase.query("SELECT status, reasons, finished_at FROM reconciliation_run WHERE id = ?", orphan).get(0))
                    .containsEntry("status", "failed")
                    .containsEntry("reasons", "abandoned: replica replica-gone-1 stopped before finishing the run")
                    .doesNotContainEntry("finished_at", null);
            assertThat(TestDatabase.query("SELECT status FROM reconciliation_run WHERE id = ?", elsewhere).get(0))
                    .containsEntry("status", "running");
            assertThat(count("SELECT COUNT(*) AS n FROM pg_class WHERE relname = ?", "reconciliation_record_" + orphan + "_a")).isZero();
        } finally {
            TestDatabase.query("DELETE FROM qrtz_scheduler_state WHERE instance_name = 'replica-alive-1' RETURNING 1 AS n");
            TestDatabase.query("UPDATE reconciliation_run SET status = 'failed' WHERE id = ? RETURNING 1 AS n", elsewhere);
        }
    }

    @Test
    @Order(8)
    void everyRunGoesThroughTheJobsRouteAndARunThatBreaksIsFailedAndADeadLetter() throws SQLException {
        crm.records(currentCrm());
        long deadLetters = count("SELECT COUNT(*) AS n FROM dead_letter WHERE route_id = ?", "reconcile-" + JOB);
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            // The state store refuses the run's differences: the diff stage throws.
            statement.execute("CREATE FUNCTION refuse_difference() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$BEGIN RAISE EXCEPTION 'differences refused by the test'; END$$");
            statement.execute("CREATE TRIGGER refuse_difference BEFORE INSERT ON reconciliation_difference"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_difference()");
        }
        int runId;
        try {
            runId = admin().when().post("/admin/reconciliations/" + JOB + "/runs")
                    .then().statusCode(200)
                    .body("status", equalTo("failed"))
                    .body("reasons[0]", org.hamcrest.Matchers.containsString("differences refused by the test"))
                    .extract().path("id");
        } finally {
            try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER refuse_difference ON reconciliation_difference");
                statement.execute("DROP FUNCTION refuse_difference()");
            }
        }
        assertThat(count("SELECT COUNT(*) AS n FROM dead_letter WHERE route_id = ?", "reconcile-" + JOB)).isEqualTo(deadLetters + 1);
        Map<String, Object> letter = TestDatabase.query("SELECT entity, payload, reason FROM dead_letter WHERE route_id = ?"
                + " ORDER BY id DESC LIMIT 1", "reconcile-" + JOB).get(0);
        assertThat(letter).containsEntry("entity", "contact");
        assertThat((String) letter.get("payload")).contains("\"run\":" + runId);
        assertThat((String) letter.get("reason")).contains("differences refused by the test");
        // its staging dropped all the same (doFinally)
        assertThat(count("SELECT COUNT(*) AS n FROM pg_class WHERE relname LIKE ?", "reconciliation_record_" + runId + "%")).isZero();

        // every run of the class went through route reconcile-<job>, the failed one included
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines().filter(line -> line.startsWith("camel_exchanges_total{")
                && line.contains("routeId=\"reconcile-" + JOB + "\"")).findFirst())
                .hasValueSatisfying(line -> assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .isGreaterThanOrEqualTo(2));
        admin().when().post("/admin/reconciliations/" + JOB + "/runs").then().statusCode(200).body("status", equalTo("ok"));
        awaitAlert("SynclineReconciliationUntrustworthy", "resolved", Map.of("job", JOB, "entity", "contact"));
    }

    @Test
    @Order(9)
    void everySeriesTheAlertRulesNameIsExportedWithTheLabelsTheyUse() {
        // by now the runs above have set the reconciliation gauges and events went through the inbox
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(AlertRuleSeries.expressions()).hasSizeGreaterThanOrEqualTo(10);
        // the Kafka mode's series: KafkaInboxLagTest, against a process in that mode; a watched source's: ChangePollingTest;
        // a capture's: SalesforceCdcTest
        assertThat(AlertRuleSeries.assertExported(metrics, AlertRuleSeries.ALWAYS)).isGreaterThanOrEqualTo(10);
    }

    @Test
    @Order(10)
    void anAutoFixWritesTheMastersWholeRecordWhateverTheJobCompares() throws SQLException {
        String job = "contacts-crm-billing-partial";
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM demo_contact");
        }
        crm.records(List.of(crmContact("r-partial", "partial@example.com", "Whole", "York", OLD)));

        int runId = admin().when().post("/admin/reconciliations/" + job + "/runs")
                .then().statusCode(200).body("status", equalTo("ok")).body("counts.fixed", equalTo(1)).extract().path("id");

        Map<String, Object> fix = TestDatabase.query("SELECT inbox_id FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = 'r-partial'", runId).get(0);
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ? AND status = 'done'", fix.get("inbox_id"));
        // the job compares e-mail and city only; the fix wrote the key and every other mapped field too
        Map<String, Object> row = TestDatabase.query("SELECT email, city, first_name, last_name, full_name, phone, updated_at"
                + " FROM demo_contact WHERE external_id = 'r-partial'").get(0);
        assertThat(row).containsEntry("email", "partial@example.com").containsEntry("city", "York")
                .containsEntry("first_name", "Ada").containsEntry("last_name", "Whole").containsEntry("full_name", "Ada Whole")
                .containsEntry("phone", "+44207946" + digits("r-partial"));
        assertThat(row.get("updated_at")).as("the master's modification time, not compared either").isNotNull();
        assertThat(TestDatabase.query("SELECT route_id FROM inbox WHERE id = ?", fix.get("inbox_id")))
                .containsExactly(Map.of("route_id", "reconcile:" + job));
    }

    @Test
    @Order(11)
    void anAutoFixWithoutAFixEndpointGoesToTheApplyRouteTheModelMakesForTheMaster() {
        // members-fix names no fixEndpoint, and its master (the ledger) sends no events
        assertThat(camel.getRoute("member-ledger-to-vault")).as("the apply route made for the job's auto-fix").isNotNull();
        assertThat(ReconciliationJob.of("members-fix", models.current().model()).fixEndpoint())
                .isEqualTo("direct:member-ledger-to-vault");
        assertThat(ReconciliationJob.of("contacts-crm-billing-partial", models.current().model()).fixEndpoint())
                .isEqualTo("direct:contact-crm-to-billing");
    }

    @Test
    @Order(12)
    void whenBillingHoldsEveryCrmRecordEqualTheLowQualityAlertClears() throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM demo_contact");
            for (Map<String, Object> contact : currentCrm()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> address = (Map<String, Object>) contact.get("address");
                billingRow(connection, (String) contact.get("id"), contact.get("email").toString().trim().toLowerCase(java.util.Locale.ROOT),
                        (String) contact.get("lastName"), (String) address.get("city"),
                        java.time.OffsetDateTime.parse((String) contact.get("updatedAt")).toInstant());
            }
        }
        crm.records(currentCrm());
        admin().when().post("/admin/reconciliations/" + JOB + "/runs").then().statusCode(200).body("status", equalTo("ok"))
                .body("qualityScore", equalTo(1.0f));
        awaitAlert("SynclineReconciliationQualityLow", "resolved", Map.of("entity", "contact", "system", "billing"));
    }

    private static long runningRun(Connection connection, String instance) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO reconciliation_run (job, entity, side_a, side_b,"
                + " trigger_kind, instance_id, started_at) VALUES (?, 'contact', 'crm', 'billing', 'manual', ?, now())",
                new String[]{"id"})) {
            insert.setString(1, JOB);
            insert.setString(2, instance);
            insert.executeUpdate();
            try (var keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
