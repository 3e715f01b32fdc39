package io.syncline.webhook.signature;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a verifier sees of a request.
 *
 * @param method  HTTP method as received (HubSpot v3 signs it)
 * @param uri     the full URL as the sender called it, scheme and query included (HubSpot v3 signs
 *                it): behind a TLS-terminating proxy, as the proxy's trusted X-Forwarded-* headers
 *                tell it (quarkus.http.proxy.*, set by the shipped Deployment); else the pod's own
 *                http URL, which a signature over the public https URL does not match
 * @param headers request headers; looked up case-insensitively whatever map is passed in
 * @param body    the raw body bytes exactly as received, never a re-serialised object
 */
public record SignedRequest(String method, String uri, Map<String, String> headers, byte[] body) {

    public SignedRequest {
        // HTTP header names are case-insensitive (RFC 9110), and senders and proxies disagree on case.
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    byName.put(name, value);
                }
            });
        }
        headers = Collections.unmodifiableMap(byName);
        body = body == null ? new byte[0] : body;
    }

    /** The header's value without surrounding whitespace; empty when absent or blank. */
    public Optional<String> header(String name) {
        String value = headers.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
