package io.syncline.compiled;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.ReloadingRoutesProfile;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dev-mode behaviour: editing the model YAML changes what lands in the demo target without a
 * restart; an edit with a mistake, a model file deleted or emptied keeps the previous model and
 * turns readiness DOWN.
 */
@QuarkusTest
@TestProfile(ReloadingRoutesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class ModelReloadTest {

    static final Path MODEL = ReloadingRoutesProfile.FOLDER.resolve("contacts.syncline.yaml");
    static final String ORIGINAL = "{field: lastName, path: last_name}";

    @AfterEach
    void restoreModel() throws IOException {
        Files.copy(Path.of("routes", "contacts.syncline.yaml"), MODEL, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        // the shipped model in force again before the next test, of this class or another on this application
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> "Lovelace".equals(lastNameLanded("Lovelace")));
    }

    private static String lastNameLanded(String lastName) {
        String id = "c-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("id", id, "email", id + "@example.com", "lastName", lastName))
                .when().post("/webhooks/demo/contacts").then().statusCode(202);
        return (String) TestDatabase.awaitRows("SELECT last_name FROM demo_contact WHERE external_id = ?", id)
                .get(0).get("last_name");
    }

    private static void editModel(String from, String to) throws IOException {
        String model = Files.readString(MODEL);
        assertThat(model).contains(from);
        Files.writeString(MODEL, model.replace(from, to));
    }

    @Test
    void changedMappingChangesWhatLandsWithoutARestart() throws IOException {
        assertThat(lastNameLanded("Lovelace")).isEqualTo("Lovelace");

        editModel(ORIGINAL, "{field: lastName, path: last_name, transforms: [uppercase]}");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> "LOVELACE".equals(lastNameLanded("Lovelace")));
    }

    @Test
    void brokenEditKeepsThePreviousModelAndReadinessNamesTheProblem() throws IOException {
        editModel(ORIGINAL, "{field: lastName, path: last_name, transforms: [uppercse]}");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-model' }.data['problem.1']",
                        org.hamcrest.Matchers.containsString("uppercse"));
        assertThat(lastNameLanded("Lovelace")).isEqualTo("Lovelace");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deleted", "emptied"})
    void aModelFileGoneKeepsTheLastGoodModelAndReadinessNamesIt(String how) throws IOException {
        editModel(ORIGINAL, "{field: lastName, path: last_name, transforms: [uppercase]}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> "LOVELACE".equals(lastNameLanded("Lovelace")));

        if (how.equals("deleted")) {
            Files.delete(MODEL);
        } else {
            Files.writeString(MODEL, "");
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-model' }.data['problem.1']",
                        org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("contacts.syncline.yaml"),
                                org.hamcrest.Matchers.containsString("the model read from it stays in force")));
        // the webhook route is still there, and applies with the last good model (the edited one)
        assertThat(lastNameLanded("Lovelace")).isEqualTo("LOVELACE");
    }
}
