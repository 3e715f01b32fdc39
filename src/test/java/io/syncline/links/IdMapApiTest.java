package io.syncline.links;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /admin/id-map}: the ID map's links by filter, a keyset page at a time, to the last. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class IdMapApiTest {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "test-only-viewer-password");
    }

    /** Links {@code count} records in crm and billing: crm ids {@code <prefix>-0000…}, billing ids {@code b<prefix>-…}. */
    private static void insertLinks(String prefix, int count, Instant createdAt) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO id_map (entity, canonical_id, system, system_id, created_at) VALUES ('contact', ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                String canonical = prefix + "-k" + i;
                for (String system : List.of("crm", "billing")) {
                    insert.setString(1, canonical);
                    insert.setString(2, system);
                    insert.setString(3, (system.equals("crm") ? "" : "b") + prefix + "-" + String.format("%04d", i));
                    insert.setTimestamp(4, Timestamp.from(createdAt));
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    @Test
    void pagingByCursorReadsEveryLinkOnceInKeyOrderToTheLastPage() throws SQLException {
        String prefix = "pg-" + UUID.randomUUID();
        insertLinks(prefix, 125, Instant.now());

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = admin().queryParam("systemIdPrefix", prefix).queryParam("limit", 40);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get("/admin/id-map").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> links = page.getList("links");
            assertThat(links).hasSizeLessThanOrEqualTo(40);
            links.forEach(link -> seen.add(link.get("system") + ":" + link.get("systemId")));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(125).doesNotHaveDuplicates();
        // (entity, system, system id): crm's ids of the prefix; billing's start with b, another prefix
        assertThat(seen).isSorted().allSatisfy(link -> assertThat(link).startsWith("crm:" + prefix));
    }

    @Test
    void filtersBySystemCanonicalIdSystemIdAndLinkTime() throws SQLException {
        String prefix = "flt-" + UUID.randomUUID();
        insertLinks(prefix + "-old", 3, Instant.now().minus(2, ChronoUnit.DAYS));
        insertLinks(prefix + "-new", 2, Instant.now());

        admin().queryParam("entity", "contact").queryParam("canonicalId", prefix + "-old-k1").when().get("/admin/id-map")
                .then().statusCode(200)
                .body("links", hasSize(2))
                .body("links.system", equalTo(List.of("billing", "crm")))
                .body("links[1].systemId", equalTo(prefix + "-old-0001"))
                .body("links[1].linkedAt", containsString("T"))
                .body("nextCursor", nullValue());
        admin().queryParam("system", "billing").queryParam("systemIdPrefix", "b" + prefix).when().get("/admin/id-map")
                .then().statusCode(200).body("links", hasSize(5));
        admin().queryParam("system", "crm").queryParam("systemId", prefix + "-new-0000").when().get("/admin/id-map")
                .then().statusCode(200).body("links.canonicalId", equalTo(List.of(prefix + "-new-k0")));
        String yesterday = Instant.now().minus(1, ChronoUnit.DAYS).toString();
        admin().queryParam("systemIdPrefix", prefix).queryParam("linkedAfter", yesterday).when().get("/admin/id-map")
                .then().statusCode(200).body("links.systemId", equalTo(List.of(prefix + "-new-0000", prefix + "-new-0001")));
        // LIKE's own characters in a prefix are taken as they are
        admin().queryParam("systemIdPrefix", prefix.replace("flt-", "flt_")).when().get("/admin/id-map")
                .then().statusCode(200).body("links", hasSize(0));
    }

    @Test
    void aViewerMayListAndAnonymousMayNot() {
        viewer().when().get("/admin/id-map?limit=1").then().statusCode(200);
        given().when().get("/admin/id-map").then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    @Test
    void badParametersAreNamed() {
        admin().when().get("/admin/id-map?cursor=not-a-cursor").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("field", equalTo("cursor"));
        admin().when().get("/admin/id-map?linkedAfter=yesterday").then().statusCode(400).body("field", equalTo("linkedAfter"));
        admin().when().get("/admin/id-map?limit=1001").then().statusCode(400).body("field", equalTo("limit"));
        admin().when().get("/admin/id-map?linkedAfter=2024-05-01&limit=1").then().statusCode(200);
    }
}
