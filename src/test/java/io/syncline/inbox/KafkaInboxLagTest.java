package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.syncline.alerting.AlertChannelsResource;
import io.syncline.testsupport.AlertRuleSeries;
import io.syncline.testsupport.AlertsTold;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.KafkaBroker;
import io.syncline.testsupport.KafkaInboxResource;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.SmtpServer;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.lessThan;

/**
 * The inbox topic as operations see it, on a real KRaft broker: the consumer group's lag on
 * {@code /q/metrics} and in readiness, a topic whose consumers stop told as an inbox that does not
 * drain (by the alert notifier, with the PrometheusRule's windows shortened to seconds) until they
 * move on, the rule's Kafka series checked against this process, and readiness DOWN while the
 * broker is stopped, UP again once it is back.
 */
@QuarkusTest
@TestProfile(KafkaInboxLagTest.Probed.class)
@WithTestResource(AlertChannelsResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaInboxLagTest {

    private static final Duration BOUND = Duration.ofSeconds(45);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** The Kafka inbox, probed every second and given up on after two. */
    public static class Probed implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.mode", "kafka", "syncline.inbox.kafka.probe-interval", "1s",
                    "syncline.inbox.kafka.probe-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaInboxResource.class));
        }
    }

    @Inject
    CamelContext camel;

    SlackStub slack;
    SmtpServer smtp;
    KafkaBroker broker;

    private AlertsTold told() {
        return new AlertsTold(slack, smtp, BOUND);
    }

    @Test
    @Order(1)
    void theLagCountsWhatTheGroupHasNotCommittedAndAStuckTopicIsAnInboxNotDrainingUntilItsConsumersMoveOn() {
        // events earlier test classes left unfinished in the shared inbox table would be an inbox not draining of their own
        TestDatabase.update("DELETE FROM inbox WHERE status IN ('pending', 'processing')");
        await().atMost(BOUND).untilAsserted(() -> assertThat(gauge("syncline_inbox_kafka_lag")).isZero());

        stopConsumers();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(post(id("waiting-" + i), "Waiting"));
        }
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(gauge("syncline_inbox_kafka_lag")).isEqualTo(3);
            JsonPath check = check();
            assertThat(check.getString("status")).isEqualTo("UP");
            assertThat(check.getInt("data.lag")).isEqualTo(3);
            assertThat(check.getString("data.topic")).isEqualTo(KafkaInboxResource.TOPIC);
            assertThat(check.getString("data.group")).isEqualTo(KafkaInboxResource.GROUP);
        });

        // syncline.alerts.inbox-stall is 7 s here: the partitions holding the three have not moved since
        told().awaitTold("SynclineInboxNotDraining", "firing");
        assertThat((String) told().slackMessages("SynclineInboxNotDraining", "firing").get(0).get("text"))
                .contains("inbox topic", "3 wait in the topic");
        assertThat(gauge("syncline_inbox_kafka_stall_seconds")).isGreaterThanOrEqualTo(7);

        startConsumers();
        for (String event : events) {
            long inboxId = ((Number) TestDatabase.awaitRows("SELECT id FROM inbox WHERE event_id = ?", event).get(0).get("id"))
                    .longValue();
            assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        }
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(gauge("syncline_inbox_kafka_lag")).isZero();
            assertThat(gauge("syncline_inbox_kafka_stall_seconds")).isZero();
        });
        told().awaitTold("SynclineInboxNotDraining", "resolved");
    }

    @Test
    @Order(2)
    void everySeriesOfTheKafkaModeTheAlertRulesNameIsExportedWithTheLabelsTheyUse() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        // the default mode's series: ReconciliationTest, against a process in that mode
        assertThat(AlertRuleSeries.assertExported(metrics, AlertRuleSeries.KAFKA_ONLY)).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void aStoppedBrokerMakesReadinessDownAtOnceUntilItAnswersAgain() {
        broker.kill();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonPath ready = readiness(503);
                JsonPath check = check(ready);
                assertThat(check.getString("status")).isEqualTo("DOWN");
                assertThat(check.getString("data.state")).isEqualTo("unreachable");
                assertThat(check.getString("data.topic")).isEqualTo(KafkaInboxResource.TOPIC);
                assertThat(check.getString("data.error")).isNotBlank();
                assertThat(check.getString("data.unreachableSince")).isNotBlank();
                assertThat(check.getInt("data.lag")).isZero();
            });
            // from the probe's last answer: readiness does not wait on the brokers
            given().when().get("/q/health/ready").then().statusCode(503).time(lessThan(2_000L));
            assertThat(gauge("syncline_inbox_kafka_lag")).isNaN();
            assertThat(gauge("syncline_inbox_kafka_reachable")).isZero();
            told().awaitTold("SynclineKafkaInboxUnreachable", "firing");
        } finally {
            broker.start();
        }
        await().atMost(BOUND).untilAsserted(() -> {
            JsonPath check = check(readiness(200));
            assertThat(check.getString("status")).isEqualTo("UP");
            assertThat(check.getString("data.error")).isNull();
        });
        assertThat(gauge("syncline_inbox_kafka_reachable")).isEqualTo(1);
        told().awaitTold("SynclineKafkaInboxUnreachable", "resolved");

        // and webhooks are stored and applied again
        String event = post(id("after"), "After");
        long inboxId = ((Number) TestDatabase.awaitRows("SELECT id FROM inbox WHERE event_id = ?", event).get(0).get("id"))
                .longValue();
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
    }

    private static String id(String name) {
        return "klag-" + RUN + "-" + name;
    }

    /** Posts a contact and returns its event id once the topic holds it. */
    private static String post(String id, String lastName) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", id + "@example.com", "lastName", lastName))
                .when().post(DemoWebhook.PATH)
                .then().statusCode(202)
                .extract().path("eventId");
    }

    private void stopConsumers() {
        try {
            camel.getRouteController().stopRoute(KafkaInboxRoutes.CONSUMER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void startConsumers() {
        try {
            camel.getRouteController().startRoute(KafkaInboxRoutes.CONSUMER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of an untagged gauge on {@code /q/metrics}. */
    private static double gauge(String name) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(sample.find()).as("%s on /q/metrics", name).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private static JsonPath readiness(int status) {
        return given().when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath check() {
        return check(given().when().get("/q/health/ready").then().extract().jsonPath());
    }

    /** The Kafka inbox's check of a health answer, its fields read as {@code status}, {@code data.lag}, … */
    private static JsonPath check(JsonPath health) {
        Object check = health.get("checks.find { it.name == '" + KafkaInboxHealthCheck.NAME + "' }");
        assertThat(check).as("readiness check %s", KafkaInboxHealthCheck.NAME).isNotNull();
        try {
            return JsonPath.from(new ObjectMapper().writeValueAsString(check));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
