package io.syncline.console;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The console's ID map and audit trail pages, as the viewer sees them: the links with their record
 * pages, a page after the first by its cursor, and the audit trail's downloads.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class ConsoleLinksAndHistoryTest {

    private static final String P = "cl-" + UUID.randomUUID();
    private static final String RUN = "run-" + P;

    @BeforeAll
    static void linksAndTheirTrail() {
        for (int i = 0; i < 60; i++) {
            TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, 'crm', ?)",
                    P + "-K" + i, P + "-" + String.format("%02d", i));
        }
        for (String action : List.of("created", "updated", "failed")) {
            TestDatabase.update("INSERT INTO audit_log (action, entity, canonical_id, source_system, target_system, target_id,"
                    + " run_id, detail) VALUES (?, 'contact', ?, 'crm', 'billing', 'b-1', ?, ?)", action, P + "-K1", RUN,
                    "=cmd|' /C calc'!A0");
        }
    }

    private static String viewer() {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "viewer").formParam("j_password", "test-only-viewer-password")
                .when().post("/j_security_check").then().statusCode(302).extract().cookie("syncline-console");
    }

    @Test
    void theIdMapPageListsLinksWithTheirRecordPagesAndPagesOnByCursor() {
        String session = viewer();
        String first = given().cookie("syncline-console", session).when().get("/console/id-map?systemIdPrefix=" + P)
                .then().statusCode(200).contentType(ContentType.HTML).extract().asString();

        assertThat(first).contains(P + "-00").contains(P + "-49").doesNotContain(P + "-50")
                .contains("href=\"/console/records?entity=contact&amp;q=" + P + "-K0\"");
        Matcher next = Pattern.compile("href=\"(/console/id-map\\?[^\"]*)\" id=\"next\"").matcher(first);
        assertThat(next.find()).isTrue();

        String second = given().cookie("syncline-console", session).urlEncodingEnabled(false)
                .when().get(next.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertThat(second).contains(P + "-50").contains(P + "-59").doesNotContain(P + "-49<").doesNotContain("id=\"next\"");

        given().cookie("syncline-console", session).when().get("/console/id-map?linkedAfter=soon").then().statusCode(400)
                .body(containsString("linkedAfter"));
    }

    @Test
    void theAuditPageShowsTheTrailAndDownloadsItAsCsvAndJsonLines() {
        String session = viewer();
        given().cookie("syncline-console", session).when().get("/console/audit?run=" + RUN).then().statusCode(200)
                .body(containsString("failed")).body(containsString("/console/audit/export.csv?run=" + RUN));

        String csv = given().cookie("syncline-console", session).when().get("/console/audit/export.csv?run=" + RUN
                + "&action=failed&action=updated").then().statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv.split("\r\n")).hasSize(3);
        assertThat(csv).contains("\"failed\"").contains("\"'=cmd|' /C calc'!A0\"").doesNotContain("\"created\"");

        String jsonl = given().cookie("syncline-console", session).when().get("/console/audit/export.jsonl?entity=contact"
                + "&record=" + P + "-01").then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        assertThat(jsonl.split("\n")).hasSize(3).allSatisfy(line -> assertThat(line).contains("\"runId\":\"" + RUN + "\""));
    }

    @Test
    void withoutASessionThePagesGoToTheLogin() {
        given().redirects().follow(false).when().get("/console/audit/export.csv").then().statusCode(302)
                .header("Location", containsString("/console/login"));
        given().redirects().follow(false).when().get("/console/id-map").then().statusCode(302);
    }
}
