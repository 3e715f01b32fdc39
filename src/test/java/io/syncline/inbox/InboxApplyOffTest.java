package io.syncline.inbox;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code syncline.inbox.apply=false}: the replica accepts webhooks into the inbox and applies
 * nothing (its dispatcher never starts), and says it is ready.
 */
@QuarkusTest
@TestProfile(IntakeOnlyProfile.class)
class InboxApplyOffTest {

    private static final String DATABASE = IntakeOnlyProfile.DATABASE_URL;

    @Inject
    CamelContext camel;

    @Test
    void anIntakeOnlyReplicaStoresEventsAndAppliesNone() {
        String id = "c-" + UUID.randomUUID();
        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Intake"));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> "pending".equals(TestDatabase.queryOn(DATABASE, "SELECT status FROM inbox WHERE id = ?", inboxId)
                        .get(0).get("status")));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
        assertThat(camel.getRouteController().getRouteStatus("inbox-dispatcher").isStarted()).isFalse();
        given().get("/q/health/ready").then().statusCode(200);
        // gone, so that a dispatcher started later on this database (InboxBurstDrainTest's) finds only its own events
        TestDatabase.updateOn(DATABASE, "DELETE FROM inbox WHERE id = ?", inboxId);
    }
}
