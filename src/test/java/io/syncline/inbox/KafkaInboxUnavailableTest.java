package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * The inbox in Kafka with no broker answering: the webhook is refused 503 with Retry-After once
 * the delivery timeout passes, like a state store that is away, and nothing is accepted.
 */
@QuarkusTest
@TestProfile(KafkaInboxUnavailableTest.NoBroker.class)
@WithTestResource(PostgresDatabaseResource.class)
class KafkaInboxUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.mode", "kafka", "syncline.inbox.kafka.brokers", "127.0.0.1:" + closedPort(),
                    "syncline.inbox.kafka.delivery-timeout", "2s", "syncline.inbox.apply", "false");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aWebhookTheBrokersDoNotAcknowledgeIsAnswered503WithRetryAfterWithinTheTimeout() {
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
    }
}
