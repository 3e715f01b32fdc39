package io.syncline.links;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code POST /admin/id-map/import}: a dry run's row-by-row answer, the import's links and audit
 * entries in the database, conflicts, malformed files refused whole, and who may import.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class IdMapImportTest {

    private static final String PAIR_HEADER = "entity,system,system_id,other_system,other_system_id\n";

    private static ValidatableResponse post(RequestSpecification who, String csv, boolean dryRun) {
        return who.contentType("text/csv; charset=utf-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post("/admin/id-map/import?dryRun=" + dryRun).then();
    }

    private static void link(String canonicalId, String system, String systemId) {
        TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, ?, ?)",
                canonicalId, system, systemId);
    }

    private static List<Map<String, Object>> links(String prefix) {
        return TestDatabase.query("SELECT canonical_id, system, system_id FROM id_map WHERE entity = 'contact'"
                + " AND system_id LIKE ? ORDER BY system, system_id", prefix + "%");
    }

    private static String canonicalId(String system, String systemId) {
        return (String) TestDatabase.query("SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = ?"
                + " AND system_id = ?", system, systemId).get(0).get("canonical_id");
    }

    @Test
    void aDryRunAnswersEveryRowAndLinksNothingAndTheImportLinksAndAuditsEachLink() {
        String p = "im-" + UUID.randomUUID();
        link(p + "-K1", "crm", p + "-c-known");
        link(p + "-K1", "billing", p + "-b-known");
        link(p + "-K2", "crm", p + "-c-half");
        String csv = PAIR_HEADER
                + "contact,crm," + p + "-c1,billing," + p + "-b1\n" // 2: both new
                + "contact,crm," + p + "-c1,billing," + p + "-b1\n" // 3: made by line 2
                + "contact,crm," + p + "-c1,billing," + p + "-b2\n" // 4: line 2 gave c1 billing b1
                + "contact,crm," + p + "-c-known,billing," + p + "-b-known\n" // 5: linked before
                + "contact,crm," + p + "-c-half,billing," + p + "-b3\n" // 6: joins K2
                + "contact,billing," + p + "-b4,crm," + p + "-c-known\n"; // 7: K1 has a billing id

        JsonPath dry = post(IdMapApiTest.admin(), csv, true).statusCode(200).extract().jsonPath();
        assertThat(dry.getBoolean("dryRun")).isTrue();
        assertThat(dry.getList("rows.line", Integer.class)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(dry.getList("rows.outcome", String.class))
                .containsExactly("would_link", "already_linked", "conflict", "already_linked", "would_link", "conflict");
        assertThat(dry.getString("rows[2].message")).contains("is linked to billing:" + p + "-b1, not billing:" + p + "-b2");
        assertThat(dry.getString("rows[4].canonicalId")).isEqualTo(p + "-K2");
        assertThat(dry.getString("rows[5].message")).contains(p + "-K1 is linked to billing:" + p + "-b-known");
        assertThat(dry.getMap("summary")).containsEntry("rows", 6).containsEntry("wouldLink", 2)
                .containsEntry("alreadyLinked", 2).containsEntry("conflicts", 2).containsEntry("links", 3);
        assertThat(links(p)).hasSize(3);
        assertThat(TestDatabase.query("SELECT id FROM audit_log WHERE run_id = ?", dry.getString("importId"))).isEmpty();

        JsonPath run = post(IdMapApiTest.admin(), csv, false).statusCode(200).extract().jsonPath();
        assertThat(run.getList("rows.outcome", String.class))
                .containsExactly("linked", "already_linked", "conflict", "already_linked", "linked", "conflict");
        assertThat(run.getMap("summary")).containsEntry("linked", 2).containsEntry("links", 3);
        assertThat(links(p)).hasSize(6);
        String c1 = canonicalId("crm", p + "-c1");
        assertThat(canonicalId("billing", p + "-b1")).isEqualTo(c1).isEqualTo(run.getString("rows[0].canonicalId"));
        assertThat(canonicalId("billing", p + "-b3")).isEqualTo(p + "-K2");
        assertThat(links(p + "-b2")).isEmpty();
        assertThat(links(p + "-b4")).isEmpty();
        List<Map<String, Object>> audit = TestDatabase.query("SELECT action, entity, canonical_id, source_system, source_id,"
                + " target_system, target_id, actor, detail FROM audit_log WHERE run_id = ? ORDER BY target_id", run.getString("importId"));
        assertThat(audit).extracting(row -> row.get("target_system") + ":" + row.get("target_id"))
                .containsExactly("billing:" + p + "-b1", "billing:" + p + "-b3", "crm:" + p + "-c1");
        assertThat(audit).allSatisfy(row -> {
            assertThat(row.get("action")).isEqualTo("linked");
            assertThat(row.get("actor")).isEqualTo("admin");
        });
        assertThat(audit.get(1)).containsEntry("canonical_id", p + "-K2").containsEntry("source_system", "crm")
                .containsEntry("source_id", p + "-c-half").containsEntry("detail", "ID map import, line 6");

        // again: everything is there, nothing more is linked or audited
        JsonPath again = post(IdMapApiTest.admin(), csv, false).statusCode(200).extract().jsonPath();
        assertThat(again.getList("rows.outcome", String.class))
                .containsExactly("already_linked", "already_linked", "conflict", "already_linked", "already_linked", "conflict");
        assertThat(TestDatabase.query("SELECT id FROM audit_log WHERE run_id = ?", again.getString("importId"))).isEmpty();
    }

    @Test
    void canonicalRowsLinkToTheCanonicalIdTheyName() {
        String p = "ic-" + UUID.randomUUID();
        link(p + "-K1", "crm", p + "-c1");
        String csv = "system_id,system,canonical_id,entity\n"
                + p + "-c2,crm," + p + "-K9,contact\n"
                + p + "-c1,crm," + p + "-K1,contact\n"
                + p + "-c1,crm," + p + "-K7,contact\n"
                + p + "-b9,billing," + p + "-K9,contact\n";

        post(IdMapApiTest.admin(), csv, false).statusCode(200)
                .body("rows.outcome", equalTo(List.of("linked", "already_linked", "conflict", "linked")))
                .body("rows[2].message", containsString(p + "-c1 is linked to canonical id " + p + "-K1, not " + p + "-K7"));
        assertThat(links(p)).containsExactly(
                Map.of("canonical_id", p + "-K9", "system", "billing", "system_id", p + "-b9"),
                Map.of("canonical_id", p + "-K1", "system", "crm", "system_id", p + "-c1"),
                Map.of("canonical_id", p + "-K9", "system", "crm", "system_id", p + "-c2"));
    }

    @Test
    void aMalformedRowIsRefusedNamingItsLineAndColumnAndNothingIsLinked() {
        String p = "ibad-" + UUID.randomUUID();
        post(IdMapApiTest.admin(), PAIR_HEADER + "contact,crm," + p + "-c1,billing," + p + "-b1\ncontact,crm,,billing,x\n", false)
                .statusCode(400)
                .body("error", equalTo("malformed_csv"))
                .body("line", equalTo(3))
                .body("field", equalTo("system_id"))
                .body("message", equalTo("Line 3, column system_id: the cell is empty"));
        post(IdMapApiTest.admin(), PAIR_HEADER + "contact,erp," + p + "-c1,billing," + p + "-b1\n", true).statusCode(400)
                .body("line", equalTo(2)).body("field", equalTo("system")).body("message", containsString("'erp'"));
        post(IdMapApiTest.admin(), PAIR_HEADER + "contact,crm," + p + "-c1,crm," + p + "-c2\n", false).statusCode(400)
                .body("field", equalTo("other_system"));
        post(IdMapApiTest.admin(), "entity,system\n", false).statusCode(400).body("line", equalTo(1));
        assertThat(links(p)).isEmpty();

        byte[] latin1 = (PAIR_HEADER + "contact,crm," + p + "-Zoë,billing,b\n").getBytes(StandardCharsets.ISO_8859_1);
        IdMapApiTest.admin().contentType("text/csv; charset=utf-8").body(latin1).when().post("/admin/id-map/import").then().statusCode(400)
                .body("error", equalTo("invalid_encoding")).body("message", containsString("line 2"));
        IdMapApiTest.admin().contentType("text/csv; charset=iso-8859-1").body(latin1).when().post("/admin/id-map/import")
                .then().statusCode(415);
        IdMapApiTest.admin().contentType("application/json").body("{}").when().post("/admin/id-map/import").then()
                .statusCode(415).body("message", containsString("text/csv"));
        assertThat(links(p)).isEmpty();
    }

    @Test
    void onlyAnAdminMayImport() {
        String csv = PAIR_HEADER + "contact,crm,x,billing,y\n";
        post(given(), csv, true).statusCode(401).body("error", equalTo("unauthorized"));
        post(IdMapApiTest.viewer(), csv, true).statusCode(403).body("error", equalTo("forbidden"));
    }

    @Test
    void aFileLargerThanTheBodyLimitOfEveryOtherRequestIsImportedInBatches() throws Exception {
        // ids of 190 characters: over 1 MB in 2,800 rows, 3 batches, without filling the shared test database
        String p = "ibig-" + UUID.randomUUID() + "-" + "x".repeat(140);
        StringBuilder csv = new StringBuilder(PAIR_HEADER);
        int rows = 2_800;
        for (int i = 0; i < rows; i++) {
            csv.append("contact,crm,").append(p).append("-c").append(i).append(",billing,").append(p).append("-b").append(i)
                    .append('\n');
        }
        assertThat(csv.length()).isGreaterThan(1024 * 1024);

        // RestAssured reads a body of megabytes slowly: the JDK's client sends and reads this one
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + RestAssured.port + "/admin/id-map/import"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:test-only-password".getBytes(
                        StandardCharsets.UTF_8)))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode run = new ObjectMapper().readTree(answer.body());

        assertThat(run.get("summary").get("rows").asInt()).isEqualTo(rows);
        assertThat(run.get("summary").get("linked").asInt()).isEqualTo(rows);
        assertThat(run.get("summary").get("links").asInt()).isEqualTo(2 * rows);
        assertThat(run.get("rows")).hasSize(rows);
        assertThat(run.get("rows").get(rows - 1).get("line").asInt()).isEqualTo(rows + 1);
        assertThat(TestDatabase.query("SELECT count(*) AS links, count(DISTINCT canonical_id) AS records FROM id_map"
                + " WHERE system_id LIKE ?", p + "%")).containsExactly(Map.of("links", 2L * rows, "records", (long) rows));
        assertThat(TestDatabase.query("SELECT count(*) AS entries FROM audit_log WHERE run_id = ?", run.get("importId").asText()))
                .containsExactly(Map.of("entries", 2L * rows));
    }
}
