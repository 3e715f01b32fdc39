package io.syncline.testsupport;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.restassured.RestAssured.given;

/** Webhook requests as HubSpot sends them to the application under test. */
public final class HubSpotWebhooks {

    private HubSpotWebhooks() {
    }

    /**
     * Posts {@code body} to {@code path} signed with HubSpot's v3 signature: base64 HMAC-SHA256 of
     * method + URL + body + timestamp, with the app's client secret.
     */
    public static Response post(String path, String body, String secret) throws Exception {
        String url = "http://localhost:" + RestAssured.port + path;
        String timestamp = Long.toString(System.currentTimeMillis());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(("POST" + url + body + timestamp)
                .getBytes(StandardCharsets.UTF_8)));
        return given().contentType(ContentType.JSON).header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", timestamp).body(body).when().post(path);
    }

    /** One thin {@code contact.propertyChange} event of contact {@code objectId}, as HubSpot sends it in its array. */
    public static String propertyChange(long eventId, String objectId, String property, String value) {
        return "{\"eventId\":" + eventId + ",\"subscriptionId\":234567,\"portalId\":12345678,\"appId\":987654,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"contact.propertyChange\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"propertyName\":\"" + property + "\",\"propertyValue\":\""
                + value + "\",\"changeSource\":\"CRM_UI\"}";
    }
}
