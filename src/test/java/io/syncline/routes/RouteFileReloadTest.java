package io.syncline.routes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.ReloadingRoutesProfile;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dev-mode route file reload: an edited file's routes are replaced in place while every other
 * route keeps running; a broken edit turns readiness DOWN naming the file, and mending it brings
 * the route back.
 */
@QuarkusTest
@TestProfile(ReloadingRoutesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class RouteFileReloadTest {

    static final String LIST_FILE = "demo-contacts-list.camel.yaml";
    static final Path LIST_ROUTE = ReloadingRoutesProfile.FOLDER.resolve(LIST_FILE);
    static final String ROUTE_FILES_CHECK = "checks.find { it.name == 'syncline-route-files' }";

    @AfterEach
    void restoreFiles() throws IOException {
        // the edited route file only: the model file stays as it is, with no reload of its own
        Files.copy(Path.of("routes", LIST_FILE), LIST_ROUTE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200
                && given().get("/demo/contacts").statusCode() == 200);
    }

    @Test
    void editedRouteIsReplacedAndEveryOtherRouteKeepsRunning() throws IOException {
        String id = postContact();
        assertThat(listedIds()).contains(id);

        // a comment and a change of what the route answers: only the email column is listed
        editListRoute("SELECT external_id, email, first_name", "SELECT external_id, email, NULL AS first_name");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/demo/contacts").jsonPath().getList("first_name").stream().allMatch(v -> v == null));

        // the webhook, the inbox dispatcher and workers and the apply route still run
        String later = postContact();
        assertThat(listedIds()).contains(id, later);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void brokenEditTurnsReadinessDownNamingTheFileAndItsFixBringsTheRouteBack() throws IOException {
        String original = Files.readString(LIST_ROUTE);
        Files.writeString(LIST_ROUTE, original.replace("      steps:", "      stepz:"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body(ROUTE_FILES_CHECK + ".status", equalTo("DOWN"))
                .body(ROUTE_FILES_CHECK + ".data['file:" + LIST_ROUTE + "']", containsString("stepz"));
        // the other files' routes are untouched: a contact is still accepted and applied
        String id = postContact();
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);

        Files.writeString(LIST_ROUTE, original);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertThat(listedIds()).contains(id);
    }

    private static void editListRoute(String from, String to) throws IOException {
        String route = Files.readString(LIST_ROUTE);
        assertThat(route).contains(from);
        Files.writeString(LIST_ROUTE, "# edited\n" + route.replace(from, to));
    }

    private static String postContact() {
        String id = "c-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("id", id, "email", id + "@example.com", "lastName", "Reload"))
                .when().post("/webhooks/demo/contacts").then().statusCode(202);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
        return id;
    }

    private static List<String> listedIds() {
        return given().get("/demo/contacts").then().statusCode(200).extract().jsonPath().getList("external_id");
    }
}
