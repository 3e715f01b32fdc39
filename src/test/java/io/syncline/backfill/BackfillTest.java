package io.syncline.backfill;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.BackfillTables;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

/**
 * Onboarding by backfill (src/test/resources/backfill-routes): an ERP's customers, a PostgreSQL
 * table, into billing (PostgreSQL) and a shop (MariaDB). Billing holds a tenth of them already
 * under other names and the shop a twentieth as they are, none linked: the dry run reports what
 * the run would create, update (field by field, matched by e-mail) and leave unchanged, writing
 * nothing; the run refuses to start without confirmation, pauses and resumes, writes every
 * record once, and a reconciliation of each pair then finds no difference. A filtered backfill
 * copies only its records, and a run refuses to start from a dry run the source has since moved
 * away from. The ERP's change poll starts where the completed run began reading. {@code -Dbackfill.test.records=100000} runs it at 100,000 records.
 */
@QuarkusTest
@TestProfile(BackfillTest.BackfillRoutes.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillTest {

    public static class BackfillRoutes implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "src/test/resources/backfill-routes",
                    "syncline.backfill.claim-interval", "200ms",
                    "syncline.reconciliation.schedules-enabled", "false",
                    // the alert notifier tells a Slack stub the test opens, of a backfill stalled for 2 s
                    "syncline.alerts.slack-url", SlackStub.urlOn(SlackStub.portFor(ALERTS_PORT)),
                    "syncline.alerts.interval", "250ms",
                    "syncline.alerts.min-interval", "0s",
                    "syncline.alerts.backfill-stall", "2s");
        }

        static final String ALERTS_PORT = "backfill-alerts.test-port";
    }

    private static final int RECORDS = Integer.getInteger("backfill.test.records", 4_000);
    private static final int IN_BILLING = BackfillTables.inBilling(RECORDS);
    private static final int IN_SHOP = BackfillTables.inShop(RECORDS);

    @BeforeAll
    static void tables() throws Exception {
        BackfillTables.createOnPostgres(TestDatabase.url(), RECORDS);
        BackfillTables.createOnMariaDb(RECORDS);
        // a new ERP table: its poll has read nothing of it (the test database keeps earlier runs' rows)
        TestDatabase.update("DELETE FROM watermark WHERE job = 'poll:customer:erp'");
        inboxBefore = count("SELECT coalesce(max(id), 0) AS n FROM inbox");
    }

    /** The inbox's last event before this run's. */
    private static long inboxBefore;
    private static SlackStub slack;

    @BeforeAll
    static void slack() throws IOException {
        slack = new SlackStub(SlackStub.portFor(BackfillRoutes.ALERTS_PORT));
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    private static long backfillStalledTold(String status) {
        return slack.messages.stream().filter(message -> "SynclineBackfillStalled".equals(message.get("alert"))
                && status.equals(message.get("status"))).count();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /** Starts a job: 202 with the job as it is by then, queued or already claimed by the runner. */
    private static long start(String path) {
        return admin().when().post(path).then().statusCode(202).body("status", oneOf("queued", "running"))
                .extract().jsonPath().getLong("id");
    }

    private static ValidatableResponse awaitStatus(long job, String status) {
        // ten minutes, and a minute more for every 2,000 records beyond 20,000
        await().atMost(Duration.ofMinutes(Math.max(10, RECORDS / 2_000))).pollInterval(Duration.ofMillis(500)).until(
                () -> admin().get("/admin/backfills/jobs/" + job).then().extract().jsonPath().getString("job.status"),
                now -> status.equals(now) || "failed".equals(now));
        return admin().get("/admin/backfills/jobs/" + job).then().statusCode(200).body("job.status", equalTo(status));
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.query(sql, parameters).get(0).get("n")).longValue();
    }

    private static long dryRun;

    @Test
    @Order(1)
    void aDryRunReportsWhatTheRunWouldDoAndWritesNothing() {
        dryRun = start("/admin/backfills/customers/dry-runs");
        ValidatableResponse done = awaitStatus(dryRun, "completed");
        done.body("job.recordsRead", equalTo(RECORDS))
                .body("job.outcomes.billing.create", equalTo(RECORDS - IN_BILLING))
                .body("job.outcomes.billing.update", equalTo(IN_BILLING))
                .body("job.outcomes.shop.create", equalTo(RECORDS - IN_SHOP))
                .body("job.outcomes.shop.unchanged", equalTo(IN_SHOP))
                .body("job.targetRecords.billing", equalTo(IN_BILLING))
                .body("job.targetRecords.shop", equalTo(IN_SHOP));

        // field by field, with the rule that found the record
        Map<String, Object> update = admin().get("/admin/backfills/jobs/" + dryRun + "/report?outcome=update&limit=1")
                .then().statusCode(200).extract().jsonPath().getMap("[0]");
        assertThat(update).containsEntry("target", "billing").containsEntry("sourceKey", BackfillTables.key(1))
                .containsEntry("targetId", BackfillTables.key(1)).containsEntry("matchRule", "email (0.95)")
                .containsEntry("changes", Map.of("name", Map.of("from", "Old name 1", "to", "Customer 1")));

        String csv = admin().accept("text/csv").get("/admin/backfills/jobs/" + dryRun + "/report.csv")
                .then().statusCode(200).extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(2 * RECORDS + 1);
        assertThat(lines.get(0)).isEqualTo("seq,source_key,target,outcome,target_id,match_rule,changes,reason,entity,unresolved");
        assertThat(lines).contains("\"1\",\"" + BackfillTables.key(1) + "\",\"billing\",\"update\",\"" + BackfillTables.key(1)
                + "\",\"email (0.95)\","
                + "\"{\"\"name\"\":{\"\"from\"\":\"\"Old name 1\"\",\"\"to\"\":\"\"Customer 1\"\"}}\",,\"customer\",\"0\"");

        // nothing written: billing keeps its old names, the shop its rows, no audit entry, no event
        assertThat(count("SELECT count(*) AS n FROM bf_billing_customer WHERE name LIKE 'Old name %'")).isEqualTo(IN_BILLING);
        assertThat(count("SELECT count(*) AS n FROM bf_billing_customer")).isEqualTo(IN_BILLING);
        assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n FROM bf_shop_customer").get(0).get("n")).isEqualTo((long) IN_SHOP);
        assertThat(count("SELECT count(*) AS n FROM audit_log WHERE run_id = ?", "backfill:" + dryRun)).isZero();
        assertThat(count("SELECT count(*) AS n FROM inbox WHERE route_id = ?", "backfill:" + dryRun)).isZero();
    }

    @Test
    @Order(2)
    void aRunNeedsConfirmationThenPausesResumesAndWritesEachRecordOnce() {
        // a tenth of billing would be updated: above the backfill's maxUpdateShare of 5 %
        admin().post("/admin/backfills/customers/runs?dryRun=" + dryRun).then().statusCode(409)
                .body("error", equalTo("confirmation_required")).body("message", containsString("billing"));
        admin().post("/admin/backfills/customers/runs").then().statusCode(400).body("field", equalTo("dryRun"));

        long run = start("/admin/backfills/customers/runs?dryRun=" + dryRun + "&confirm=true");
        admin().post("/admin/backfills/jobs/" + run + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        long readWhenPaused = admin().get("/admin/backfills/jobs/" + run).then().extract().jsonPath().getLong("job.recordsRead");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> admin().get("/admin/backfills/jobs/" + run).then().extract().jsonPath().getLong("job.recordsRead") <= readWhenPaused + 1000);
        admin().post("/admin/backfills/jobs/" + run + "/pause").then().statusCode(409).body("error", equalTo("not_paused_now"));
        admin().post("/admin/backfills/jobs/" + run + "/resume").then().statusCode(200).body("status", equalTo("queued"));

        awaitStatus(run, "completed")
                .body("job.recordsRead", equalTo(RECORDS))
                .body("job.eventsStored", equalTo(2 * RECORDS))
                // each page applied in its own transaction: nothing went through the inbox
                .body("job.eventsApplied", equalTo(2 * RECORDS))
                .body("events", anEmptyMap())
                .body("applied.created", equalTo(2 * RECORDS - IN_BILLING - IN_SHOP))
                .body("applied.updated", equalTo(IN_BILLING))
                .body("applied.unchanged", equalTo(IN_SHOP))
                .body("recordsTotal", equalTo(RECORDS));

        assertThat(count("SELECT count(*) AS n FROM bf_billing_customer")).isEqualTo(RECORDS);
        assertThat(count("SELECT count(*) AS n FROM bf_billing_customer WHERE name LIKE 'Old name %'")).isZero();
        assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n FROM bf_shop_customer").get(0).get("n")).isEqualTo((long) RECORDS);
        // each record once in each target's audit
        for (String target : List.of("billing", "shop")) {
            assertThat(TestDatabase.query("SELECT count(*) AS n, count(DISTINCT source_id) AS records FROM audit_log"
                    + " WHERE run_id = ? AND target_system = ?", "backfill:" + run, target))
                    .containsExactly(Map.of("n", (long) RECORDS, "records", (long) RECORDS));
        }

        // afterwards each pair agrees
        for (String job : List.of("erp-billing", "erp-shop")) {
            admin().post("/admin/reconciliations/" + job + "/runs").then().statusCode(200)
                    .body("status", equalTo("ok"))
                    .body("counts.onlyInA", equalTo(0)).body("counts.onlyInB", equalTo(0))
                    .body("counts.mismatched", equalTo(0)).body("counts.equal", equalTo(RECORDS));
        }
    }

    @Test
    @Order(3)
    void aFilteredBackfillRefusesARunOnceTheSourceMovedAwayFromItsDryRun() {
        long gold = start("/admin/backfills/gold-customers/dry-runs");
        Map<String, Integer> outcomes = awaitStatus(gold, "completed")
                .body("job.recordsFiltered", equalTo(RECORDS - RECORDS / 4))
                .extract().jsonPath().getMap("job.outcomes.billing");
        // the gold quarter only, each already as the ERP has it
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS / 4);
        assertThat(outcomes).doesNotContainKeys("create", "update");

        // 2 % of the source changes after the dry run: beyond the tolerance of 1 %
        TestDatabase.update("UPDATE bf_erp_customer SET name = name || ' (moved)', updated_at = now()"
                + " WHERE id IN (SELECT id FROM bf_erp_customer ORDER BY id LIMIT " + (RECORDS / 50) + ")");
        admin().post("/admin/backfills/gold-customers/runs?dryRun=" + gold).then().statusCode(409)
                .body("error", equalTo("changed_since_dry_run")).body("message", containsString("erp changed since dry run " + gold));
        // a dry run of another backfill is no starting point
        admin().post("/admin/backfills/customers/runs?dryRun=" + gold).then().statusCode(409).body("error", equalTo("other_dry_run"));
        admin().post("/admin/backfills/nothing/dry-runs").then().statusCode(404);

        long cancelled = start("/admin/backfills/gold-customers/dry-runs");
        admin().post("/admin/backfills/jobs/" + cancelled + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
        admin().post("/admin/backfills/jobs/" + cancelled + "/resume").then().statusCode(409);
        given().post("/admin/backfills/gold-customers/dry-runs").then().statusCode(401);
    }

    /**
     * The ERP's poll ({@code startAt: backfill}) read nothing while no run had completed, and then
     * only what changed since the customers run began reading: the fiftieth of the records
     * {@link #aFilteredBackfillRefusesARunOnceTheSourceMovedAwayFromItsDryRun} moved, not the table again.
     */
    @Test
    @Order(4)
    void thePollStartsWhereTheCompletedBackfillBeganReading() {
        int moved = RECORDS / 50;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> count("SELECT count(*) AS n FROM bf_billing_customer WHERE name LIKE '% (moved)'") == moved);
        // a few polls more: nothing else is read
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) AS n FROM inbox WHERE route_id = 'erp-customer-poll' AND id > ?", inboxBefore) == moved);
        assertThat(count("SELECT count(DISTINCT record_key) AS n FROM inbox WHERE route_id = 'erp-customer-poll' AND id > ?"
                + " AND payload LIKE '%(moved)%'", inboxBefore)).isEqualTo(moved);
    }

    /**
     * A dry run whose source stops answering (its table locked, as by a migration) does not move on:
     * past {@code syncline.alerts.backfill-stall} the notifier tells it stalled, and once the source
     * answers again and the run moves on, resolved.
     */
    @Test
    @Order(5)
    void aBackfillWhoseSourceStopsAnsweringIsStalledUntilItMovesOn() throws Exception {
        // a page of an earlier run slower than the bound is told and resolved before the test begins
        await().atMost(Duration.ofSeconds(30)).until(() -> backfillStalledTold("firing") <= backfillStalledTold("resolved"));
        long firing = backfillStalledTold("firing");
        long resolved = backfillStalledTold("resolved");
        long job;
        try (Connection erp = TestDatabase.connect(); Statement lock = erp.createStatement()) {
            erp.setAutoCommit(false);
            lock.execute("LOCK TABLE bf_erp_customer IN ACCESS EXCLUSIVE MODE");
            job = start("/admin/backfills/gold-customers/dry-runs");
            await().atMost(Duration.ofSeconds(30)).until(() -> backfillStalledTold("firing") > firing);
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).contains("syncline_backfills_stalled 1.0");
            erp.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backfillStalledTold("resolved") > resolved);
        assertThat(backfillStalledTold("firing")).isEqualTo(firing + 1);
        awaitStatus(job, "completed");
    }
}
