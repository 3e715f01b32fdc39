package io.syncline.quickstart;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.testsupport.PackagedApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The README's Quickstart on the packaged application as a newcomer runs it: started in an
 * empty folder with no datasource configured (the embedded store), the Quickstart's requests
 * sent exactly as the README writes them, and the README's answers checked. The requests are
 * also looked up in README.md, so that the README and this test cannot drift apart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedQuickstartIT {

    static final String CONTACT = "{\"id\":\"c-1001\",\"email\":\" Ada@Example.COM \",\"firstName\":\"Ada\","
            + "\"lastName\":\"Lovelace\",\"phone\":\"020 7946 0018\",\"company\":{\"name\":\"Analytical Engines Ltd\"},"
            + "\"address\":{\"city\":\"London\"},\"lifecycleStage\":\"customer\",\"updatedAt\":\"2024-03-01T10:30:00+01:00\"}";
    static final String ACCEPTED = "{\"status\":\"accepted\",\"inboxId\":1}";
    static final String ROW = "[{\"external_id\":\"c-1001\",\"email\":\"ada@example.com\",\"first_name\":\"Ada\","
            + "\"last_name\":\"Lovelace\",\"full_name\":\"Ada Lovelace\",\"phone\":\"+442079460018\","
            + "\"company\":\"Analytical Engines Ltd\",\"city\":\"London\",\"status\":\"active\","
            + "\"updated_at\":\"2024-03-01T09:30:00Z\"}]";
    static final String REJECTED = "{\"id\":\"c-1002\",\"phone\":\"12ab\"}";
    static final String HELD = "{\"id\":\"c-1003\",\"email\":\"grace@example.com\",\"firstName\":\"Grace\"}";
    static final String MALFORMED = "{\"id\": \"c-1\"";
    static final String ADMIN_PASSWORD = "dev-only-password";

    static final Path FOLDER = Path.of("target", "embedded-quickstart-it");
    static PackagedApplication app;

    @BeforeAll
    static void startInAnEmptyFolder() throws IOException {
        deleteRecursively(FOLDER);
        app = PackagedApplication.startEmbedded("embedded-quickstart-it", FOLDER,
                Map.of("SYNCLINE_ADMIN_PASSWORD", ADMIN_PASSWORD));
        app.awaitReady("embedded store, no datasource configured");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(0)
    void theReadmeSendsTheseRequestsAndPrintsTheseAnswers() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("-d '" + CONTACT + "'", ACCEPTED, ROW, "-d '" + REJECTED + "'",
                "-d '" + HELD + "'", "-d '" + MALFORMED + "'", "admin:" + ADMIN_PASSWORD);
    }

    @Test
    @Order(1)
    void aContactPostedToTheWebhookLandsMappedInBillingsTable() {
        String answer = given().contentType(ContentType.JSON).body(CONTACT)
                .when().post(app.url("/webhooks/demo/contacts"))
                .then().statusCode(202).extract().asString();
        assertThat(answer).isEqualTo(ACCEPTED);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().get(app.url("/demo/contacts")).then().statusCode(200).extract().asString()).isEqualTo(ROW));
        assertThat(Files.isDirectory(FOLDER.resolve("syncline-data"))).as("the embedded store's folder").isTrue();
    }

    @Test
    @Order(2)
    void aRecordTheModelRejectsIsKeptAsADeadLetterWithEveryReason() {
        given().contentType(ContentType.JSON).body(REJECTED)
                .when().post(app.url("/webhooks/demo/contacts")).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .get(app.url("/admin/dead-letters")).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].reason", containsString("required field email"))
                .body("[0].reason", containsString("'12ab' is not a phone number")));
    }

    @Test
    @Order(3)
    void aContactWithoutALastNameWaitsInTheReviewQueue() {
        given().contentType(ContentType.JSON).body(HELD)
                .when().post(app.url("/webhooks/demo/contacts")).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .get(app.url("/admin/review-items")).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].kind", equalTo("held_record"))
                .body("[0].sourceId", equalTo("c-1003")));
    }

    @Test
    @Order(4)
    void aBodyThatIsNotJsonGetsA400WithAJsonReason() {
        given().contentType(ContentType.JSON).body(MALFORMED)
                .when().post(app.url("/webhooks/demo/contacts"))
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"));
    }

    @Test
    @Order(5)
    void aReconciliationRunSaysItNeedsPostgreSql() {
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .when().post(app.url("/admin/reconciliations/contacts-nightly/runs?dryRun=true"))
                .then().statusCode(409)
                .body("error", equalTo("embedded_store"))
                .body("message", containsString("QUARKUS_DATASOURCE_JDBC_URL"));
    }

    @Test
    @Order(6)
    void theConsoleShowsTheSameQueuesOnTheEmbeddedStore() {
        Response login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", ADMIN_PASSWORD)
                .when().post(app.url("/j_security_check"));
        assertThat(login.statusCode()).isEqualTo(302);
        String session = login.getCookie("syncline-console");
        assertThat(session).isNotBlank();

        given().cookie("syncline-console", session).when().get(app.url("/console")).then().statusCode(200);
        assertThat(given().cookie("syncline-console", session).when().get(app.url("/console/review"))
                .then().statusCode(200).extract().asString()).contains("c-1003");
        assertThat(given().cookie("syncline-console", session).when().get(app.url("/console/dead-letters"))
                .then().statusCode(200).extract().asString()).contains("required field email");
        assertThat(given().cookie("syncline-console", session).when().get(app.url("/console/records?q=ada@example.com"))
                .then().statusCode(200).extract().asString()).contains("c-1001");
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
