package io.syncline.webhook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.StoreTablesProfile;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * A webhook whose source system declares Stripe signatures in the model: signed requests are
 * applied; missing, wrong and expired signatures get 401 with a JSON reason and write nothing.
 * The model is src/test/resources/signed-routes, on {@link StoreTablesProfile}.
 */
@QuarkusTest
@TestProfile(StoreTablesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class SignedWebhookTest {

    static final String SECRET = StoreTablesProfile.SHOP_WEBHOOK_SECRET;
    static final String WEBHOOK = "/webhooks/shop/contacts";

    static String stripeSignature(String secret, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    }

    private static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"name\":\"Signed\"}";
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static boolean written(String id) {
        return !TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id).isEmpty();
    }

    @Test
    void correctlySignedEventIsApplied() throws Exception {
        String id = "s-" + UUID.randomUUID();
        String body = contact(id);
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature(SECRET, now(), body)).body(body)
                .when().post(WEBHOOK)
                .then().statusCode(202)
                .body("status", equalTo("accepted"));
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
    }

    @Test
    void missingSignatureIs401() {
        String id = "s-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(contact(id))
                .when().post(WEBHOOK)
                .then().statusCode(401)
                .contentType(ContentType.JSON)
                .body("error", equalTo("invalid_signature"))
                .body("message", containsString("Stripe-Signature"));
        assertThat(written(id)).isFalse();
    }

    @Test
    void wrongSecretAndTamperedBodyAre401WithoutLeakingTheSecret() throws Exception {
        String id = "s-" + UUID.randomUUID();
        String body = contact(id);
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature("whsec_wrong", now(), body)).body(body)
                .when().post(WEBHOOK)
                .then().statusCode(401)
                .body("message", not(containsString(SECRET)));
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature(SECRET, now(), body))
                .body(body.replace("Signed", "Tampered"))
                .when().post(WEBHOOK)
                .then().statusCode(401);
        assertThat(written(id)).isFalse();
    }

    @Test
    void signatureOlderThanTheToleranceIs401() throws Exception {
        String id = "s-" + UUID.randomUUID();
        String body = contact(id);
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature(SECRET, now() - 301, body)).body(body)
                .when().post(WEBHOOK)
                .then().statusCode(401)
                .body("message", containsString("tolerance"));
        assertThat(written(id)).isFalse();
    }

    /**
     * {@code silentAfter: {shop: 10s}}: the shop is silent once it has sent nothing for 10 s, though
     * it posts requests that are refused for their signature (no event came), and no longer once
     * an event is accepted.
     */
    @Test
    void aShopThatStopsSendingIsSilentUntilAnEventIsAcceptedAgain() throws Exception {
        String body = contact("s-" + UUID.randomUUID());
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature(SECRET, now(), body)).body(body)
                .when().post(WEBHOOK).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> shopSilent() == 0.0);

        await().atMost(Duration.ofSeconds(30)).until(() -> shopSilent() == 1.0);
        assertThat(metric("syncline_source_silence_seconds")).isGreaterThan(10.0);
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature("whsec_wrong", now(), body)).body(body)
                .when().post(WEBHOOK).then().statusCode(401);
        // a background reading comes every 5 s: the refused request moved nothing (a reading the store
        // could not answer shows NaN, which is no sign of life either)
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> shopSilent() != 0.0);

        String again = contact("s-" + UUID.randomUUID());
        given().contentType(ContentType.JSON).header("Stripe-Signature", stripeSignature(SECRET, now(), again)).body(again)
                .when().post(WEBHOOK).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> shopSilent() == 0.0);
        assertThat(metric("syncline_source_silence_seconds")).isLessThan(10.0);
    }

    private static double shopSilent() {
        return metric("syncline_source_silent");
    }

    /** The shop's webhook series {@code name} on /q/metrics, NaN where it is not shown. */
    private static double metric(String name) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + name + "\\{entity=\"shopper\",kind=\"webhook\",system=\"shop\"} (\\S+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }
}
