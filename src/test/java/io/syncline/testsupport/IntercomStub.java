package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Intercom's contacts, API version 2.11, as Intercom's published OpenAPI description
 * (github.com/intercom/Intercom-OpenAPI, {@code descriptions/2.11/api.intercom.io.yaml}) and its
 * reference pages describe them, in the test JVM (JDK HttpServer on a free port). Every request is
 * kept, for a test to check against that description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: an access token as a bearer token; anything else 401 {@code {"type": "error.list",
 *   "request_id", "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}}.</li>
 *   <li>{@code GET /contacts?per_page=…&starting_after=…}: {@code {"type": "list", "data": […],
 *   "total_count", "pages": {"type": "pages", "page", "per_page", "total_pages", "next": {"page",
 *   "starting_after"}}}}, no {@code next} on the last page; {@code per_page} at most 150, else 400
 *   {@code parameter_invalid}.</li>
 *   <li>{@code POST /contacts} (the contact itself, no envelope): 200 with the contact
 *   ({@code "type": "contact"}, its {@code id}, {@code role} {@code user} unless sent, Unix-second
 *   {@code created_at} and {@code updated_at}); an e-mail belongs to one contact of a role, else 409
 *   {@code conflict} "A contact matching those details already exists with id=…".</li>
 *   <li>{@code GET}, {@code PUT} and {@code DELETE /contacts/{contact_id}}: the contact; an update
 *   changes only what it sends; a delete answers {@code {"id", "external_id", "type": "contact",
 *   "deleted": true}}; 404 {@code not_found} "User Not Found" for an id it has not.</li>
 *   <li>{@code POST /contacts/search} {@code {"query": {"field", "operator", "value"}, "pagination":
 *   {"per_page"}}}: the contacts whose field equals the value ({@code =}, e-mails regardless of case),
 *   as a list; {@code per_page} at most 150.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code rate_limit_exceeded} with
 *   {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset} (Unix
 *   seconds, three seconds on: longer than the test profile's retries), and no {@code Retry-After},
 *   as Intercom answers.</li>
 *   <li>Webhooks: {@link #notification} writes a notification as Intercom sends it, and
 *   {@link #sign} its {@code X-Hub-Signature}: {@code sha1=} and the hex HMAC-SHA1 of the body with
 *   the app's client secret.</li>
 * </ul>
 */
public final class IntercomStub extends LoopbackStub {

    public static final String CONTACTS = "/contacts";
    public static final String SEARCH = CONTACTS + "/search";
    private static final int MAX_PAGE = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final Map<String, Map<String, Object>> contacts = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(0x66_7d_60_b0_8a_68L << 16);

    private IntercomStub(String token) {
        this.authorization = "Bearer " + token;
        serve(this::handle, CONTACTS);
    }

    /** A stub accepting the access token {@code token}. */
    public static IntercomStub start(String token) {
        return new IntercomStub(token);
    }

    /** {@code sha1=} and the hex HMAC-SHA1 of {@code body} with {@code secret}: Intercom's {@code X-Hub-Signature}. */
    public static String sign(String secret, String body) {
        return "sha1=" + hexHmac("HmacSHA1", secret, body);
    }

    /**
     * A notification of {@code topic} ({@code contact.user.created}) about {@code contact}, as Intercom
     * posts it to an app's webhook URL: {@code {"type": "notification_event", "app_id", "data":
     * {"type": "notification_event_data", "item": {the contact}}, "links": {}, "id": "notif_…", "topic",
     * "delivery_status": "pending", "delivery_attempts": 1, "delivered_at": 0, "first_sent_at",
     * "created_at", "self": null}}.
     */
    public static String notification(String topic, Map<String, Object> contact) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "contact");
        item.putAll(contact);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "notification_event");
        event.put("app_id", "abc123de");
        event.put("data", Map.of("type", "notification_event_data", "item", item));
        event.put("links", Map.of());
        event.put("id", "notif_" + UUID.randomUUID());
        event.put("topic", topic);
        event.put("delivery_status", "pending");
        event.put("delivery_attempts", 1);
        event.put("delivered_at", 0);
        event.put("first_sent_at", now);
        event.put("created_at", now);
        event.put("self", null);
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A contact Intercom has already; its id. */
    public String add(Map<String, Object> fields) {
        String id = Long.toHexString(ids.incrementAndGet());
        long now = Instant.now().getEpochSecond();
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("type", "contact");
        contact.put("id", id);
        contact.put("workspace_id", "ecahpwf5");
        contact.put("external_id", null);
        contact.put("role", "user");
        contact.put("email", null);
        contact.put("phone", null);
        contact.put("name", null);
        contact.putAll(fields);
        contact.put("created_at", now);
        contact.put("updated_at", now);
        contacts.put(id, contact);
        return id;
    }

    public Map<String, Object> contact(String id) {
        return contacts.get(id);
    }

    /** The ids of the contacts with this e-mail. */
    public List<String> withEmail(String email) {
        return contacts.values().stream().filter(contact -> email.equalsIgnoreCase(String.valueOf(contact.get("email"))))
                .map(contact -> String.valueOf(contact.get("id"))).toList();
    }

    /** Intercom's error body: {@code {"type": "error.list", "request_id", "errors": [{"code", "message"}]}}. */
    public static Map<String, Object> error(String code, String message) {
        return Map.of("type", "error.list", "request_id", UUID.randomUUID().toString(),
                "errors", List.of(Map.of("code", code, "message", message)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String body = request.body();
            String method = request.method();
            String path = request.path();
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                StubHttp.sendJson(exchange, 401, error("unauthorized", "Access Token Invalid"), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, error("rate_limit_exceeded", "Exceeded rate limit of 10000 in 60 seconds"),
                    () -> Map.of("X-RateLimit-Limit", "10000", "X-RateLimit-Remaining", "0",
                            "X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 3)))) {
                return;
            }
            String rest = path.substring(CONTACTS.length());
            if (rest.isEmpty() && method.equals("GET")) {
                list(exchange, StubHttp.form(exchange.getRequestURI().getRawQuery()));
            } else if (rest.isEmpty() && method.equals("POST")) {
                create(exchange, body);
            } else if (rest.equals("/search") && method.equals("POST")) {
                search(exchange, body);
            } else if (rest.matches("/[0-9a-f]+") && List.of("GET", "PUT", "DELETE").contains(method)) {
                String id = rest.substring(1);
                Map<String, Object> contact = contacts.get(id);
                if (contact == null) {
                    StubHttp.sendJson(exchange, 404, error("not_found", "User Not Found"), Map.of());
                } else if (method.equals("PUT")) {
                    update(exchange, contact, body);
                } else if (method.equals("DELETE")) {
                    contacts.remove(id);
                    Map<String, Object> deleted = new LinkedHashMap<>();
                    deleted.put("id", id);
                    deleted.put("external_id", contact.get("external_id"));
                    deleted.put("type", "contact");
                    deleted.put("deleted", true);
                    StubHttp.sendJson(exchange, 200, deleted, Map.of());
                } else {
                    StubHttp.sendJson(exchange, 200, contact, Map.of());
                }
            } else {
                StubHttp.sendJson(exchange, 404, error("not_found", "Resource Not Found"), Map.of());
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "15"));
        if (perPage < 1 || perPage > MAX_PAGE) {
            StubHttp.sendJson(exchange, 400, error("parameter_invalid", "per_page must be between 1 and " + MAX_PAGE), Map.of());
            return;
        }
        String after = query.get("starting_after");
        List<Map<String, Object>> all = new ArrayList<>(contacts.values());
        int from = 0;
        if (after != null) {
            String last = new String(java.util.Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            from = (int) all.stream().filter(contact -> contact.get("id").toString().compareTo(last) <= 0).count();
        }
        sendPage(exchange, all, from, perPage);
    }

    private void sendPage(HttpExchange exchange, List<Map<String, Object>> all, int from, int perPage) throws IOException {
        int to = Math.min(all.size(), from + perPage);
        Map<String, Object> pages = new LinkedHashMap<>();
        pages.put("type", "pages");
        pages.put("page", from / perPage + 1);
        pages.put("per_page", perPage);
        pages.put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
        if (to < all.size()) {
            String last = all.get(to - 1).get("id").toString();
            pages.put("next", Map.of("page", from / perPage + 2, "starting_after",
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8))));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("type", "list");
        answer.put("data", all.subList(Math.min(from, to), to));
        answer.put("total_count", all.size());
        answer.put("pages", pages);
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void create(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> contact = new LinkedHashMap<>(JSON.readValue(body, Map.class));
        contact.remove("id");
        if (conflict(exchange, contact, null)) {
            return;
        }
        StubHttp.sendJson(exchange, 200, contact(add(contact)), Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void update(HttpExchange exchange, Map<String, Object> contact, String body) throws IOException {
        Map<String, Object> changes = JSON.readValue(body, Map.class);
        if (conflict(exchange, changes, contact.get("id"))) {
            return;
        }
        changes.forEach((field, value) -> {
            if (!field.equals("id")) {
                contact.put(field, value);
            }
        });
        contact.put("updated_at", Instant.now().getEpochSecond());
        StubHttp.sendJson(exchange, 200, contact, Map.of());
    }

    /** Intercom's 409 for a second contact of one e-mail. */
    private boolean conflict(HttpExchange exchange, Map<String, Object> contact, Object self) throws IOException {
        Object email = contact.get("email");
        String other = email == null ? null : contacts.values().stream()
                .filter(known -> !known.get("id").equals(self) && email.toString().equalsIgnoreCase(String.valueOf(known.get("email"))))
                .map(known -> known.get("id").toString()).findFirst().orElse(null);
        if (other != null) {
            StubHttp.sendJson(exchange, 409, error("conflict", "A contact matching those details already exists with id=" + other),
                    Map.of());
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void search(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> request = JSON.readValue(body, Map.class);
        Map<String, Object> pagination = request.get("pagination") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        int perPage = pagination.get("per_page") instanceof Number number ? number.intValue() : 50;
        if (perPage < 1 || perPage > MAX_PAGE || !(request.get("query") instanceof Map<?, ?> query)) {
            StubHttp.sendJson(exchange, 400, error("parameter_invalid", "query is required and per_page at most " + MAX_PAGE),
                    Map.of());
            return;
        }
        String field = String.valueOf(query.get("field"));
        String value = String.valueOf(query.get("value"));
        if (!"=".equals(query.get("operator"))) {
            StubHttp.sendJson(exchange, 400, error("parameter_invalid", "the stub searches with = only"), Map.of());
            return;
        }
        List<Map<String, Object>> found = contacts.values().stream()
                .filter(contact -> value.equalsIgnoreCase(String.valueOf(contact.get(field)))).toList();
        sendPage(exchange, found, 0, perPage);
    }
}
