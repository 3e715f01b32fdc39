package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.ModelAloneProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * An event accepted while the inbox is empty is claimed when it arrives, not at the next poll:
 * with a poll interval of ten minutes ({@link ModelAloneProfile}), events still apply within
 * seconds, one after another.
 */
@QuarkusTest
@TestProfile(ModelAloneProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class InboxWakeUpTest {

    @Test
    void eventsArrivingWhileTheDispatcherWaitsAreAppliedWithoutWaitingForThePoll() {
        for (int i = 0; i < 3; i++) {
            String id = "wake-" + UUID.randomUUID();
            long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Prompt"));
            await().atMost(Duration.ofSeconds(15)).until(() -> "done".equals(
                    TestDatabase.query("SELECT status FROM inbox WHERE id = ?", inboxId).get(0).get("status")));
        }
    }
}
