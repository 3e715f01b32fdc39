package io.syncline.http;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Paths that need no credentials ignore an Authorization header, well-formed or not: a sender's
 * proxy may add one to a webhook, a probe may carry one to {@code /q/health}.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class UnusedCredentialsTest {

    static final String WEBHOOK = "/webhooks/demo/contacts";

    private static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"lastName\":\"Proxied\"}";
    }

    private static String newId() {
        return "c-" + UUID.randomUUID();
    }

    @Test
    void aMalformedAuthorizationHeaderOnAWebhookIsIgnored() {
        String id = newId();
        given().contentType(ContentType.JSON).header("Authorization", "Basic !!!").body(contact(id))
                .when().post(WEBHOOK).then().statusCode(202);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
    }

    @Test
    void credentialsAProxyAddsToAnUnsignedWebhookAreIgnored() {
        String id = newId();
        given().contentType(ContentType.JSON).auth().preemptive().basic("proxy-user", "proxy-password").body(contact(id))
                .when().post(WEBHOOK).then().statusCode(202);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
    }

    @Test
    void aMalformedAuthorizationHeaderOnHealthIsIgnored() {
        given().header("Authorization", "Basic !!!").when().get("/q/health/live").then().statusCode(200);
    }
}
