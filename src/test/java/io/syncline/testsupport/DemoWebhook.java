package io.syncline.testsupport;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The Quickstart's CRM webhook, as tests post to it, and the inbox behind it. */
public final class DemoWebhook {

    public static final String PATH = "/webhooks/demo/contacts";

    private DemoWebhook() {
    }

    /** Posts a contact (a Map or a JSON string) and returns its inbox id, checking the 202 answer. */
    public static long accept(Object contact) {
        Integer inboxId = given().contentType(ContentType.JSON).body(contact)
                .when().post(PATH)
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                .body("status", equalTo("accepted"))
                .body("inboxId", notNullValue())
                .extract().path("inboxId");
        return inboxId.longValue();
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
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key LIKE ?"
                + " HAVING count(*) FILTER (WHERE status IN ('pending', 'processing')) = 0", prefix + "%");
    }

    /** The inbox event's final status (done, held or dead), once processing has reached one. */
    public static String finalStatus(long inboxId) {
        return (String) TestDatabase.awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')",
                inboxId).get(0).get("status");
    }
}
