package io.syncline.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** {@code GET /admin/audit} and its export: the trail by record, system, time, action and run, page by page and whole. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class AuditTrailApiTest {

    private static final Instant NOW = Instant.now();

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static final String INSERT = "INSERT INTO audit_log (occurred_at, action, entity, canonical_id, source_system,"
            + " source_id, target_system, target_id, run_id, diff, detail) VALUES (?, ?, 'contact', ?, ?, ?, ?, ?, ?, ?, ?)";

    /** An entry of run {@code run}: action, canonical id, source and target system, when. */
    private static void entry(String run, String action, String canonicalId, String source, String target, Instant at)
            throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bind(insert, run, action, canonicalId, source, target, at);
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement insert, String run, String action, String canonicalId, String source,
            String target, Instant at) throws SQLException {
        insert.setTimestamp(1, Timestamp.from(at));
        insert.setString(2, action);
        insert.setString(3, canonicalId);
        insert.setString(4, source);
        insert.setString(5, canonicalId + "-" + source);
        insert.setString(6, target);
        insert.setString(7, canonicalId + "-" + target);
        insert.setString(8, run);
        insert.setString(9, "updated".equals(action) ? "{\"city\":{\"from\":\"York\",\"to\":\"=Leeds\"}}" : null);
        insert.setString(10, "detail, \"quoted\"");
    }

    /** Run {@code run}: record K (crm id {@code K-crm}) created two days ago, updated and failed now; record L created now. */
    private static String trail() throws SQLException {
        String run = "run-" + UUID.randomUUID();
        String k = run + "-K";
        TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, 'crm', ?)",
                k, k + "-crm");
        entry(run, "created", k, "crm", "billing", NOW.minus(2, ChronoUnit.DAYS));
        entry(run, "updated", k, "crm", "billing", NOW.minusSeconds(60));
        entry(run, "failed", k, "billing", "crm", NOW.minusSeconds(30));
        entry(run, "created", run + "-L", "crm", "billing", NOW.minusSeconds(10));
        return run;
    }

    @Test
    void aRecordsEntriesByItsIdInAnySystemOrItsCanonicalIdNewestFirst() throws SQLException {
        String run = trail();

        admin().queryParam("entity", "contact").queryParam("record", run + "-K-crm").when().get("/admin/audit").then()
                .statusCode(200)
                .body("entries.action", equalTo(List.of("failed", "updated", "created")))
                .body("entries[1].diff.city.to", equalTo("=Leeds"))
                .body("entries[1].targetId", equalTo(run + "-K-billing"))
                .body("entries[0].occurredAt", containsString("T"));
        admin().queryParam("entity", "contact").queryParam("record", run + "-K").when().get("/admin/audit").then()
                .statusCode(200).body("entries", hasSize(3));
    }

    @Test
    void filtersBySystemTimeActionAndRun() throws SQLException {
        String run = trail();

        admin().queryParam("run", run).queryParam("action", "created").when().get("/admin/audit").then().statusCode(200)
                .body("entries.canonicalId", equalTo(List.of(run + "-L", run + "-K")));
        admin().queryParam("run", run).queryParam("action", "created,failed").when().get("/admin/audit").then()
                .statusCode(200).body("entries", hasSize(3));
        admin().queryParam("run", run).queryParam("action", "failed").queryParam("action", "updated").when()
                .get("/admin/audit").then().statusCode(200).body("entries", hasSize(2));
        admin().queryParam("run", run).queryParam("system", "crm").when().get("/admin/audit").then().statusCode(200)
                .body("entries", hasSize(4));
        admin().queryParam("run", run).queryParam("from", NOW.minus(1, ChronoUnit.DAYS).toString())
                .queryParam("to", NOW.minusSeconds(20).toString()).when().get("/admin/audit").then().statusCode(200)
                .body("entries.action", equalTo(List.of("failed", "updated")));
    }

    @Test
    void pagesByCursorToTheLastWithoutDuplicates() throws SQLException {
        String run = trail();
        trail();
        List<Object> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = admin().queryParam("run", run).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get("/admin/audit").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("entries.id"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 5);

        assertThat(pages).isEqualTo(2);
        assertThat(ids).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void exportsAsCsvOrJsonLinesPageAfterPage() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < 2_300; i++) {
                bind(insert, run, i % 2 == 0 ? "created" : "updated", run + "-" + i, "crm", "billing", NOW.minusSeconds(2_300 - i));
                insert.addBatch();
            }
            insert.executeBatch();
        }

        String jsonl = admin().queryParam("run", run).queryParam("format", "jsonl").when().get("/admin/audit/export").then()
                .statusCode(200).header("Content-Type", containsString("application/x-ndjson")).extract().asString();
        ObjectMapper json = new ObjectMapper();
        Set<Long> ids = new HashSet<>();
        List<String> lines = List.of(jsonl.split("\n"));
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            ids.add(entry.get("id").asLong());
            assertThat(entry.get("runId").asText()).isEqualTo(run);
        }
        assertThat(lines).hasSize(2_300);
        assertThat(ids).hasSize(2_300);
        // newest first: the last entry, an update with its diff
        assertThat(json.readTree(lines.get(0)).get("canonicalId").asText()).isEqualTo(run + "-2299");
        assertThat(json.readTree(lines.get(0)).get("diff").get("city").get("from").asText()).isEqualTo("York");
        assertThat(json.readTree(lines.get(1)).get("diff").isNull()).isTrue();

        String csv = admin().accept("text/csv").queryParam("run", run).queryParam("action", "updated").when()
                .get("/admin/audit/export").then().statusCode(200).header("Content-Type", containsString("text/csv"))
                .header("Content-Disposition", containsString("audit.csv")).extract().asString();
        List<String> rows = List.of(csv.split("\r\n"));
        assertThat(rows).hasSize(1 + 1_150);
        assertThat(rows.get(0)).isEqualTo("id,occurred_at,action,entity,canonical_id,source_system,source_id,target_system,"
                + "target_id,run_id,inbox_id,event_key,version_hash,diff,detail,actor");
        assertThat(rows.get(1)).contains(",\"updated\",\"contact\",\"" + run + "-2299\",")
                .contains("\"{\"\"city\"\":{\"\"from\"\":\"\"York\"\",\"\"to\"\":\"\"=Leeds\"\"}}\"")
                .endsWith(",\"detail, \"\"quoted\"\"\",");
    }

    @Test
    void aViewerMayReadAndExportAndAnonymousMayNot() throws SQLException {
        String run = trail();
        given().auth().preemptive().basic("viewer", "test-only-viewer-password").queryParam("run", run).when()
                .get("/admin/audit").then().statusCode(200).body("entries", hasSize(4));
        given().auth().preemptive().basic("viewer", "test-only-viewer-password").queryParam("run", run)
                .queryParam("format", "csv").when().get("/admin/audit/export").then().statusCode(200);
        given().when().get("/admin/audit").then().statusCode(401);
        given().when().get("/admin/audit/export").then().statusCode(401);
    }

    @Test
    void badFiltersAreNamed() {
        admin().when().get("/admin/audit?action=bogus").then().statusCode(400).body("field", equalTo("action"))
                .body("message", containsString("linked"));
        admin().when().get("/admin/audit?record=c-1").then().statusCode(400).body("field", equalTo("entity"));
        admin().when().get("/admin/audit?from=soon").then().statusCode(400).body("field", equalTo("from"));
        admin().when().get("/admin/audit?from=2024-05-02&to=2024-05-01").then().statusCode(400).body("field", equalTo("to"));
        admin().when().get("/admin/audit?cursor=abc").then().statusCode(400).body("field", equalTo("cursor"));
        admin().when().get("/admin/audit/export?format=xml").then().statusCode(400).body("field", equalTo("format"));
    }
}
