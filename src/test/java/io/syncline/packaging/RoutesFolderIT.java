package io.syncline.packaging;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application on a routes folder that serves nothing is not ready, naming the
 * folder, and runs nothing else in its place; a model file deleted while it runs (model reload
 * on) leaves the last good model applying events.
 *
 * <p>Runs one at a time with the other integration tests that run an application on the test database itself.
 */
@ResourceLock(TestDatabase.MAIN)
class RoutesFolderIT {

    @Test
    void anEmptyRoutesFolderIsNotReadyAndNamesIt() throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "routes-folder-it-empty")).toAbsolutePath();
        try (var files = Files.list(folder)) {
            assertThat(files).as("the folder is empty").isEmpty();
        }
        servesNothingAndNames("routes-folder-it-empty", folder, "holds no model file");
    }

    @Test
    void aMissingRoutesFolderIsNotReadyAndNamesIt() throws Exception {
        Path folder = Path.of("target", "routes-folder-it-not-mounted").toAbsolutePath();
        assertThat(folder).doesNotExist();
        servesNothingAndNames("routes-folder-it-missing", folder, "does not exist");
    }

    private static void servesNothingAndNames(String name, Path folder, String problem) throws Exception {
        try (PackagedApplication app = PackagedApplication.start(name, environment(folder), List.of())) {
            await(name + ": readiness names the folder").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> readiness(app).getString("checks.find { it.name == 'syncline-route-files' }.data['"
                            + folder + "']") != null);
            JsonPath ready = readiness(app);
            assertThat(ready.getString("status")).isEqualTo("DOWN");
            assertThat(ready.getString("checks.find { it.name == 'syncline-route-files' }.data['" + folder + "']"))
                    .contains(problem);
            assertThat(app.get("/q/health/ready")).isEqualTo(503);
            assertThat(app.get("/q/health/live")).isEqualTo(200);
            // not the packaged demo either: its webhook does not exist
            given().contentType(ContentType.JSON).body(Map.of("id", "c-1", "email", "a@example.com", "lastName", "Demo"))
                    .when().post(app.url("/webhooks/demo/contacts"))
                    .then().statusCode(404);
        }
    }

    @Test
    void aModelFileDeletedWhileItRunsLeavesTheLastGoodModelApplying() throws Exception {
        Path folder = Path.of("target", "routes-folder-it-deleted").toAbsolutePath();
        RouteFolders.copyShippedRoutes(folder);
        Map<String, String> environment = new java.util.HashMap<>(environment(folder));
        environment.put("SYNCLINE_MODEL_RELOAD", "true");
        try (PackagedApplication app = PackagedApplication.start("routes-folder-it-deleted", environment, List.of())) {
            app.awaitReady("the shipped routes");
            applied(app);

            Files.delete(folder.resolve("contacts.syncline.yaml"));

            await("the deletion is noticed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> app.get("/q/health/ready") == 503);
            assertThat(readiness(app).getString("checks.find { it.name == 'syncline-model' }.data['problem.1']"))
                    .contains("contacts.syncline.yaml").contains("the file is gone")
                    .contains("the model read from it stays in force");
            // the webhook and apply routes are still there, with the model's transforms
            applied(app);
        }
    }

    /** Posts a contact with a mixed-case e-mail and checks that it lands in the demo's target table lower-cased. */
    private static void applied(PackagedApplication app) {
        String id = "c-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("id", id, "email", " " + id + "@Example.COM ", "lastName", "Lovelace"))
                .when().post(app.url("/webhooks/demo/contacts"))
                .then().statusCode(202);
        assertThat(TestDatabase.awaitRows("SELECT email FROM demo_contact WHERE external_id = ?", id).get(0).get("email"))
                .isEqualTo(id + "@example.com");
    }

    private static JsonPath readiness(PackagedApplication app) {
        return given().when().get(app.url("/q/health/ready")).then().extract().jsonPath();
    }

    private static Map<String, String> environment(Path folder) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.url(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "routes-folder-it-password",
                "SYNCLINE_ROUTES_LOCATION", folder.toString());
    }
}
