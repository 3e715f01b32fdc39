package io.syncline.webhook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Bad requests get a clear 4xx with a JSON body; nothing is written; the service stays up. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class WebhookErrorsTest {

    static final String WEBHOOK = "/webhooks/demo/contacts";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\": \"c-1\", \"email\": |malformed_json|line 1, column 23",
            "not json at all             |malformed_json|Body is not valid JSON",
            "[{\"id\": \"c-1\"}]          |not_a_json_object|was array",
            "\"just a string\"           |not_a_json_object|was string",
            "'  '                        |empty_body|Body is empty",
    })
    void bodyThatIsNotAJsonObjectIs400NamingTheProblem(String body, String error, String detail) {
        given().contentType(ContentType.JSON).body(body.strip())
                .when().post(WEBHOOK)
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo(error))
                .body("message", containsString(detail))
                .body("route", equalTo("crm-contact-webhook"));
    }

    @Test
    void nonJsonContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("{\"id\":\"c-1\",\"email\":\"a@example.com\"}")
                .when().post(WEBHOOK)
                .then().statusCode(415)
                .contentType(ContentType.JSON)
                .body("error", equalTo("unsupported_media_type"))
                .body("message", containsString("text/plain"));
    }

    @Test
    void requestHeadersAreNotEchoedInTheErrorResponse() {
        given().contentType(ContentType.JSON).header("X-Secret-Token", "s3cr3t").body("{bad")
                .when().post(WEBHOOK)
                .then().statusCode(400)
                .header("X-Secret-Token", (String) null);
    }

    @Test
    void bodyOverTheSizeLimitIs413AndNotStored() {
        String id = "c-" + UUID.randomUUID();
        String big = "{\"id\":\"" + id + "\",\"email\":\"big@example.com\",\"lastName\":\"Big\",\"notes\":\""
                + "x".repeat(1_100_000) + "\"}";
        given().contentType(ContentType.JSON).body(big)
                .when().post(WEBHOOK)
                .then().statusCode(413)
                .contentType(ContentType.JSON)
                .body("error", equalTo("payload_too_large"));
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
    }

    @Test
    void unknownPathIs404() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/webhooks/demo/no-such-entity")
                .then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
    }

    @Test
    void wrongMethodIs405() {
        given().when().get(WEBHOOK)
                .then().statusCode(405)
                .header("Allow", containsString("POST"))
                .contentType(ContentType.JSON)
                .body("error", equalTo("method_not_allowed"));
    }

    @Test
    void rejectedRequestsAreNotStoredAndGoodEventsAroundThemAreApplied() {
        String before = "c-" + UUID.randomUUID();
        String rejected = "c-" + UUID.randomUUID();
        String after = "c-" + UUID.randomUUID();

        post(Map.of("id", before, "email", before + "@example.com", "lastName", "Before")).then().statusCode(202);
        given().contentType(ContentType.JSON).body("{\"id\": \"" + rejected + "\", \"email\": ")
                .when().post(WEBHOOK).then().statusCode(400);
        given().contentType(ContentType.TEXT).body("{\"id\": \"" + rejected + "\"}")
                .when().post(WEBHOOK).then().statusCode(415);
        post(Map.of("id", after, "email", after + "@example.com", "lastName", "After")).then().statusCode(202);

        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", after);
        assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE record_key = ?", rejected)).isEmpty();
        assertThat(TestDatabase.query(
                "SELECT external_id FROM demo_contact WHERE external_id IN (?, ?, ?)",
                before, rejected, after))
                .extracting(row -> row.get("external_id"))
                .containsExactlyInAnyOrder(before, after);
    }

    private static io.restassured.response.Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post(WEBHOOK);
    }
}
