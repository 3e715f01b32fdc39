package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Klaviyo's profiles, REST API revision 2026-07-15, as Klaviyo's published OpenAPI description
 * (github.com/klaviyo/openapi, {@code openapi/stable.json}) and its reference pages ("API overview",
 * "Rate limits, status codes, and errors", "Working with system webhooks") describe them, in the test
 * JVM (JDK HttpServer on a free port). Every request is kept, for a test to check against that
 * description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: {@code Authorization: Klaviyo-API-Key <private key>}; anything else 401 with JSON:API's
 *   error body {@code {"errors": [{"id", "status", "code": "not_authenticated", "title", "detail"}]}},
 *   the shape of every error. Answers are {@code application/vnd.api+json}.</li>
 *   <li>{@code GET /api/profiles?page[size]=…&page[cursor]=…}: profiles as resource objects
 *   ({@code {"type": "profile", "id", "attributes": {…}, "links"}}) in id order, {@code page[size]} 1 to
 *   100 (20 by default), else 400; {@code links.next} the next page's full URL with its
 *   {@code page[cursor]}, null on the last page; a cursor the stub did not give, 400.</li>
 *   <li>{@code POST /api/profiles} {@code {"data": {"type": "profile", "attributes": {…}}}}: 201 with the
 *   profile; none of {@code email}, {@code phone_number}, {@code external_id}: 400; one another profile
 *   has: 409 {@code duplicate_profile} with that profile's id in {@code meta.duplicate_profile_id}.</li>
 *   <li>{@code GET}, {@code PATCH /api/profiles/{id}}: the profile; a {@code PATCH} must name the same
 *   {@code data.id} (else 400) and changes only the attributes it sends; 404 {@code not_found} for an id
 *   the stub has not.</li>
 *   <li>{@code POST /api/data-privacy-deletion-jobs} naming a profile by id: 202, and the profile is
 *   gone (at once here; Klaviyo deletes it shortly after).</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code throttled} with {@code Retry-After}
 *   (seconds) and Klaviyo's {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 *   {@code RateLimit-Reset} headers.</li>
 *   <li>System webhooks: {@link #events} writes a delivery as Klaviyo posts it, and {@link #sign} its
 *   {@code Klaviyo-Signature}: the hex HMAC-SHA256 of the body followed by the {@code Klaviyo-Timestamp}
 *   header's value, keyed with the webhook's secret key.</li>
 * </ul>
 */
public final class KlaviyoStub extends LoopbackStub {

    public static final String PROFILES = "/api/profiles";
    public static final String DELETION_JOBS = "/api/data-privacy-deletion-jobs";
    public static final String MEDIA_TYPE = "application/vnd.api+json";
    private static final Pattern PROFILE = Pattern.compile(PROFILES + "/([0-9A-Z]+)");
    private static final Set<String> IDENTIFIERS = Set.of("email", "phone_number", "external_id");
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final Map<String, Map<String, Object>> profiles = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();

    private KlaviyoStub(String privateKey) {
        this.authorization = "Klaviyo-API-Key " + privateKey;
        serve(this::handle, "/api/");
    }

    /** A stub accepting the private API key {@code privateKey}. */
    public static KlaviyoStub start(String privateKey) {
        return new KlaviyoStub(privateKey);
    }

    /** The {@code Klaviyo-Timestamp} of a delivery sent now: an HTTP date. */
    public static String timestamp() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC));
    }

    /** The hex HMAC-SHA256 of {@code body} then {@code timestamp}, keyed with {@code secret}: Klaviyo's {@code Klaviyo-Signature}. */
    public static String sign(String secret, String body, String timestamp) {
        return hexHmac("HmacSHA256", secret, body, timestamp);
    }

    /**
     * A system webhook delivery of one {@code topic} event per profile, as Klaviyo posts it:
     * {@code {"data": [{"topic", "external_id", "payload": {"data": {"type": "event", "id", "attributes",
     * "relationships": {"profile": {"data": {"type": "profile", "id"}}, "metric": …}}}}], "meta":
     * {"klaviyo_account_id", "klaviyo_webhook_id", "timestamp"}}}.
     */
    public static String events(String topic, String... profileIds) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (String profile : profileIds) {
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 11);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", "event");
            event.put("id", id);
            event.put("attributes", Map.of("timestamp", Instant.now().getEpochSecond(), "datetime", Instant.now().toString(),
                    "uuid", UUID.randomUUID().toString(), "event_properties", Map.of()));
            event.put("relationships", Map.of("profile", Map.of("data", Map.of("type", "profile", "id", profile)),
                    "metric", Map.of("data", Map.of("type", "metric", "id", "SHi67A"))));
            data.add(Map.of("topic", topic, "external_id", id, "payload", Map.of("data", event)));
        }
        try {
            return JSON.writeValueAsString(Map.of("data", data, "meta", Map.of("klaviyo_account_id", "AbC123",
                    "klaviyo_webhook_id", "01KP4928STE8FKCWB6WDHZ4ZB7", "timestamp", Instant.now().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A profile Klaviyo has already, with these attributes; its id. */
    public String add(Map<String, Object> attributes) {
        String id = String.format("01J%023d", ids.incrementAndGet());
        String now = Instant.now().toString();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("email", null);
        profile.put("phone_number", null);
        profile.put("external_id", null);
        profile.put("first_name", null);
        profile.put("last_name", null);
        profile.putAll(attributes);
        profile.put("created", now);
        profile.put("updated", now);
        profiles.put(id, profile);
        return id;
    }

    /** The attributes of the profile {@code id}; null where there is none. */
    public Map<String, Object> profile(String id) {
        return profiles.get(id);
    }

    /** JSON:API's error body, as Klaviyo writes it: {@code {"errors": [{"id", "status", "code", "title", "detail", "source"}]}}. */
    public static Map<String, Object> error(int status, String code, String title, String detail) {
        return error(status, code, title, detail, null);
    }

    private static Map<String, Object> error(int status, String code, String title, String detail, Map<String, Object> meta) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("id", UUID.randomUUID().toString());
        error.put("status", status);
        error.put("code", code);
        error.put("title", title);
        error.put("detail", detail);
        error.put("source", Map.of("pointer", "/data/"));
        if (meta != null) {
            error.put("meta", meta);
        }
        return Map.of("errors", List.of(error));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, error(401, "not_authenticated", "Authentication credentials were not provided.",
                        "Missing or invalid private key."));
                return;
            }
            if (ahead.answered(exchange, method, path, error(429, "throttled", "Request was throttled.",
                    "Request was throttled. Expected available in 1 second."),
                    () -> Map.of("Retry-After", "1",
                            "RateLimit-Limit", "750", "RateLimit-Remaining", "0", "RateLimit-Reset", "1"))) {
                return;
            }
            Matcher one = PROFILE.matcher(path);
            if (path.equals(PROFILES) && method.equals("GET")) {
                list(exchange, StubHttp.form(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals(PROFILES) && method.equals("POST")) {
                create(exchange, data(request.body()));
            } else if (one.matches() && (method.equals("GET") || method.equals("PATCH"))) {
                Map<String, Object> profile = profiles.get(one.group(1));
                if (profile == null) {
                    send(exchange, 404, error(404, "not_found", "Not found.", "A profile with id " + one.group(1)
                            + " does not exist."));
                } else if (method.equals("PATCH")) {
                    update(exchange, one.group(1), profile, data(request.body()));
                } else {
                    send(exchange, 200, Map.of("data", resource(one.group(1), profile)));
                }
            } else if (path.equals(DELETION_JOBS) && method.equals("POST")) {
                Object id = io.syncline.mapping.FieldPaths.get(Objects.requireNonNullElse(data(request.body()), Map.of()),
                        "attributes.profile.data.id");
                if (id == null) {
                    send(exchange, 400, error(400, "invalid", "Invalid input.", "A profile identifier is required."));
                    return;
                }
                profiles.remove(id.toString());
                exchange.sendResponseHeaders(202, -1);
            } else {
                send(exchange, 404, error(404, "not_found", "Not found.", "Not found."));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        StubHttp.sendJson(exchange, status, body, Map.of("Content-Type", MEDIA_TYPE));
    }

    /** The resource object in a request's {@code {"data": {…}}}; null where the body has none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String body) throws IOException {
        Object data = body == null || body.isBlank() ? null : JSON.readValue(body, Map.class).get("data");
        return data instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
    }

    private Map<String, Object> resource(String id, Map<String, Object> attributes) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", "profile");
        resource.put("id", id);
        resource.put("attributes", attributes);
        resource.put("links", Map.of("self", baseUrl() + PROFILES + "/" + id + "/"));
        return resource;
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int size;
        try {
            size = query.containsKey("page[size]") ? Integer.parseInt(query.get("page[size]")) : DEFAULT_PAGE;
        } catch (NumberFormatException e) {
            size = 0;
        }
        if (size < 1 || size > MAX_PAGE) {
            send(exchange, 400, error(400, "invalid", "Invalid input.", "page[size] must be between 1 and " + MAX_PAGE + "."));
            return;
        }
        String after = "";
        if (query.containsKey("page[cursor]")) {
            String cursor = new String(Base64.getUrlDecoder().decode(query.get("page[cursor]")), StandardCharsets.UTF_8);
            if (!cursor.startsWith("after:")) {
                send(exchange, 400, error(400, "invalid", "Invalid input.", "Invalid page cursor."));
                return;
            }
            after = cursor.substring("after:".length());
        }
        List<Map<String, Object>> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (Map.Entry<String, Map<String, Object>> profile : profiles.entrySet()) {
            if (profile.getKey().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == size) {
                more = true;
                break;
            }
            page.add(resource(profile.getKey(), profile.getValue()));
            last = profile.getKey();
        }
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", baseUrl() + PROFILES);
        links.put("next", more ? baseUrl() + PROFILES + "?page%5Bsize%5D=" + size + "&page%5Bcursor%5D="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + last).getBytes(StandardCharsets.UTF_8)) : null);
        links.put("prev", null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", page);
        answer.put("links", links);
        send(exchange, 200, answer);
    }

    @SuppressWarnings("unchecked")
    private synchronized void create(HttpExchange exchange, Map<String, Object> data) throws IOException {
        if (data == null || !"profile".equals(data.get("type")) || !(data.get("attributes") instanceof Map<?, ?>)) {
            send(exchange, 400, error(400, "invalid", "Invalid input.", "A profile resource object is required."));
            return;
        }
        Map<String, Object> attributes = (Map<String, Object>) data.get("attributes");
        if (IDENTIFIERS.stream().noneMatch(field -> attributes.get(field) != null)) {
            send(exchange, 400, error(400, "invalid", "Invalid input.",
                    "One of email, phone_number, or external_id is required to identify a profile."));
            return;
        }
        String duplicate = duplicateOf(null, attributes);
        if (duplicate != null) {
            send(exchange, 409, error(409, "duplicate_profile", "Conflict.", "A profile already exists with one of these identifiers.",
                    Map.of("duplicate_profile_id", duplicate)));
            return;
        }
        String id = add(attributes);
        send(exchange, 201, Map.of("data", resource(id, profiles.get(id))));
    }

    @SuppressWarnings("unchecked")
    private synchronized void update(HttpExchange exchange, String id, Map<String, Object> profile, Map<String, Object> data)
            throws IOException {
        if (data == null || !"profile".equals(data.get("type")) || !id.equals(data.get("id"))) {
            send(exchange, 400, error(400, "invalid", "Invalid input.", "The resource object's id must be the profile's: " + id));
            return;
        }
        Map<String, Object> attributes = data.get("attributes") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        String duplicate = duplicateOf(id, attributes);
        if (duplicate != null) {
            send(exchange, 409, error(409, "duplicate_profile", "Conflict.", "A profile already exists with one of these identifiers.",
                    Map.of("duplicate_profile_id", duplicate)));
            return;
        }
        profile.putAll(attributes);
        profile.put("updated", Instant.now().toString());
        send(exchange, 200, Map.of("data", resource(id, profile)));
    }

    /** Another profile than {@code self} with one of the identifiers {@code attributes} gives; null where none. */
    private String duplicateOf(String self, Map<String, Object> attributes) {
        for (Map.Entry<String, Map<String, Object>> other : profiles.entrySet()) {
            if (other.getKey().equals(self)) {
                continue;
            }
            for (String field : IDENTIFIERS) {
                Object value = attributes.get(field);
                if (value != null && value.equals(other.getValue().get(field))) {
                    return other.getKey();
                }
            }
        }
        return null;
    }
}
