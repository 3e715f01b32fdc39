package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Accepting comes before applying, on the running service: four workers, but while webhooks
 * arrive faster than one a second only one event is applied at a time. The contacts of a burst
 * are all applied, and billing's log of their writes ({@link WebhookBurst}) shows no two of them
 * at the same time, while {@code /q/metrics} reports one apply slot (four once the burst is over);
 * {@link IntakePriorityOffFlowTest} is the same burst with the priority off, where they do overlap.
 */
@QuarkusTest
@TestProfile(IntakePriorityFlowTest.OneSlotUnderLoad.class)
@WithTestResource(PostgresDatabaseResource.class)
class IntakePriorityFlowTest {

    static final int CONTACTS = 12;

    public static class OneSlotUnderLoad implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.workers", "4", "syncline.inbox.intake-priority.rate", "1",
                    "syncline.inbox.intake-priority.workers", "1");
        }
    }

    @Inject
    IntakePriority intake;

    @Test
    void duringABurstEventsAreAppliedOneAtATime() throws Exception {
        try (WebhookBurst burst = WebhookBurst.start(intake)) {
            // the burst begins once the rate has been above 1/s for three windows in a row
            await().until(() -> intake.applySlots() == 1);

            burst.postAndAwaitApplied(CONTACTS);

            assertThat(burst.writes()).as("billing's writes of the burst's contacts").isEqualTo(CONTACTS);
            given().when().get("/q/metrics").then().statusCode(200).body(containsString("syncline_inbox_apply_slots 1.0"));
            assertThat(burst.overlappingWrites()).as("writes that ran at the same time").isZero();
        }
        // Once the burst is over, every worker applies again.
        await().untilAsserted(() -> given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("syncline_inbox_apply_slots 4.0")));
    }
}
