package io.syncline.demo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The Quickstart example: a contact posted to the demo webhook lands in demo_contact. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class DemoContactSyncTest {

    static final String WEBHOOK = "/webhooks/demo/contacts";

    @Test
    void contactPostedToTheWebhookLandsAsARow() {
        String id = "c-" + UUID.randomUUID();

        given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", "ada@example.com", "firstName", "Ada",
                        "lastName", "Lovelace", "phone", "+44 20 7946 0018"))
                .when().post(WEBHOOK)
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("status", equalTo("applied"))
                .body("id", equalTo(id));

        List<Map<String, Object>> rows = TestDatabase.query(
                "SELECT email, first_name, last_name, phone FROM demo_contact WHERE external_id = ?", id);
        assertThat(rows).containsExactly(Map.of("email", "ada@example.com", "first_name", "Ada",
                "last_name", "Lovelace", "phone", "+44 20 7946 0018"));

        given().when().get("/demo/contacts")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("external_id", hasItem(id));
    }

    @Test
    void laterEventForTheSameContactUpdatesItsRow() {
        String id = "c-" + UUID.randomUUID();
        for (String email : List.of("grace@example.com", "grace.hopper@example.com")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("id", id, "email", email, "firstName", "Grace"))
                    .when().post(WEBHOOK)
                    .then().statusCode(200);
        }

        assertThat(TestDatabase.query("SELECT email FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("email", "grace.hopper@example.com"));
    }
}
