package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ModelAloneProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox's engine routes come with the application and the model makes the webhook and apply
 * routes from the packaged templates: a routes folder holding only the model (the Quickstart's,
 * billing's last name upper-cased: {@link ModelAloneProfile}) accepts and applies events.
 */
@QuarkusTest
@TestProfile(ModelAloneProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class InboxRoutesTest {

    @Inject
    CamelContext camel;

    @Test
    void aFolderHoldingOnlyTheModelAcceptsAndAppliesEvents() throws IOException {
        try (var files = Files.list(ModelAloneProfile.FOLDER)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("contacts.syncline.yaml");
        }
        String id = "c-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("id", id, "email", id + "@example.com", "lastName", "Engine"))
                .when().post("/webhooks/demo/contacts").then().statusCode(202);

        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
        assertThat(camel.getRouteController().getRouteStatus("inbox-dispatcher").isStarted()).isTrue();
        assertThat(camel.getRoute("crm-contact-webhook")).isNotNull();
        assertThat(camel.getRoute("contact-crm-to-billing")).isNotNull();
        assertThat(camel.getRoute("inbox-cleanup")).isNotNull();
        assertThat(camel.getRoute("idempotency-cleanup")).isNotNull();
        given().get("/q/health/ready").then().statusCode(200);
    }
}
