package io.syncline.routes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

/**
 * A folder with three broken route files (bad YAML, an unknown step, a missing bean) and a good one: the service stays up, the good route
 * serves, and readiness is DOWN naming each broken file with its problem.
 */
@QuarkusTest
@TestProfile(BrokenRouteFileTest.BrokenRoutesFolder.class)
@WithTestResource(PostgresDatabaseResource.class)
class BrokenRouteFileTest {

    public static class BrokenRoutesFolder implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "src/test/resources/broken-routes");
        }
    }

    private static final String ROUTE_FILES_CHECK = "checks.find { it.name == 'syncline-route-files' }";

    @Test
    void readinessIsDownNamingEachBrokenFileAndItsProblem() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body(ROUTE_FILES_CHECK + ".status", equalTo("DOWN"))
                .body(ROUTE_FILES_CHECK + ".data", aMapWithSize(3))
                .body(ROUTE_FILES_CHECK + ".data", hasKey("file:src/test/resources/broken-routes/unknown-step.camel.yaml"))
                .body(ROUTE_FILES_CHECK + ".data['file:src/test/resources/broken-routes/unknown-step.camel.yaml']",
                        containsString("frobnicate"))
                .body(ROUTE_FILES_CHECK + ".data['file:src/test/resources/broken-routes/broken-indentation.camel.yaml']",
                        containsString("line 6"))
                .body(ROUTE_FILES_CHECK + ".data['file:src/test/resources/broken-routes/missing-bean.camel.yaml']",
                        containsString("noSuchBean"));
    }

    @Test
    void livenessStaysUpAndTheGoodRouteServes() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/ping").then().statusCode(200).body(equalTo("pong"));
        given().when().get("/missing-bean").then().statusCode(404);
    }
}
