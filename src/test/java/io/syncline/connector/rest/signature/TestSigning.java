package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignedRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs test requests the way the providers describe it, written apart from the production
 * helper so that a mistake there cannot hide behind the same mistake here.
 */
final class TestSigning {

    private TestSigning() {
    }

    static byte[] hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String hmacHex(String secret, String payload) {
        return HexFormat.of().formatHex(hmac(secret, payload));
    }

    static String hmacBase64(String secret, String payload) {
        return Base64.getEncoder().encodeToString(hmac(secret, payload));
    }

    /** A POST with the given body and headers given as name, value, name, value, … */
    static SignedRequest post(String uri, String body, String... headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return new SignedRequest("POST", uri, map, body.getBytes(StandardCharsets.UTF_8));
    }
}
