package io.syncline.routes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * A configured routes folder that does not exist: nothing is served, not the packaged demo, and
 * readiness is DOWN naming the folder.
 */
@QuarkusTest
@TestProfile(MissingRoutesFolderTest.MissingRoutesFolder.class)
@WithTestResource(PostgresDatabaseResource.class)
class MissingRoutesFolderTest {

    static final Path FOLDER = Path.of("target", "no-such-routes-folder").toAbsolutePath();

    public static class MissingRoutesFolder implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", FOLDER.toString());
        }
    }

    @Test
    void nothingIsServedAndReadinessNamesTheFolder() {
        given().contentType(ContentType.JSON).body(Map.of("id", "c-1", "email", "a@example.com", "lastName", "Packaged"))
                .when().post("/webhooks/demo/contacts")
                .then().statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'syncline-route-files' }.data['" + FOLDER + "']",
                        containsString("does not exist"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
