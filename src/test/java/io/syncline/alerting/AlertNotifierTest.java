package io.syncline.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.AlertsTold;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.FaultProxy;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.SmtpServer;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The alert notifier on the Quickstart's contacts: each condition of the PrometheusRule provoked
 * through the application (a field that stops arriving, a change ten minutes late, rejected events, a held
 * record left waiting, an event stuck in the inbox and so an old backlog, the state store cut off), told to Slack and by e-mail as it starts and
 * again as it clears, and nothing more while it holds. The conditions of the inbox in Kafka (a topic that does not drain,
 * brokers away): KafkaInboxLagTest, on a real broker.
 */
@QuarkusTest
@WithTestResource(AlertChannelsResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertNotifierTest {

    private static final Duration BOUND = Duration.ofSeconds(45);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    SlackStub slack;
    SmtpServer smtp;
    FaultProxy store;

    static Map<String, Object> contact(String id, Instant updatedAt) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", id + "@example.com");
        contact.put("firstName", "Ada");
        contact.put("lastName", "Lovelace");
        contact.put("address", Map.of("city", "London"));
        contact.put("lifecycleStage", "customer");
        contact.put("updatedAt", updatedAt.toString());
        return contact;
    }

    private static String id(String name) {
        return "alert-" + RUN + "-" + name;
    }

    private void awaitTold(String alert, String status) {
        new AlertsTold(slack, smtp, BOUND).awaitTold(alert, status);
    }

    private List<Map<String, Object>> slackMessages(String alert, String status) {
        return new AlertsTold(slack, smtp, BOUND).slackMessages(alert, status);
    }

    @Test
    @Order(1)
    void aMappedFieldThatStopsArrivingIsSchemaDriftUntilItComesBack() {
        // Events earlier test classes left in the shared inbox (claims of an application that stopped,
        // retries) would be applied between this test's payloads, each with its city, and reset the count.
        TestDatabase.update("DELETE FROM inbox WHERE status IN ('pending', 'processing') AND record_key NOT LIKE 'alert-%'");
        DemoWebhook.awaitDrained("");
        DemoWebhook.accept(contact(id("drift-0"), Instant.now()));
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> renamed = contact(id("drift-" + i), Instant.now());
            renamed.remove("address");
            renamed.put("location", Map.of("city", "London"));
            DemoWebhook.accept(renamed);
        }
        DemoWebhook.awaitDrained("alert-" + RUN + "-drift");
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("syncline_schema_drift{entity=\"contact\",field=\"city\",system=\"crm\"} 1.0"))
                .body(containsString("syncline_schema_drift{entity=\"contact\",field=\"email\",system=\"crm\"} 0.0"));
        awaitTold("SynclineSchemaDrift", "firing");
        Map<String, Object> firing = slackMessages("SynclineSchemaDrift", "firing").get(0);
        assertThat(firing).containsEntry("entity", "contact").containsEntry("system", "crm").containsEntry("field", "city");
        assertThat((String) firing.get("text")).contains("city", "docs/reference/alerts.md#synclineschemadrift");

        DemoWebhook.accept(contact(id("drift-back"), Instant.now()));
        awaitTold("SynclineSchemaDrift", "resolved");
    }

    @Test
    @Order(2)
    void aChangeThatArrivesTenMinutesLateIsSyncLagUntilTheWindowHoldsNoneSoLate() {
        DemoWebhook.accept(contact(id("late"), Instant.now().minus(Duration.ofMinutes(10))));
        awaitTold("SynclineSyncLagHigh", "firing");
        // the lag histogram has a bucket at the rule's threshold (300 s) and finite ones of more than 1,000 s
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("syncline_sync_lag_seconds_bucket\\{[^}]*le=\"300.0\"[^}]*} [1-9]")
                .containsPattern("syncline_sync_lag_seconds_bucket\\{[^}]*le=\"[1-9][0-9]{3,}\\.[0-9]+\"");
        awaitTold("SynclineSyncLagHigh", "resolved");
    }

    @Test
    @Order(3)
    void rejectedEventsAreAFailureSpikeAndGrowingDeadLettersUntilNoneFailsWithinTheWindow() {
        for (int i = 0; i < 3; i++) {
            Map<String, Object> noEmail = contact(id("rejected-" + i), Instant.now());
            noEmail.remove("email");
            DemoWebhook.accept(noEmail);
        }
        awaitTold("SynclineFailureSpike", "firing");
        awaitTold("SynclineDeadLettersGrowing", "firing");
        awaitTold("SynclineFailureSpike", "resolved");
        awaitTold("SynclineDeadLettersGrowing", "resolved");
    }

    @Test
    @Order(4)
    void aHeldRecordLeftPastTheMaxAgeIsOverdueUntilItIsDecided() {
        Map<String, Object> noLastName = contact(id("held"), Instant.now());
        noLastName.remove("lastName");
        assertThat(DemoWebhook.finalStatus(DemoWebhook.accept(noLastName))).isEqualTo("held");
        awaitTold("SynclineReviewItemsOverdue", "firing");
        for (Map<String, Object> item : TestDatabase.query("SELECT id FROM review_item WHERE status = 'open'")) {
            given().auth().preemptive().basic("admin", "test-only-password")
                    .when().post("/admin/review-items/" + item.get("id") + "/discard").then().statusCode(200);
        }
        awaitTold("SynclineReviewItemsOverdue", "resolved");
    }

    @Test
    @Order(5)
    void anEventThatWaitsWhileNoneIsAppliedIsAnInboxNotDrainingAndAnOldBacklogUntilItIsApplied() throws Exception {
        String id = id("stuck");
        // events other test classes left waiting may have aged past the bound before this class's first test removed them
        int oldBefore = slackMessages("SynclineInboxBacklogOld", "firing").size();
        int youngBefore = slackMessages("SynclineInboxBacklogOld", "resolved").size();
        long inboxId;
        // an event whose next attempt lies an hour away, as after a long retry delay: it waits, nothing is applied
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, payload, next_attempt_at)"
                        + " SELECT route_id, apply_endpoint, entity, source_system, ?, ?, now() + interval '1 hour'"
                        + " FROM inbox WHERE record_key LIKE 'alert-%' ORDER BY id DESC LIMIT 1",
                new String[]{"id"})) {
            insert.setString(1, id);
            insert.setString(2, new ObjectMapper().writeValueAsString(contact(id, Instant.now())));
            assertThat(insert.executeUpdate()).isEqualTo(1);
            try (var keys = insert.getGeneratedKeys()) {
                keys.next();
                inboxId = keys.getLong(1);
            }
        }
        awaitTold("SynclineInboxNotDraining", "firing");
        await().atMost(BOUND).until(() -> slackMessages("SynclineInboxBacklogOld", "firing").size() == oldBefore + 1);
        assertThat((String) slackMessages("SynclineInboxBacklogOld", "firing").get(oldBefore).get("text"))
                .contains("has waited", "longer than 6s", "docs/reference/alerts.md#synclineinboxbacklogold");
        // the backlog's age in the readiness details and on /q/metrics: older than the 6 s bound
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'syncline-inbox-backlog' }.data.backlog", is("degraded"))
                .body("checks.find { it.name == 'syncline-inbox-backlog' }.data.oldestWaitingSeconds", greaterThanOrEqualTo(6));
        assertThat(given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("(?m)^syncline_inbox_oldest_age_seconds ([6-9]|[1-9][0-9]+)\\.");
        update("UPDATE inbox SET next_attempt_at = now() WHERE id = ?", inboxId);
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        awaitTold("SynclineInboxNotDraining", "resolved");
        await().atMost(BOUND).until(() -> slackMessages("SynclineInboxBacklogOld", "resolved").size() == youngBefore + 1);
        await().atMost(BOUND).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'syncline-inbox-backlog' }.data.backlog", is("ok")));
    }

    @Test
    @Order(6)
    void aStateStoreCutOffIsUnreachableUntilItAnswersAgain() {
        store.partition();
        try {
            awaitTold("SynclineStateStoreUnreachable", "firing");
        } finally {
            store.heal();
        }
        awaitTold("SynclineStateStoreUnreachable", "resolved");
        await().atMost(BOUND).untilAsserted(() -> given().when().get("/q/health/ready").then().statusCode(200));
    }

    private static void update(String sql, long id) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }
}
