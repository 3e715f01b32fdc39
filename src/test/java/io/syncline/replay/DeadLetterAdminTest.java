package io.syncline.replay;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.DemoTarget;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The dead-letter admin API: credentials, list, show, replay (idempotent), discard. */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class DeadLetterAdminTest {

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @AfterEach
    void targetBack() throws SQLException {
        DemoTarget.bringBack();
    }

    private static long deadLetterOf(long inboxId) {
        return ((Number) TestDatabase.awaitRows("SELECT id FROM dead_letter WHERE inbox_id = ?", inboxId).get(0).get("id")).longValue();
    }

    @Test
    void withoutOrWithWrongCredentialsTheApiAnswers401() {
        given().when().get("/admin/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic("admin", "guess").when().get("/admin/dead-letters").then().statusCode(401);
    }

    @Test
    void deadLetterOfAnOutageIsListedShownAndReplayedOnceTheTargetIsBack() throws SQLException {
        String id = "c-" + UUID.randomUUID();
        DemoTarget.takeDown();
        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Replayed"));
        long deadLetterId = deadLetterOf(inboxId);
        DemoTarget.bringBack();

        // Named for the apply route whose write failed, not the webhook route that accepted the event.
        admin().when().get("/admin/dead-letters?status=new&route=contact-crm-to-billing")
                .then().statusCode(200)
                .body("id", hasItem((int) deadLetterId));
        admin().when().get("/admin/dead-letters/" + deadLetterId)
                .then().statusCode(200)
                .body("routeId", equalTo("contact-crm-to-billing"))
                .body("status", equalTo("new"))
                .body("attempts", equalTo(4))
                .body("payload", containsString(id));

        int replayInbox = admin().when().post("/admin/dead-letters/" + deadLetterId + "/replay")
                .then().statusCode(200)
                .body("alreadyReplayed", equalTo(false))
                .extract().path("inboxId");
        assertThat(DemoWebhook.finalStatus(replayInbox)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("last_name", "Replayed"));

        admin().when().post("/admin/dead-letters/" + deadLetterId + "/replay")
                .then().statusCode(200)
                .body("alreadyReplayed", equalTo(true))
                .body("inboxId", equalTo(replayInbox));
        assertThat(TestDatabase.query("SELECT COUNT(*) AS events FROM inbox WHERE record_key = ?", id))
                .containsExactly(Map.of("events", 2L));
        assertThat(TestDatabase.query("SELECT status FROM dead_letter WHERE id = ?", deadLetterId))
                .containsExactly(Map.of("status", "replayed"));
    }

    @Test
    void discardedDeadLetterCannotBeReplayed() {
        String id = "c-" + UUID.randomUUID();
        long deadLetterId = deadLetterOf(DemoWebhook.accept("{\"id\":\"" + id + "\",\"phone\":\"12ab\"}"));

        admin().when().post("/admin/dead-letters/" + deadLetterId + "/discard")
                .then().statusCode(200)
                .body("status", equalTo("discarded"));
        admin().when().post("/admin/dead-letters/" + deadLetterId + "/replay")
                .then().statusCode(409)
                .body("error", equalTo("conflict"));
        assertThat(TestDatabase.query("SELECT COUNT(*) AS events FROM inbox WHERE record_key = ?", id))
                .containsExactly(Map.of("events", 1L));
    }

    @Test
    void discardKeepsWhoDiscardedItAndWhyAndADiscardAgainChangesNeither() {
        String id = "c-" + UUID.randomUUID();
        long deadLetterId = deadLetterOf(DemoWebhook.accept("{\"id\":\"" + id + "\",\"phone\":\"12ab\"}"));

        admin().body("{\"reason\": \"test data\"}").when().post("/admin/dead-letters/" + deadLetterId + "/discard")
                .then().statusCode(200).body("status", equalTo("discarded"));
        admin().body("{\"reason\": \"another\"}").when().post("/admin/dead-letters/" + deadLetterId + "/discard")
                .then().statusCode(200);
        admin().body("{\"reason\": ").when().post("/admin/dead-letters/" + deadLetterId + "/discard").then().statusCode(400);

        admin().when().get("/admin/dead-letters/" + deadLetterId).then().statusCode(200)
                .body("handledBy", equalTo("admin"))
                .body("discardReason", equalTo("test data"));
        assertThat(TestDatabase.query("SELECT handled_by, discard_reason FROM dead_letter WHERE id = ?", deadLetterId))
                .containsExactly(Map.of("handled_by", "admin", "discard_reason", "test data"));
    }

    @Test
    void unknownDeadLetterIs404() {
        admin().when().get("/admin/dead-letters/999999999").then().statusCode(404).body("error", equalTo("not_found"));
        admin().when().post("/admin/dead-letters/999999999/replay").then().statusCode(404);
    }
}
