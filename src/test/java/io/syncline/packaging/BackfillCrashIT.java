package io.syncline.packaging;

import io.restassured.path.json.JsonPath;
import io.syncline.testsupport.BackfillTables;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backfill survives SIGKILL (src/test/resources/backfill-routes): the packaged application,
 * on a fresh database, runs the ERP's customers into billing (PostgreSQL) and the shop (MariaDB),
 * and is killed at three random instants, once in the dry run and twice in the run, then started
 * again each time. The restarted application takes the job over once its lease has passed and
 * goes on from its last committed page. Afterwards the dry run reported each record once per
 * target, every record is in both targets, the audit shows each once per target, and a
 * reconciliation of each pair finds no difference. {@code -Dsyncline.test.seed=<seed>} replays
 * the kill points; {@code -Dbackfill.test.records=100000} runs it at 100,000 records.
 */
class BackfillCrashIT {

    private static final int RECORDS = Integer.getInteger("backfill.test.records", 5_000);
    private static final String PASSWORD = "backfill-it-password";

    @Test
    void aBackfillKilledThreeTimesMissesNothingAndWritesNothingTwice() throws Exception {
        TestSeed seed = TestSeed.of("BackfillCrashIT");
        Random random = seed.random();
        String context = seed.context();
        String url = TestDatabase.siblingUrl("_backfill_crash");
        TestDatabase.ensureDatabase(url, true);
        MariaDbTestDatabase.ensure();
        Map<String, String> account = MariaDbTestDatabase.createApplicationUser();
        BackfillTables.createOnMariaDb(RECORDS);

        PackagedApplication app = PackagedApplication.start("backfill-crash-it-0", Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", url),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", TestDatabase.user()),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password()),
                Map.entry("SYNCLINE_ADMIN_PASSWORD", PASSWORD),
                Map.entry("SYNCLINE_ROUTES_LOCATION", "src/test/resources/backfill-routes"),
                Map.entry("SYNCLINE_RECONCILIATION_SCHEDULES_ENABLED", "false"),
                Map.entry("SYNCLINE_BACKFILL_LEASE", "3s"),
                Map.entry("SYNCLINE_BACKFILL_CLAIM_INTERVAL", "250ms"),
                Map.entry("SYNCLINE_INBOX_LEASE", "10s"),
                Map.entry("ERP_DB_URL", MariaDbTestDatabase.url()),
                Map.entry("ERP_DB_USER", account.get("user")),
                Map.entry("ERP_DB_PASSWORD", account.get("password"))), List.of("-Xmx256m"));
        List<Integer> exitCodes = new ArrayList<>();
        try {
            app.awaitReady(context);
            BackfillTables.createOnPostgres(url, RECORDS);
            long dryRun = start(app, "/admin/backfills/customers/dry-runs");
            app = killWhenRead(app, dryRun, random.nextInt(RECORDS / 5, RECORDS * 4 / 5), exitCodes, context);
            JsonPath report = awaitCompleted(app, dryRun, context);
            assertThat(report.getInt("job.recordsRead")).as(context).isEqualTo(RECORDS);
            assertThat(TestDatabase.queryOn(url, "SELECT count(*) AS n, count(DISTINCT (target, source_key)) AS distinct_lines"
                    + " FROM backfill_item WHERE job_id = ?", dryRun)).as(context)
                    .containsExactly(Map.of("n", 2L * RECORDS, "distinct_lines", 2L * RECORDS));

            long run = start(app, "/admin/backfills/customers/runs?dryRun=" + dryRun + "&confirm=true");
            int first = random.nextInt(RECORDS / 10, RECORDS / 2);
            app = killWhenRead(app, run, first, exitCodes, context);
            app = killWhenRead(app, run, random.nextInt(first + 1, RECORDS), exitCodes, context);
            JsonPath done = awaitCompleted(app, run, context);
            assertThat(done.getInt("job.eventsStored")).as(context).isEqualTo(2 * RECORDS);
            // every record applied with its page: none needed the inbox
            assertThat(done.getInt("job.eventsApplied")).as(context).isEqualTo(2 * RECORDS);
            assertThat(done.getMap("events")).as(context).isEmpty();

            assertThat(exitCodes).as(context).containsExactly(137, 137, 137);
            assertThat(TestDatabase.queryOn(url, "SELECT count(*) AS n FROM bf_billing_customer WHERE name LIKE 'Customer %'"))
                    .as(context).containsExactly(Map.of("n", (long) RECORDS));
            assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n FROM bf_shop_customer")).as(context)
                    .containsExactly(Map.of("n", (long) RECORDS));
            // each record applied once to each target; an event claimed again after a killed worker's lease ran out
            // finds its key applied, and is audited as the duplicate it is
            for (String target : List.of("billing", "shop")) {
                assertThat(TestDatabase.queryOn(url, "SELECT count(*) AS n, count(DISTINCT source_id) AS records FROM audit_log"
                        + " WHERE run_id = ? AND target_system = ? AND action IN ('created', 'updated', 'unchanged')",
                        "backfill:" + run, target)).as(context + " " + target)
                        .containsExactly(Map.of("n", (long) RECORDS, "records", (long) RECORDS));
                assertThat(TestDatabase.queryOn(url, "SELECT DISTINCT action FROM audit_log WHERE run_id = ? AND target_system = ?"
                        + " AND action NOT IN ('created', 'updated', 'unchanged')", "backfill:" + run, target))
                        .as(context + " " + target).allSatisfy(row -> assertThat(row).containsEntry("action", "skipped-duplicate"));
            }
            for (String job : List.of("erp-billing", "erp-shop")) {
                JsonPath reconciled = given().auth().preemptive().basic("admin", PASSWORD)
                        .post(app.url("/admin/reconciliations/" + job + "/runs")).then().statusCode(200).extract().jsonPath();
                assertThat(reconciled.getString("status")).as(context + " " + job).isEqualTo("ok");
                assertThat(reconciled.getLong("counts.equal")).as(context + " " + job).isEqualTo(RECORDS);
                assertThat(reconciled.getLong("counts.onlyInA") + reconciled.getLong("counts.onlyInB")
                        + reconciled.getLong("counts.mismatched")).as(context + " " + job).isZero();
            }
        } finally {
            app.close();
        }
    }

    private static long start(PackagedApplication app, String path) {
        return given().auth().preemptive().basic("admin", PASSWORD).post(app.url(path))
                .then().statusCode(202).extract().jsonPath().getLong("id");
    }

    private static JsonPath job(PackagedApplication app, long id) {
        return given().auth().preemptive().basic("admin", PASSWORD).get(app.url("/admin/backfills/jobs/" + id))
                .then().statusCode(200).extract().jsonPath();
    }

    /** SIGKILL once the job has read {@code records}, then the application started again. */
    private static PackagedApplication killWhenRead(PackagedApplication app, long id, int records, List<Integer> exitCodes,
            String context) throws Exception {
        await(context + ": job " + id + " reads " + records).atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> job(app, id).getLong("job.recordsRead") >= records);
        exitCodes.add(app.kill());
        PackagedApplication restarted = app.restart("backfill-crash-it-" + exitCodes.size());
        restarted.awaitReady(context);
        return restarted;
    }

    private static JsonPath awaitCompleted(PackagedApplication app, long id, String context) {
        await(context + ": job " + id + " completes").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> job(app, id).getString("job.status"), status -> status.equals("completed") || status.equals("failed"));
        JsonPath job = job(app, id);
        assertThat(job.getString("job.status")).as(context + ": " + job.getString("job.error")).isEqualTo("completed");
        return job;
    }
}
