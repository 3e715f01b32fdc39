package io.syncline.console;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.syncline.testsupport.ConsoleBrowser;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import io.syncline.testsupport.TwoWayContacts.Side;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real headless browser (Debian's chromium through chromium-driver) on
 * the two-way contacts: log in, resolve a conflict by choosing sides, replay a dead letter and see
 * it applied, find a record by e-mail; each checked in the database afterwards. Without a login
 * every console URL leads to the login page, and a viewer may look but not act. Screenshots of
 * each page go to target/console-screenshots/.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class ConsoleTest {

    private static final List<String> PAGES = List.of("/console", "/console/review", "/console/review/1", "/console/dead-letters",
            "/console/dead-letters/1", "/console/records?q=x", "/console/reconciliation", "/console/privacy", "/console/privacy/1");

    private static ConsoleBrowser browser;
    private static ConsoleBrowser viewerBrowser;

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (viewerBrowser != null) {
            viewerBrowser.close();
            viewerBrowser = null;
        }
    }

    /** One browser for the class, logged in as admin. */
    private static ConsoleBrowser admin() {
        if (browser == null) {
            browser = new ConsoleBrowser().logIn("admin", "test-only-password");
        }
        return browser;
    }

    /** A second browser, logged in as the viewer. */
    private static ConsoleBrowser viewer() {
        if (viewerBrowser == null) {
            viewerBrowser = new ConsoleBrowser().logIn("viewer", "test-only-viewer-password");
        }
        return viewerBrowser;
    }

    /** A CRM contact without a last name, held for review; returns the review item's id. */
    private static long heldRecord(String id) throws SQLException {
        TwoWayContacts.insert(Side.CRM, id, id + "@example.com", null);
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        return longOf(TestDatabase.query("SELECT id FROM review_item WHERE kind = 'held_record' AND source_id = ?", id));
    }

    private static long heldConflict(String id) throws SQLException {
        TwoWayContacts.create(id);
        TwoWayContacts.edit(Side.BILLING, id, Map.of("city_review", "B", "updated_at", TwoWayContacts.T0.plusSeconds(60)));
        TwoWayContacts.edit(Side.CRM, id, Map.of("city_review", "A", "updated_at", TwoWayContacts.T0.plusSeconds(120)));
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        return longOf(TestDatabase.query("SELECT id FROM review_item WHERE source_system = 'crm' AND source_id = ?", id));
    }

    /** A CRM contact whose write to billing failed for good (billing's table gone meanwhile); returns the dead letter's id. */
    private static long deadLetter(String id) throws SQLException {
        TwoWayContacts.insert(Side.CRM, id, id + "@example.com", "Lovelace");
        execute("ALTER TABLE conflict_billing_contact RENAME TO conflict_billing_contact_gone");
        try {
            assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("dead");
        } finally {
            execute("ALTER TABLE conflict_billing_contact_gone RENAME TO conflict_billing_contact");
        }
        return longOf(TestDatabase.query("SELECT id FROM dead_letter WHERE source_system = 'crm' AND payload LIKE ?",
                "%\"" + id + "\"%"));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long longOf(List<Map<String, Object>> rows) {
        assertThat(rows).hasSize(1);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    private static Map<String, Object> row(String sql, Object... parameters) {
        List<Map<String, Object>> rows = TestDatabase.query(sql, parameters);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** The session cookie of a form login. */
    private static String logInWithForm(String user, String password) {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", user).formParam("j_password", password)
                .when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        String cookie = answer.getCookie("syncline-console");
        assertThat(cookie).isNotBlank();
        return cookie;
    }

    @Test
    void withoutALoginEveryConsoleUrlLeadsToTheLoginPageAndNothingIsDone() throws SQLException {
        for (String page : PAGES) {
            Response answer = given().redirects().follow(false).when().get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(302);
            assertThat(answer.getHeader("Location")).as(page).endsWith("/console/login");
        }
        long letter = deadLetter("cs-" + UUID.randomUUID());
        int status = given().redirects().follow(false).when().post("/console/dead-letters/" + letter + "/replay").statusCode();
        assertThat(status).isIn(302, 401);
        assertThat(row("SELECT status FROM dead_letter WHERE id = ?", letter)).containsEntry("status", "new");
        // The admin API keeps HTTP Basic: 401 without credentials, not a login page.
        given().redirects().follow(false).when().get("/admin/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic("admin", "test-only-password").when().get("/admin/dead-letters").then().statusCode(200);
    }

    @Test
    void aWrongPasswordShowsTheLoginPageAgain() {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "guess").when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.getHeader("Location")).contains("/console/login?error=true");
    }

    @Test
    void consoleErrorsAreConsolePagesNotQuarkusDefaultPages() {
        String session = logInWithForm("viewer", "test-only-viewer-password");
        Response missing = given().cookie("syncline-console", session).when().get("/console/no-such-page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("text/html");
        assertThat(missing.asString()).contains("<h1>Not found</h1>", "Nothing is at /console/no-such-page", "href=\"/console\"");

        Response refused = given().cookie("syncline-console", session).formParam("id", "1")
                .when().post("/console/dead-letters/replay");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.asString()).contains("<h1>Not allowed</h1>", "may look at the console but not act");

        Response wrongMethod = given().cookie("syncline-console", session).when().get("/console/dead-letters/replay");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.asString()).contains("<h1>Not allowed</h1>", "GET is not allowed on /console/dead-letters/replay");
        // Each in the console's layout: its navigation, who is logged in, the console's security headers.
        for (Response error : List.of(missing, refused, wrongMethod)) {
            assertThat(error.asString()).contains("aria-label=\"Console sections\"", "viewer (read-only)", "Log out");
            assertThat(error.getHeader("Content-Security-Policy")).contains("script-src 'none'");
        }
    }

    @Test
    void aUrlWithNothingBehindItShowsTheConsolesNotFoundPageInItsLayout() {
        viewer().open("/console/no-such-page");

        assertThat(viewer().text(By.tagName("h1"))).isEqualTo("Not found");
        assertThat(viewer().text(By.cssSelector("[role=alert]"))).isEqualTo("Nothing is at /console/no-such-page.");
        assertThat(viewer().driver().getTitle()).isEqualTo("Not found · Syncline console");
        viewer().clickAndWait(By.linkText("Review queue"));
        assertThat(viewer().path()).isEqualTo("/console/review");
    }

    @Test
    void aViewerMayLookButNotResolveReplayOrDiscard() throws SQLException {
        String id = "cv-" + UUID.randomUUID();
        long item = heldConflict(id);
        long letter = deadLetter(id + "-d");
        String session = logInWithForm("viewer", "test-only-viewer-password");

        given().cookie("syncline-console", session).when().get("/console/review/" + item).then().statusCode(200);
        given().cookie("syncline-console", session).when().get("/console/dead-letters/" + letter).then().statusCode(200);
        given().cookie("syncline-console", session).formParam("take.cityReview", "source")
                .when().post("/console/review/" + item + "/resolve").then().statusCode(403);
        given().cookie("syncline-console", session).formParam("reason", "spam")
                .when().post("/console/review/" + item + "/discard").then().statusCode(403);
        given().cookie("syncline-console", session).when().post("/console/dead-letters/" + letter + "/replay").then().statusCode(403);
        given().cookie("syncline-console", session).formParam("id", letter)
                .when().post("/console/dead-letters/replay").then().statusCode(403);
        given().cookie("syncline-console", session).formParam("reason", "test")
                .when().post("/console/dead-letters/" + letter + "/discard").then().statusCode(403);

        assertThat(row("SELECT status FROM review_item WHERE id = ?", item)).containsEntry("status", "open");
        assertThat(row("SELECT status FROM dead_letter WHERE id = ?", letter)).containsEntry("status", "new");
        // Nor may the viewer use the admin API.
        given().auth().preemptive().basic("viewer", "test-only-viewer-password").when().get("/admin/review-items")
                .then().statusCode(403);
    }

    @Test
    void aViewerReadsAReviewItemsValuesWithNothingToFillIn() throws SQLException {
        String id = "cv-" + UUID.randomUUID();
        long conflict = heldConflict(id);
        long held = heldRecord(id + "-h");

        for (long item : List.of(conflict, held)) {
            viewer().open("/console/review/" + item);
            assertThat(viewer().text(By.id("item-status"))).isEqualTo("open");
            assertThat(viewer().elementsNow(By.cssSelector("main input, main textarea, main select, main button")))
                    .as("review item %d", item).isEmpty();
        }
        assertThat(viewer().text(By.tagName("main"))).contains("lastName");
        // The admin, who may act, has the inputs of the decision.
        admin().open("/console/review/" + held);
        assertThat(admin().driver().findElements(By.id("value-lastName"))).hasSize(1);
    }

    @Test
    void aConflictIsResolvedInTheBrowserByChoosingASidePerField() throws SQLException {
        String id = "cr-" + UUID.randomUUID();
        long item = heldConflict(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/review?kind=conflict&entity=contact");
        browser.screenshot("review-queue");
        browser.clickAndWait(By.linkText("#" + item));
        assertThat(browser.path()).isEqualTo("/console/review/" + item);
        browser.screenshot("review-item");
        browser.driver().findElement(By.id("take-cityReview-source")).click();
        browser.clickAndWait(By.id("resolve"));

        assertThat(browser.text(By.id("item-status"))).isEqualTo("resolved");
        assertThat(browser.text(By.id("resolved-by"))).isEqualTo("admin");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("A");
        assertThat(row("SELECT status, resolved_by FROM review_item WHERE id = ?", item))
                .containsEntry("status", "resolved").containsEntry("resolved_by", "admin");
        assertThat(row("SELECT actor FROM audit_log WHERE run_id = ?", "review-" + item)).containsEntry("actor", "admin");
    }

    @Test
    void whoeverResolvesFirstWinsAndTheOtherSeesTheirDecision() throws SQLException {
        String id = "cw-" + UUID.randomUUID();
        long item = heldConflict(id);
        ConsoleBrowser browser = admin();
        browser.open("/console/review/" + item);
        browser.driver().findElement(By.id("take-cityReview-source")).click();

        // Meanwhile an API client keeps billing's value.
        given().auth().preemptive().basic("admin", "test-only-password").contentType("application/json")
                .body("{\"fields\": {\"cityReview\": \"target\"}}").when().post("/admin/review-items/" + item + "/resolve")
                .then().statusCode(200);
        browser.clickAndWait(By.id("resolve"));

        assertThat(browser.text(By.cssSelector("[role=alert]"))).contains("already resolved");
        assertThat(browser.text(By.id("item-status"))).isEqualTo("resolved");
        assertThat(browser.text(By.id("resolution"))).contains("\"take\" : \"target\"");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("B");
    }

    @Test
    void anAmbiguousMatchIsResolvedByPickingACandidate() throws SQLException {
        String id = "ca-" + UUID.randomUUID();
        String email = id + "@example.com";
        TwoWayContacts.insert(Side.BILLING, id + "-b1", email, "One");
        TwoWayContacts.insert(Side.BILLING, id + "-b2", email, "Two");
        TwoWayContacts.insert(Side.CRM, id, email, "Lovelace");
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        long item = longOf(TestDatabase.query("SELECT id FROM review_item WHERE kind = 'ambiguous_match' AND source_id = ?", id));
        ConsoleBrowser browser = admin();

        browser.open("/console/review/" + item);
        browser.screenshot("review-ambiguous-match");
        browser.driver().findElement(By.cssSelector("input[name=candidate][value='id:" + id + "-b2']")).click();
        browser.clickAndWait(By.id("resolve"));

        assertThat(browser.text(By.id("item-status"))).isEqualTo("resolved");
        assertThat(TwoWayContacts.row(Side.BILLING, id + "-b2").get("last_name")).isEqualTo("Lovelace");
        assertThat(TwoWayContacts.row(Side.BILLING, id + "-b1").get("last_name")).isEqualTo("One");
        assertThat(TestDatabase.query("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'billing' AND canonical_id ="
                + " (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?)", id))
                .containsExactly(Map.of("system_id", id + "-b2"));
    }

    @Test
    void aHeldRecordIsResolvedWithTheMissingValue() throws SQLException {
        String id = "ch-" + UUID.randomUUID();
        long item = heldRecord(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/review/" + item);
        // Held before it reached its target, the record still names where it goes.
        assertThat(browser.text(By.id("item-route"))).isEqualTo("crm (" + id + ") → billing");
        assertThat(row("SELECT target_system FROM review_item WHERE id = ?", item)).containsEntry("target_system", "billing");
        browser.driver().findElement(By.id("value-lastName")).sendKeys("Hopper");
        browser.clickAndWait(By.id("resolve"));

        assertThat(browser.text(By.id("item-status"))).isEqualTo("resolved");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("last_name")).isEqualTo("Hopper");
    }

    @Test
    void aResolutionWithoutADecisionPerFieldIsRefusedAsTheApiRefusesIt() throws SQLException {
        String id = "cc-" + UUID.randomUUID();
        long item = heldConflict(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/review/" + item);
        browser.clickAndWait(By.id("resolve"));

        assertThat(browser.text(By.cssSelector("[role=alert]"))).contains("decision per conflicting field");
        assertThat(row("SELECT status FROM review_item WHERE id = ?", item)).containsEntry("status", "open");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("B");
    }

    @Test
    void aDeadLetterIsReplayedFromTheBrowserAndApplied() throws SQLException {
        String id = "cd-" + UUID.randomUUID();
        long letter = deadLetter(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/dead-letters/" + letter);
        browser.screenshot("dead-letter");
        browser.open("/console/dead-letters");
        browser.screenshot("dead-letters");
        browser.driver().findElement(By.id("select-" + letter)).click();
        browser.clickAndWait(By.id("replay-selected"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.path()).isEqualTo("/console/dead-letters/progress"));
        // The page reloads itself until every event has finished: an element found may be gone at once.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(browser.text(By.id("progress-summary"))).startsWith("1 of 1"));
        browser.screenshot("dead-letter-progress");
        assertThat(row("SELECT status, handled_by FROM dead_letter WHERE id = ?", letter))
                .containsEntry("status", "replayed").containsEntry("handled_by", "admin");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("last_name")).isEqualTo("Lovelace");
    }

    @Test
    void aSingleReplayIsFollowedToItsOutcome() throws SQLException {
        String id = "cg-" + UUID.randomUUID();
        long letter = deadLetter(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/dead-letters/" + letter);
        // Billing takes no write until the page has shown the replay under way.
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE conflict_billing_contact IN SHARE ROW EXCLUSIVE MODE");
            }
            browser.clickAndWait(By.id("replay"));
            assertThat(browser.text(By.id("replay-status"))).isIn("pending", "processing");
            lock.rollback();
        }

        // No click or reload of the test's: the page follows the replayed event until it has finished.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(browser.text(By.id("replay-status"))).isEqualTo("done"));
        assertThat(browser.path()).isEqualTo("/console/dead-letters/" + letter);
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("last_name")).isEqualTo("Lovelace");
    }

    @Test
    void aDeadLetterIsDiscardedWithItsReason() throws SQLException {
        long letter = deadLetter("cx-" + UUID.randomUUID());
        ConsoleBrowser browser = admin();

        browser.open("/console/dead-letters/" + letter);
        browser.driver().findElement(By.id("discard-reason")).sendKeys("test data");
        browser.clickAndWait(By.id("discard"));

        assertThat(browser.text(By.id("letter-status"))).isEqualTo("discarded");
        assertThat(row("SELECT status, handled_by, discard_reason FROM dead_letter WHERE id = ?", letter))
                .containsEntry("status", "discarded").containsEntry("handled_by", "admin").containsEntry("discard_reason", "test data");
    }

    @Test
    void everyStatusTheDeadLetterFilterOffersTheAdminApiAnswers() throws SQLException {
        long letter = deadLetter("cl-" + UUID.randomUUID());
        admin().open("/console/dead-letters");
        List<String> offered = new Select(admin().driver().findElement(By.id("f-status"))).getOptions().stream()
                .map(option -> option.getAttribute("value")).toList();
        assertThat(offered).contains("new", "all");
        given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/dead-letters/" + letter + "/discard")
                .then().statusCode(200);

        for (String status : offered) {
            admin().open("/console/dead-letters?status=" + status);
            assertThat(admin().elementsNow(By.cssSelector("[role=alert]"))).as(status).isEmpty();
            List<Long> listed = given().auth().preemptive().basic("admin", "test-only-password")
                    .when().get("/admin/dead-letters?limit=1000&status=" + status)
                    .then().statusCode(200).extract().jsonPath().getList("id", Long.class);
            assertThat(listed.contains(letter)).as(status).isEqualTo("all".equals(status) || "discarded".equals(status));
        }
    }

    @Test
    void aDryRunIsStartedFromTheBrowserAndItsDifferencesOpened() throws SQLException {
        String id = "cn-" + UUID.randomUUID();
        TwoWayContacts.insert(Side.CRM, id, id + "@example.com", "OnlyInCrm");
        // No baseline from another suite's runs of a job of this name on the shared test database:
        // its larger sides would make this run untrustworthy (the truncation guard), with no differences.
        TestDatabase.query("DELETE FROM reconciliation_difference WHERE job = 'contacts-crm-billing' RETURNING 1 AS n");
        TestDatabase.query("DELETE FROM reconciliation_run WHERE job = 'contacts-crm-billing' RETURNING 1 AS n");
        ConsoleBrowser browser = admin();
        long before = ((Number) TestDatabase.query("SELECT coalesce(max(id), 0) AS id FROM reconciliation_run").get(0).get("id"))
                .longValue();

        browser.open("/console/reconciliation");
        browser.clickAndWait(By.id("dry-run-contacts-crm-billing"));
        List<Map<String, Object>> runs = TestDatabase.awaitRows("SELECT id, dry_run, requested_by FROM reconciliation_run"
                + " WHERE id > ? AND finished_at IS NOT NULL", before);
        long run = ((Number) runs.get(0).get("id")).longValue();
        assertThat(runs.get(0).get("dry_run")).isEqualTo(true);
        assertThat(runs.get(0).get("requested_by")).isEqualTo("admin");
        browser.open("/console/reconciliation?job=contacts-crm-billing");
        browser.screenshot("reconciliation");
        browser.clickAndWait(By.linkText("#" + run));
        browser.driver().findElement(By.xpath("//td[text()='" + id + "']"));
        browser.screenshot("reconciliation-run");

        assertThat(TestDatabase.query("SELECT bucket FROM reconciliation_difference WHERE run_id = ? AND record_key = ?", run, id))
                .containsExactly(Map.of("bucket", "only_in_a"));
        String csv = given().cookie("syncline-console", browser.driver().manage().getCookieNamed("syncline-console").getValue())
                .when().get("/console/reconciliation/runs/" + run + "/differences.csv").then().statusCode(200).extract().asString();
        assertThat(csv).startsWith("id,run,job").contains("\"" + id + "\",\"only_in_a\"");
    }

    @Test
    void anErasureIsPlannedThenConfirmedInTheBrowserAndEmptiesTheRecordInBothSystems() throws SQLException {
        String id = "cp-" + UUID.randomUUID();
        String email = id + "@example.com";
        TwoWayContacts.insert(Side.CRM, id, email, "Lovelace");
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("done");
        ConsoleBrowser browser = admin();

        browser.open("/console/privacy");
        new Select(browser.driver().findElement(By.id("p-entity"))).selectByValue("contact");
        browser.driver().findElement(By.id("p-name")).sendKeys("email");
        browser.driver().findElement(By.id("p-value")).sendKeys(email);
        browser.clickAndWait(By.id("p-create"));

        assertThat(browser.path()).startsWith("/console/privacy/");
        assertThat(browser.text(By.id("request-status"))).isEqualTo("planned");
        assertThat(browser.text(By.id("part-crm"))).contains(id).contains("anonymise").contains("planned");
        assertThat(browser.text(By.id("part-billing"))).contains(id).contains("anonymise");
        browser.screenshot("privacy-request");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("email")).isEqualTo(email);

        String page = browser.path();
        browser.clickAndWait(By.id("confirm"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            browser.open(page);
            assertThat(browser.text(By.id("request-status"))).isEqualTo("completed");
        });
        assertThat(TwoWayContacts.row(Side.CRM, id)).containsEntry("email", null).containsEntry("last_name", null);
        assertThat(TwoWayContacts.row(Side.BILLING, id)).containsEntry("email", null).containsEntry("last_name", null);
        assertThat(TestDatabase.query("SELECT confirmed_by FROM privacy_request WHERE id = ?",
                Long.parseLong(page.substring(page.lastIndexOf('/') + 1)))).containsExactly(Map.of("confirmed_by", "admin"));
        browser.open("/console/privacy");
        browser.screenshot("privacy");
    }

    @Test
    void theOverviewCountsTheQueuesAndLinksToThem() throws SQLException {
        heldConflict("co-" + UUID.randomUUID());
        ConsoleBrowser browser = admin();

        browser.open("/console");
        browser.screenshot("overview");

        assertThat(browser.driver().findElements(By.cssSelector("svg[role=img]"))).hasSize(1);
        Object open = TestDatabase.query("SELECT count(*) AS n FROM review_item WHERE status = 'open' AND entity = 'contact'"
                + " AND source_system = 'crm'").get(0).get("n");
        assertThat(browser.text(By.cssSelector("a[href='/console/review?entity=contact&system=crm']"))).isEqualTo(open.toString());
    }

    @Test
    void aSystemThatIsNotCurrentIsSyncedFromItsMasterInTheBrowser() throws SQLException {
        String id = "cs-" + UUID.randomUUID();
        TwoWayContacts.create(id);
        TwoWayContacts.edit(Side.BILLING, id, Map.of("last_name", "Edited in billing"));
        ConsoleBrowser browser = admin();

        browser.open("/console/records?q=" + id);
        assertThat(browser.text(By.id("current-billing"))).isEqualTo("not current");
        browser.clickAndWait(By.id("sync-billing"));

        assertThat(browser.text(By.cssSelector("[role=status]"))).contains("Sync to billing").contains("done");
        assertThat(browser.text(By.id("current-billing"))).isEqualTo("current");
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("last_name")).isEqualTo("Lovelace");
        assertThat(TestDatabase.query("SELECT requested_by FROM inbox WHERE origin = 'resync' AND record_key = ?", id))
                .containsExactly(Map.of("requested_by", "admin"));
    }

    @Test
    void aRecordIsFoundByItsEmailWithItsIdInEachSystem() throws SQLException {
        String id = "cf-" + UUID.randomUUID();
        TwoWayContacts.create(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/records");
        browser.driver().findElement(By.id("f-q")).sendKeys(id + "@example.com");
        browser.clickAndWait(By.id("find"));

        assertThat(browser.text(By.id("id-crm"))).isEqualTo(id);
        assertThat(browser.text(By.id("id-billing"))).isEqualTo(id);
        assertThat(browser.text(By.id("current-billing"))).isEqualTo("current");
        browser.screenshot("record-status");
        assertThat(TestDatabase.query("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'billing'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?)",
                id)).containsExactly(Map.of("system_id", id));
    }

    @Test
    void whyThisValueShowsTheChainOfAFieldOnTheRecordPageAndDownloadsItAsJson() throws SQLException {
        String id = "cw-" + UUID.randomUUID();
        TwoWayContacts.LastNameChain made = TwoWayContacts.lastNameSetByWebhookStrategyAndReviewer(id);
        ConsoleBrowser browser = admin();

        browser.open("/console/records?q=" + id);
        assertThat(browser.elementsNow(By.id("why-billing-lastName"))).hasSize(1);
        new Select(browser.driver().findElement(By.id("why-system"))).selectByValue("billing");
        new Select(browser.driver().findElement(By.id("why-field"))).selectByValue("lastName");
        browser.clickAndWait(By.id("why-explain"));

        assertThat(browser.text(By.id("why-summary"))).contains("lastName in billing").contains("Hopper");
        assertThat(browser.elementsNow(By.cssSelector("#why-steps tbody tr"))).hasSize(3);
        assertThat(browser.text(By.cssSelector("#why-step-1 .why-decided"))).isEqualTo("the change from crm");
        assertThat(browser.text(By.cssSelector("#why-step-2 .why-decided"))).isEqualTo("strategy master-always-wins (kept crm)");
        assertThat(browser.text(By.cssSelector("#why-step-3 .why-decided")))
                .isEqualTo("reviewer admin (review item #" + made.reviewItem() + "), took custom");
        assertThat(browser.text(By.id("why-step-1"))).contains("inbox " + made.created());
        assertThat(browser.text(By.id("why-step-2"))).contains("inbox " + made.conflicting());
        assertThat(browser.text(By.id("why-step-3"))).contains("inbox " + made.held());
        assertThat(List.of(1, 2, 3)).extracting(n -> browser.text(By.cssSelector("#why-step-" + n + " .why-previous")))
                .containsExactly("(empty)", "Byron", "Babbage");
        assertThat(List.of(1, 2, 3)).extracting(n -> browser.text(By.cssSelector("#why-step-" + n + " .why-value")))
                .containsExactly("Lovelace", "Babbage", "Hopper");
        browser.screenshot("record-why");

        URI download = URI.create(browser.driver().findElement(By.id("why-json")).getAttribute("href"));
        Response json = given().cookie("syncline-console", logInWithForm("viewer", "test-only-viewer-password"))
                .urlEncodingEnabled(false).when().get(download.getRawPath() + "?" + download.getRawQuery());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.header("Content-Disposition")).isEqualTo("attachment; filename=\"why-contact-billing-lastName.json\"");
        assertThat(json.jsonPath().getList("steps.decidedBy")).containsExactly("change", "strategy", "review");
        assertThat(json.jsonPath().getList("steps.previousValue")).containsExactly(null, "Byron", "Babbage");
    }
}
