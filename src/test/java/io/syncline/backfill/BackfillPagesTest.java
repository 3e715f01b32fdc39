package io.syncline.backfill;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.syncline.testsupport.BackfillTables;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backfill worked from the console's pages alone (the related-records backfill of
 * src/test/resources/backfill-routes, on BackfillTest's application): the model's backfills listed
 * with a dry run to start; the dry run's page following it to its end with what the run would
 * create; the run started from it, whose page shows its events applied, as billing's rows are; a
 * pause of an ended job refused with the reason; a job that does not exist a 404.
 */
@QuarkusTest
@TestProfile(BackfillTest.BackfillRoutes.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class BackfillPagesTest {

    private static final String BACKFILL = "sales-into-billing";
    private static final int COMPANIES = 4;
    /** This run's ids' prefix: the test database keeps the ID map of earlier runs. */
    private static final String P = "bp" + Long.toString(System.currentTimeMillis(), 36) + "-";
    private static final Pattern JOB = Pattern.compile("/console/backfills/jobs/(\\d+)\\?done=");

    @BeforeAll
    static void tables() {
        BackfillTables.createRelated(P, COMPANIES, 2, 1);
    }

    @Test
    void aDryRunThenItsRunAreStartedAndFollowedOnTheConsole() {
        String session = logIn();
        String list = page(session, "/console/backfills");
        assertThat(list).contains("id=\"backfill-" + BACKFILL + "\"").contains("id=\"dry-run-" + BACKFILL + "\"");

        long dryRun = started(given().cookie("syncline-console", session).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("backfill", BACKFILL)
                .when().post("/console/backfills/dry-runs"));
        String dryRunPage = awaitEnded(session, dryRun);
        assertThat(dryRunPage).contains("id=\"job-status\">completed<").contains("id=\"run\"")
                .containsPattern("<td>company</td><td class=\"num\">" + COMPANIES + "</td><td>billing</td><td>create</td>");
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM bf_billing_company").get(0).get("n")).isEqualTo(0L);
        assertThat(page(session, "/console/backfills?backfill=" + BACKFILL)).contains("id=\"job-" + dryRun + "\"");

        long run = started(given().cookie("syncline-console", session).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("backfill", BACKFILL)
                .formParam("dryRun", String.valueOf(dryRun)).when().post("/console/backfills/runs"));
        String runPage = awaitEnded(session, run);
        assertThat(runPage).contains("id=\"job-status\">completed<").contains("href=\"/console/backfills/jobs/" + dryRun + "\"");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> page(session, "/console/backfills/jobs/" + run).contains("<td>applied with their page</td><td class=\"num\">7</td>"));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM bf_billing_company WHERE name LIKE 'Company %'").get(0).get("n"))
                .isEqualTo((long) COMPANIES);

        // an ended job cannot be paused: the reason, not a page of the job
        Response pause = given().cookie("syncline-console", session).redirects().follow(false)
                .when().post("/console/backfills/jobs/" + run + "/pause");
        assertThat(pause.statusCode()).isEqualTo(409);
        assertThat(pause.asString()).contains("job " + run + " is completed");
        assertThat(given().cookie("syncline-console", session).when().get("/console/backfills/jobs/999999999").statusCode())
                .isEqualTo(404);
    }

    /** The job a console action answered with: it sends the browser to the job's page. */
    private static long started(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(303);
        Matcher job = JOB.matcher(answer.getHeader("Location"));
        assertThat(job.find()).as(answer.getHeader("Location")).isTrue();
        return Long.parseLong(job.group(1));
    }

    private static String awaitEnded(String session, long job) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> page(session, "/console/backfills/jobs/" + job), page -> page.contains("id=\"job-status\">completed<")
                        || page.contains("id=\"job-status\">failed<"));
        return page(session, "/console/backfills/jobs/" + job);
    }

    private static String page(String session, String path) {
        return given().cookie("syncline-console", session).when().get(path).then().statusCode(200).extract().asString();
    }

    /** The console's session cookie of the admin's form login. */
    private static String logIn() {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "test-only-password")
                .when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.getCookie("syncline-console");
    }
}
