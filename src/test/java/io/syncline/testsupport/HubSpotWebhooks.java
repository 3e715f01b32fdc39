package io.syncline.testsupport;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        return post("http://localhost:" + RestAssured.port + path, path, body, secret, Map.of());
    }

    /**
     * Posts {@code body} as HubSpot sends it to {@code https://<host><path>} through a TLS-terminating
     * ingress-nginx controller: signed over that https URL, arriving at the application over http
     * with the controller's {@code X-Forwarded-*} headers.
     */
    public static Response postThroughIngress(String host, String path, String body, String secret) throws Exception {
        return post("https://" + host + path, path, body, secret, forwarded(host));
    }

    /** The headers ingress-nginx adds to a request it received over TLS for {@code host}. */
    public static Map<String, String> forwarded(String host) {
        return Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", host, "X-Forwarded-Port", "443",
                "X-Forwarded-Scheme", "https", "X-Forwarded-For", "203.0.113.7", "X-Real-IP", "203.0.113.7");
    }

    /** Posts {@code body} to {@code path}, signed as HubSpot signs a call of {@code url}, with {@code headers}. */
    public static Response post(String url, String path, String body, String secret, Map<String, String> headers)
            throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(("POST" + url + body + timestamp)
                .getBytes(StandardCharsets.UTF_8)));
        return given().contentType(ContentType.JSON).headers(headers).header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", timestamp).body(body).when().post(path);
    }

    /** One thin {@code contact.creation} event of contact {@code objectId}, as HubSpot sends it in its array. */
    public static String creation(long eventId, String objectId) {
        return "{\"eventId\":" + eventId + ",\"subscriptionId\":234566,\"portalId\":12345678,\"appId\":987654,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"contact.creation\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"changeFlag\":\"NEW\",\"changeSource\":\"CRM_UI\"}";
    }

    /** One thin {@code contact.propertyChange} event of contact {@code objectId}, as HubSpot sends it in its array. */
    public static String propertyChange(long eventId, String objectId, String property, String value) {
        return "{\"eventId\":" + eventId + ",\"subscriptionId\":234567,\"portalId\":12345678,\"appId\":987654,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"contact.propertyChange\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"propertyName\":\"" + property + "\",\"propertyValue\":\""
                + value + "\",\"changeSource\":\"CRM_UI\"}";
    }
}
