package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.KafkaBroker;
import io.syncline.testsupport.KafkaInboxProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * The inbox in Kafka with no broker answering: the webhook is refused 503 with Retry-After once
 * the delivery timeout passes, like a state store that is away, and nothing is accepted. The
 * broker of {@link KafkaInboxProfile} is killed for it and started again after, so that this test
 * shares the application of the other Kafka-mode tests.
 */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class KafkaInboxUnavailableTest {

    KafkaBroker broker;

    @Test
    void aWebhookTheBrokersDoNotAcknowledgeIsAnswered503WithRetryAfterWithinTheTimeout() {
        broker.kill();
        try {
            String id = "k-" + UUID.randomUUID();
            long asked = System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("id", id, "email", id + "@example.com", "lastName", "Refused"))
                    .when().post(DemoWebhook.PATH)
                    .then().statusCode(503)
                    .header("Retry-After", "5")
                    .body("error", equalTo("inbox_unavailable"))
                    .time(lessThan(10_000L));
            assertThat((System.nanoTime() - asked) / 1_000_000).isGreaterThanOrEqualTo(1_500);
            assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE record_key = ?", id))
                    .containsExactly(Map.of("n", 0L));
        } finally {
            broker.start();
        }
        // the next test on this application finds the broker and the inbox ready again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200));
    }
}
