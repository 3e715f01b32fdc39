package io.syncline.routes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** No routes folder where configured: the route files packaged in the application run. */
@QuarkusTest
@TestProfile(PackagedRoutesFallbackTest.MissingRoutesFolder.class)
@WithTestResource(PostgresDatabaseResource.class)
class PackagedRoutesFallbackTest {

    public static class MissingRoutesFolder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "target/no-such-routes-folder");
        }
    }

    @Test
    void packagedExampleRoutesServe() {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "c-" + UUID.randomUUID(), "email", UUID.randomUUID() + "@example.com", "lastName", "Packaged"))
                .when().post("/webhooks/demo/contacts")
                .then().statusCode(202)
                .body("status", equalTo("accepted"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
