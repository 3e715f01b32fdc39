package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the inbox in PostgreSQL (the default), nothing of Kafka starts: no consumer, no endpoint,
 * no health check, no probe of the brokers and none of its metrics.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class KafkaInboxOffTest {

    @Inject
    CamelContext camel;

    @Test
    void theDefaultInboxMakesNoKafkaRouteEndpointOrHealthCheck() {
        assertThat(camel.getRoute(KafkaInboxRoutes.CONSUMER)).isNull();
        assertThat(camel.getEndpoints()).noneMatch(endpoint -> endpoint.getEndpointUri().startsWith("kafka:"));
        String health = given().when().get("/q/health").then().extract().asString();
        assertThat(health).doesNotContainIgnoringCase("kafka");
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("syncline_inbox_kafka");
    }
}
