package io.syncline.webhook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The webhook's classes of hostile input: each is a 4xx with a JSON body naming the field and
 * the limit, and nothing is stored.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class HostileWebhookInputTest {

    static final String WEBHOOK = "/webhooks/demo/contacts";

    private static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"lastName\":\"Hostile\"}";
    }

    private static String newId() {
        return "c-" + UUID.randomUUID();
    }

    private static void assertNotStored(String recordKey) {
        assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE record_key = ?", recordKey)).isEmpty();
    }

    // 1. Values longer than their columns

    @Test
    void aRecordIdLongerThanItsColumnIs400NamingTheFieldAndTheLimit() {
        String id = "c-" + "x".repeat(199);
        given().contentType(ContentType.JSON).body(contact(id))
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", equalTo("value_too_long"))
                .body("field", equalTo("id"))
                .body("message", containsString("at most 200"));
        assertNotStored(id);
    }

    @Test
    void aRecordIdOfTheColumnsWidthIsAcceptedWhole() {
        String id = "c-" + "y".repeat(162) + UUID.randomUUID();
        assertThat(id).hasSize(200);
        given().contentType(ContentType.JSON).body(contact(id)).when().post(WEBHOOK).then().statusCode(202);
        assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE record_key = ?", id)).hasSize(1);
    }

    @Test
    void anEventIdLongerThanItsColumnIs400NamingTheHeader() {
        String id = newId();
        given().contentType(ContentType.JSON).header("X-Event-Id", "e".repeat(201)).body(contact(id))
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("value_too_long"))
                .body("field", equalTo("X-Event-Id"));
        assertNotStored(id);
    }

    @Test
    void aFourHundredDigitNumberIs400NamingTheFieldAndTheLimit() {
        given().contentType(ContentType.JSON).body("{\"id\":" + "9".repeat(400) + ",\"email\":\"n@example.com\"}")
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("limit_exceeded"))
                .body("field", equalTo("id"))
                .body("message", containsString("at most 64"));
    }

    // 2. Text PostgreSQL cannot store

    @Test
    void aNulCharacterInAValueIs400NamingTheField() {
        String id = newId();
        given().contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"email\":\"n@example.com\",\"address\":{\"city\":\"Le\\u0000eds\"}}")
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_text"))
                .body("field", equalTo("address.city"))
                .body("message", containsString("U+0000"));
        assertNotStored(id);
    }

    @Test
    void aBodyInUtf16Is400() {
        String id = newId();
        given().contentType("application/json").body(contact(id).getBytes(Charset.forName("UTF-16")))
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_encoding"));
        assertNotStored(id);
    }

    @Test
    void aBodyWithInvalidUtf8Is400() {
        String id = newId();
        byte[] body = contact(id).replace("Hostile", "Host\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        given().contentType("application/json").body(body)
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_encoding"));
        assertNotStored(id);
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() {
        String id = newId();
        byte[] text = contact(id).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[text.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(text, 0, body, 3, text.length);
        given().contentType("application/json").body(body).when().post(WEBHOOK).then().statusCode(202);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
    }

    // 5. Not one JSON value

    @Test
    void twoConcatenatedObjectsAre400MalformedJson() {
        String first = newId();
        String second = newId();
        given().contentType(ContentType.JSON).body(contact(first) + contact(second))
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"))
                .body("message", containsString("one JSON value"));
        assertNotStored(first);
        assertNotStored(second);
    }

    @Test
    void anObjectFollowedByTrailingTextIs400MalformedJson() {
        String id = newId();
        given().contentType(ContentType.JSON).body(contact(id) + " and more")
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"));
        assertNotStored(id);
    }

    @Test
    void aFieldGivenTwiceIs400MalformedJson() {
        given().contentType(ContentType.JSON).body("{\"id\":\"c-a\",\"id\":\"c-b\",\"email\":\"d@example.com\"}")
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"))
                .body("message", containsString("Duplicate field 'id'"));
    }

    // 6. A record id that is an object or an array

    @Test
    void aRecordIdThatIsAnObjectOrAnArrayIs400NamingTheField() {
        for (String id : new String[]{"{\"a\":1}", "[\"c-1\"]", "true", "1.5"}) {
            given().contentType(ContentType.JSON).body("{\"id\":" + id + ",\"email\":\"t@example.com\"}")
                    .when().post(WEBHOOK)
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("error", equalTo("invalid_type"))
                    .body("field", equalTo("id"));
        }
    }

    @Test
    void deepNestingIs400NamingTheLimit() {
        given().contentType(ContentType.JSON).body("{\"id\":\"c-deep\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}")
                .when().post(WEBHOOK)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("limit_exceeded"))
                .body("message", containsString("32 levels"));
    }
}
