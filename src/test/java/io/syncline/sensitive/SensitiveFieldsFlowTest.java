package io.syncline.sensitive;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.ConsoleSession;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.SensitiveScan;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A field marked sensitive (employees.syncline.yaml of the two-way contacts: an employee's social
 * security number) syncs in clear to the target, and is in none of the state store's columns,
 * the application's log lines or the console's and admin API's pages of the record after a
 * create, its echo (dropped: compared by digests), an update, a conflict held for review and
 * resolved, and a rejected event (a dead letter).
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class SensitiveFieldsFlowTest {

    private static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");
    private static final List<String> PLANTED = List.of("987-65-4329", "987-65-4331", "987-65-4332", "987-65-4333",
            "987-65-4334");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SensitiveScan.LogCapture logs;

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
        for (String table : List.of("sensitive_crm_employee (id", "sensitive_billing_employee (external_id")) {
            TestDatabase.update("CREATE TABLE IF NOT EXISTS " + table
                    + " VARCHAR(64) PRIMARY KEY, name VARCHAR(200), ssn VARCHAR(40), updated_at TIMESTAMP WITH TIME ZONE)");
        }
        logs = SensitiveScan.captureLogs();
    }

    @AfterAll
    static void stopCapture() {
        logs.close();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @Test
    void aSensitiveValueSyncsInClearAndIsKeptNowhereInSyncline() {
        String id = "emp-" + UUID.randomUUID();
        // created in the CRM, synced to billing
        crm(id, "Ada", PLANTED.get(0), T0.plusSeconds(60));
        awaitBillingSsn(id, PLANTED.get(0));
        // billing tells of the row Syncline wrote: compared by digests, it is an echo
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("external_id", id);
        echo.put("name", "Ada");
        echo.put("ssn", PLANTED.get(0));
        echo.put("updated_at", T0.plusSeconds(65).toString());
        given().contentType(ContentType.JSON).body(echo).when().post("/webhooks/echo/billing-employees").then().statusCode(202);
        await().atMost(WAIT).until(() -> !TestDatabase.query("SELECT 1 FROM " + TestDatabase.STORE_SCHEMA
                + ".audit_log WHERE source_id = ? AND source_system = 'billing' AND action = 'echo'", id).isEmpty());
        // updated in the CRM
        crm(id, "Ada", PLANTED.get(1), T0.plusSeconds(120));
        awaitBillingSsn(id, PLANTED.get(1));
        // both changed it: held for review
        TestDatabase.update("UPDATE sensitive_billing_employee SET ssn = ?, updated_at = ? WHERE external_id = ?",
                PLANTED.get(2), java.sql.Timestamp.from(T0.plusSeconds(150)), id);
        crm(id, "Ada", PLANTED.get(3), T0.plusSeconds(180));
        await().atMost(WAIT).until(() -> !TestDatabase.query("SELECT 1 FROM " + TestDatabase.STORE_SCHEMA
                + ".review_item WHERE entity = 'employee' AND source_id = ? AND status = 'open'", id).isEmpty());
        // a reviewer takes the CRM's value: the clear value behind its digest is written
        Number item = (Number) TestDatabase.query("SELECT id FROM " + TestDatabase.STORE_SCHEMA
                + ".review_item WHERE entity = 'employee' AND source_id = ?", id).get(0).get("id");
        admin().contentType(ContentType.JSON).body(Map.of("fields", Map.of("ssn", "source")))
                .when().post("/admin/review-items/" + item + "/resolve").then().statusCode(200);
        awaitBillingSsn(id, PLANTED.get(3));
        // rejected (no name): a dead letter
        String rejected = "emp-" + UUID.randomUUID();
        crm(rejected, null, PLANTED.get(4), T0.plusSeconds(240));
        await().atMost(WAIT).until(() -> !TestDatabase.query("SELECT 1 FROM " + TestDatabase.STORE_SCHEMA
                + ".dead_letter WHERE entity = 'employee' AND reason IS NOT NULL AND payload LIKE ?", "%" + rejected + "%").isEmpty());

        // the target holds the clear value
        assertThat(TestDatabase.query("SELECT ssn FROM sensitive_billing_employee WHERE external_id = ?", id).get(0))
                .containsEntry("ssn", PLANTED.get(3));

        // every text, JSON and binary column of every table of the state store (but the two
        // systems' own tables, which the tests' database keeps beside it)
        assertThat(SensitiveScan.storeColumnsHolding(TestDatabase.url(), needles(), List.of("sensitive_crm_employee",
                "sensitive_billing_employee"))).as("state store columns holding a planted value").isEmpty();

        // the console's and the admin API's pages of the record, its review item and dead letters
        String canonicalId = (String) TestDatabase.query("SELECT canonical_id FROM " + TestDatabase.STORE_SCHEMA
                + ".id_map WHERE entity = 'employee' AND system = 'crm' AND system_id = ?", id).get(0).get("canonical_id");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("record", ok(admin().get("/admin/records/employee/" + canonicalId)));
        pages.put("current", ok(admin().queryParam("system", "billing").get("/admin/records/employee/" + canonicalId + "/current")));
        pages.put("why", ok(admin().queryParam("entity", "employee").queryParam("record", canonicalId)
                .queryParam("system", "billing").queryParam("field", "ssn").get("/admin/audit/why")));
        pages.put("audit", ok(admin().queryParam("entity", "employee").get("/admin/audit")));
        pages.put("review items", ok(admin().queryParam("entity", "employee").get("/admin/review-items")));
        pages.put("dead letters", ok(admin().get("/admin/dead-letters?limit=1000&status=")));
        pages.put("review item", ok(admin().get("/admin/review-items/" + item)));
        String session = ConsoleSession.admin();
        for (String page : List.of("/console/records?entity=employee&q=" + canonicalId + "&whySystem=billing&whyField=ssn",
                "/console/review/" + item, "/console/review?entity=employee", "/console/dead-letters?status=",
                "/console/audit?entity=employee")) {
            pages.put(page, ok(given().cookie("syncline-console", session).redirects().follow(false).get(page)));
        }
        // what they show instead: the digest
        assertThat(pages.get("record")).contains("sha256:");
        assertThat(pages.get("why")).contains("sha256:");
        assertThat(pages.get("review item")).contains("sha256:");
        // and the inbox keeps the value encrypted, for the apply path to read
        assertThat(TestDatabase.query("SELECT 1 FROM " + TestDatabase.STORE_SCHEMA + ".inbox WHERE entity = 'employee'"
                + " AND source_system = 'crm' AND payload LIKE ?", "%\"$enc\"%")).isNotEmpty();
        pages.forEach((page, body) -> {
            for (String value : needles()) {
                assertThat(body).as(page).doesNotContain(value);
            }
        });

        // the application's log lines (the capture is working: start-up and the sync logged)
        assertThat(logs.lines()).isNotEmpty();
        assertThat(logs.holding(needles())).isEmpty();
    }

    private static String ok(io.restassured.response.Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.asString();
    }

    private static List<String> needles() {
        List<String> all = new ArrayList<>(PLANTED);
        PLANTED.forEach(value -> all.add(value.replace("-", "")));
        return all;
    }

    private static void crm(String id, String name, String ssn, Instant at) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("ssn", ssn);
        row.put("updated_at", at.toString());
        TestDatabase.update("INSERT INTO sensitive_crm_employee (id, name, ssn, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ssn = EXCLUDED.ssn, updated_at = EXCLUDED.updated_at",
                id, name, ssn, java.sql.Timestamp.from(at));
        given().contentType(ContentType.JSON).body(row).when().post("/webhooks/echo/crm-employees").then().statusCode(202);
    }

    private static void awaitBillingSsn(String id, String ssn) {
        await().atMost(WAIT).until(() -> !TestDatabase.query(
                "SELECT 1 FROM sensitive_billing_employee WHERE external_id = ? AND ssn = ?", id, ssn).isEmpty());
    }
}
