package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Segment's Profile API, as Segment's reference page "Profile API" (segment-docs,
 * {@code src/unify/profile-api.md}) describes it, in the test JVM (JDK HttpServer on a free port);
 * Segment publishes no OpenAPI description of it. Every request is kept, for the test to check.
 * <ul>
 *   <li>Auth: HTTP Basic with the access token as the user and no password; anything else 401
 *   {@code {"error": {"code": "authentication_error", "message"}}}, the shape of every error.</li>
 *   <li>{@code GET /v1/spaces/{space_id}/collections/users/profiles/{external_id}/traits?limit=…}: the
 *   user's traits, {@code {"traits": {…}, "cursor": {"url", "has_more", "next", "limit"}}}, 10 by
 *   default and at most 200 ({@code limit} beyond: 400 {@code validation_error}); an external id is a
 *   type and a value ({@code user_id:019mr8mf4r}), else 400; a space or user the stub has not, 404.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code rate_limit_error} (Segment
 *   documents no {@code Retry-After}; it asks for an exponential backoff).</li>
 *   <li>The Webhooks destination: {@link #identify} writes an identify call as Segment posts it, and
 *   {@link #sign} its {@code X-Signature}: the hex HMAC-SHA1 of the body with the shared secret.</li>
 * </ul>
 */
public final class SegmentStub extends LoopbackStub {

    public static final String SPACES = "/v1/spaces/";
    private static final Pattern TRAITS = Pattern.compile(SPACES + "([^/]+)/collections/users/profiles/([^/]+)/traits");
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final String space;
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();

    private SegmentStub(String accessToken, String space) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((accessToken + ":").getBytes(StandardCharsets.UTF_8));
        this.space = space;
        serve(this::handle, SPACES);
    }

    /** A stub of the space {@code space} accepting the access token {@code accessToken}. */
    public static SegmentStub start(String accessToken, String space) {
        return new SegmentStub(accessToken, space);
    }

    /** The path of the traits of the user {@code userId}. */
    public String traitsPath(String userId) {
        return SPACES + space + "/collections/users/profiles/user_id:" + userId + "/traits";
    }

    /** The hex HMAC-SHA1 of {@code body} with {@code secret}: the Webhooks destination's {@code X-Signature}. */
    public static String sign(String secret, String body) {
        return hexHmac("HmacSHA1", secret, body);
    }

    /** A call as the Webhooks destination posts it: {@code {"version": 1, "type", "userId", "traits", "messageId", "timestamp"}}. */
    public static String call(String type, String userId, Map<String, Object> traits) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("version", 1);
        call.put("type", type);
        call.put("userId", userId);
        call.put(type.equals("identify") ? "traits" : "properties", traits);
        call.put("messageId", "ajs-" + UUID.randomUUID());
        call.put("timestamp", Instant.now().toString());
        try {
            return JSON.writeValueAsString(call);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An identify call of {@code userId} carrying {@code traits}. */
    public static String identify(String userId, Map<String, Object> traits) {
        return call("identify", userId, traits);
    }

    /** The traits the space has merged for the user {@code userId}, from now on. */
    public void putTraits(String userId, Map<String, Object> traits) {
        users.put(userId, new LinkedHashMap<>(traits));
    }

    /** Segment's error body: {@code {"error": {"code", "message"}}}. */
    public static Map<String, Object> error(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                StubHttp.sendJson(exchange, 401, error("authentication_error", "No valid Access Token provided."), Map.of());
                return;
            }
            if (ahead.answered(exchange, request.method(), request.path(),
                    error("rate_limit_error", "Too many requests hit the API too quickly."), Map::of)) {
                return;
            }
            Matcher traits = TRAITS.matcher(request.path());
            if (!traits.matches() || !request.method().equals("GET")) {
                StubHttp.sendJson(exchange, 404, error("invalid_request_error", "The requested resource doesn't exist."), Map.of());
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            int limit;
            try {
                limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : DEFAULT_LIMIT;
            } catch (NumberFormatException e) {
                limit = 0;
            }
            String externalId = URLDecoder.decode(traits.group(2), StandardCharsets.UTF_8);
            int colon = externalId.indexOf(':');
            if (limit < 1 || limit > MAX_LIMIT) {
                StubHttp.sendJson(exchange, 400, error("validation_error", "The parameter `limit` must be between 1 and "
                        + MAX_LIMIT), Map.of());
            } else if (colon <= 0) {
                StubHttp.sendJson(exchange, 400, error("validation_error", "The parameter `id` must be a type and a value: "
                        + externalId), Map.of());
            } else if (!traits.group(1).equals(space) || !externalId.startsWith("user_id:")
                    || !users.containsKey(externalId.substring(colon + 1))) {
                StubHttp.sendJson(exchange, 404, error("invalid_request_error", "The requested resource doesn't exist."), Map.of());
            } else {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("traits", users.get(externalId.substring(colon + 1)));
                answer.put("cursor", Map.of("url", baseUrl() + request.path(), "has_more", false, "next", "", "limit", limit));
                StubHttp.sendJson(exchange, 200, answer, Map.of());
            }
        }
    }
}
