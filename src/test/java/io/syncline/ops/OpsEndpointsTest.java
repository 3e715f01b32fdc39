package io.syncline.ops;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

/** What ops watch: liveness, readiness with its parts, Prometheus metrics with route tags. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class OpsEndpointsTest {

    @Test
    void livenessIsUpAndWatchesTheInboxEngine() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'syncline-inbox-progress' }.status", equalTo("UP"));
    }

    @Test
    void readinessIsUpAndCoversContextRoutesConsumersStateStoreSystemsAndRouteFiles() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("context", "camel-routes", "camel-consumers",
                        "syncline-state-store", "syncline-jdbc-systems", "syncline-route-files"))
                .body("checks.find { it.name == 'syncline-state-store' }.data.state", equalTo("reachable"));
    }

    @Test
    void prometheusMetricsCountExchangesPerRoute() {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "c-" + UUID.randomUUID(), "email", UUID.randomUUID() + "@example.com", "lastName", "Metrics"))
                .when().post("/webhooks/demo/contacts")
                .then().statusCode(202);

        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(matchesPattern("(?s).*camel_exchanges_total\\{[^}]*routeId=\"crm-contact-webhook\"[^}]*} [1-9].*"));
    }
}
