package io.syncline.packaging;

import io.restassured.http.ContentType;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production run: the packaged jar, a fresh PostgreSQL database given only through
 * environment variables, no test profile. It must migrate the schema and become ready.
 *
 * <p>Runs one at a time with the other integration tests that run an application on the test database itself.
 */
@ResourceLock(TestDatabase.MAIN)
class PackagedJarIT {

    @Test
    void migratesAFreshDatabaseFromEnvironmentVariablesAndBecomesReady() throws Exception {
        String url = TestDatabase.siblingUrl("_packaged");
        TestDatabase.ensureDatabase(url, true);

        try (PackagedApplication app = PackagedApplication.start("packaged-jar-it", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "packaged-it-password",
                "SYNCLINE_ROUTES_LOCATION", "routes"), List.of())) {

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> app.get("/q/health/ready") == 200);

            assertThat(TestDatabase.queryOn(url,
                    "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat(row.get("success")).isEqualTo(true));

            given().contentType(ContentType.JSON)
                    .body(Map.of("id", "c-packaged", "email", "prod@example.com", "lastName", "Production"))
                    .when().post(app.url("/webhooks/demo/contacts"))
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    TestDatabase.queryOn(url, "SELECT email FROM demo_contact WHERE external_id = ?", "c-packaged"))
                    .containsExactly(Map.of("email", "prod@example.com")));
        }
    }

    @Test
    void misspelledSynclineKeyStopsStartUp() throws Exception {
        try (PackagedApplication app = PackagedApplication.start("packaged-jar-bad-key-it", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.url(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "SYNCLINE_ADMIN_PASSWORD", "packaged-it-password"), List.of("-Dsyncline.routes.locaton=/mnt/routes"))) {

            await().atMost(Duration.ofSeconds(90)).until(() -> !app.process().isAlive());
            assertThat(app.process().exitValue()).isNotZero();
        }
    }
}
