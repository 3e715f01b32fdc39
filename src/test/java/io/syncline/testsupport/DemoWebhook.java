package io.syncline.testsupport;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The Quickstart's CRM webhook, as tests post to it, and the inbox behind it. */
public final class DemoWebhook {

    public static final String PATH = "/webhooks/demo/contacts";

    private DemoWebhook() {
    }

    /**
     * Posts a contact (a Map or a JSON string) and returns its inbox id, checking the 202 answer.
     * With the inbox in Kafka the answer names the event id instead (the event is in the topic,
     * not yet in the inbox table): the inbox id is then the row the consumer writes for it.
     */
    public static long accept(Object contact) {
        ExtractableResponse<Response> answer = given().contentType(ContentType.JSON).body(contact)
                .when().post(PATH)
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("status", equalTo("accepted"))
                .extract();
        Integer inboxId = answer.path("inboxId");
        if (inboxId != null) {
            return inboxId.longValue();
        }
        String eventId = answer.path("eventId");
        assertThat(eventId).as("the answer's inboxId, or with the inbox in Kafka its eventId").isNotNull();
        return ((Number) TestDatabase.awaitRows("SELECT id FROM inbox WHERE event_id = ?", eventId).get(0).get("id"))
                .longValue();
    }

    /**
     * Posts a contact as a sender that gives event ids does ({@code X-Event-Id}, none when null)
     * and returns the answer's status: {@code accepted}, or {@code duplicate} for a redelivery.
     */
    public static String deliver(Object contact, String eventId) {
        var request = given().contentType(ContentType.JSON).body(contact);
        if (eventId != null) {
            request = request.header("X-Event-Id", eventId);
        }
        return request.when().post(PATH).then().statusCode(202).extract().path("status");
    }

    /** Waits until no event of a record whose id starts with {@code prefix} is unfinished in the inbox. */
    public static void awaitDrained(String prefix) {
        // with the inbox in Kafka, an event is in the inbox table once the topic's consumer took it
        KafkaInboxResource.awaitConsumed();
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key LIKE ?"
                + " HAVING count(*) FILTER (WHERE status IN ('pending', 'processing')) = 0", prefix + "%");
    }

    /** The inbox event's final status (done, held or dead), once processing has reached one. */
    public static String finalStatus(long inboxId) {
        return (String) TestDatabase.awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')",
                inboxId).get(0).get("status");
    }
}
