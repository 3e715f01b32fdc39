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
 * The control of {@link IntakePriorityFlowTest}: the same burst with the intake priority off
 * (rate 0) keeps all four workers applying, and billing's writes overlap. Without it, no overlap
 * there could also mean that the burst never put two events in the workers' way.
 */
@QuarkusTest
@TestProfile(IntakePriorityOffFlowTest.PriorityOff.class)
@WithTestResource(PostgresDatabaseResource.class)
class IntakePriorityOffFlowTest {

    public static class PriorityOff implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.workers", "4", "syncline.inbox.intake-priority.rate", "0",
                    "syncline.inbox.intake-priority.in-progress", "0",
                    "syncline.inbox.intake-priority.workers", "1");
        }
    }

    @Inject
    IntakePriority intake;

    @Test
    void withThePriorityOffTheSameBurstIsAppliedSideBySide() throws Exception {
        try (WebhookBurst burst = WebhookBurst.start(intake)) {
            await().until(() -> intake.rate() > 1);

            burst.postAndAwaitApplied(IntakePriorityFlowTest.CONTACTS);

            assertThat(burst.writes()).as("billing's writes of the burst's contacts").isEqualTo(IntakePriorityFlowTest.CONTACTS);
            given().when().get("/q/metrics").then().statusCode(200).body(containsString("syncline_inbox_apply_slots 4.0"));
            assertThat(burst.overlappingWrites()).as("writes that ran at the same time").isPositive();
        }
    }
}
