package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Xero as its developer documentation describes it, in the test JVM (JDK HttpServer on a free port):
 * <ul>
 *   <li>{@code POST /connect/token} (Xero's identity server, "OAuth 2.0 auth flow", "Refresh tokens"):
 *   client authentication by HTTP Basic, {@code grant_type=refresh_token}; each answer a new access
 *   token ({@code expires_in} 1800) and a new refresh token, the one presented spent from then on
 *   (presented again: 400 {@code invalid_grant}, recorded in {@link #spentTwice}).</li>
 *   <li>{@code GET /connections}: the tenants the app's token may call.</li>
 *   <li>The Accounting API's Contacts ({@code /api.xro/2.0/Contacts}, xero_accounting.yaml): every call
 *   needs a current bearer token (else 401 with Xero's problem body) and the {@code xero-tenant-id}
 *   header of a connected tenant (else 403). {@code GET /Contacts} with {@code page} (1-based),
 *   {@code pageSize} (default 100, at most 1000), {@code where} ({@code Field=="value"} joined by
 *   {@code OR} or
 *   {@code AND}) and {@code searchTerm}, answering {@code pagination} and {@code Contacts};
 *   {@code GET /Contacts/{ContactID}}; {@code PUT /Contacts} creates and {@code POST /Contacts/{ContactID}}
 *   updates, each with a body {@code {"Contacts":[…]}} and answering the saved contacts the same way;
 *   {@code POST /Contacts} updates each contact that names its {@code ContactID} and creates the others.
 *   A contact's {@code Name} is required and unique among active contacts: otherwise 400 and Xero's
 *   {@code ValidationException} body, naming the element and its validation errors, and nothing saved;
 *   with {@code summarizeErrors=false} ("Creating, updating and deleting multiple records at once"),
 *   200 instead, the valid contacts saved and each contact of the answer, in the order sent, with its
 *   {@code StatusAttributeString} ({@code OK}, or {@code ERROR} with its {@code ValidationErrors}). A write's
 *   {@code Idempotency-Key} seen before answers what the first request was answered.</li>
 *   <li>Rate limits ("OAuth 2.0 API limits"): {@link #rateLimitNext} answers 429 with
 *   {@code Retry-After} and {@code X-Rate-Limit-Problem: minute}.</li>
 * </ul>
 * Webhooks are signed as Xero signs them ({@link #signature}): base64 HMAC-SHA256 of the body with the
 * webhook key, in {@code x-xero-signature}.
 */
public final class XeroStub implements AutoCloseable {

    public static final String CONTACTS = "/api.xro/2.0/Contacts";
    public static final String INVOICES = "/api.xro/2.0/Invoices";
    public static final String CLIENT_ID = "XERO-CLIENT-ID-0000";
    public static final String CLIENT_SECRET = "xero-client-secret";
    public static final String TENANT_ID = "3f4a9d2c-5b6e-4d7f-8a9b-0c1d2e3f4a5b";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORD = Pattern.compile("/api\\.xro/2\\.0/(Contacts|Invoices)(?:/([0-9a-f-]{36}))?");
    private static final Pattern WHERE = Pattern.compile("\\s*(\\w+)\\s*==\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Map<String, Object>> contacts = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> invoices = new ConcurrentHashMap<>();
    private final List<String> invoiceOrder = new CopyOnWriteArrayList<>();
    private final Set<String> liveAccessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> spentRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> idempotentAnswers = new ConcurrentHashMap<>();
    private final AtomicInteger limitedNext = new AtomicInteger();
    private final List<HubSpotStub.Received> received = new CopyOnWriteArrayList<>();
    /** Refresh tokens presented after they were spent. */
    public final List<String> spentTwice = new CopyOnWriteArrayList<>();
    /** Successful refreshes. */
    public final AtomicInteger refreshes = new AtomicInteger();

    public XeroStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/connect/token", exchange -> handle(exchange, this::token));
        server.createContext("/connections", exchange -> handle(exchange, this::connections));
        server.createContext("/api.xro/2.0/", exchange -> handle(exchange, this::api));
        server.start();
    }

    private interface Handler {

        void handle(HttpExchange exchange, String body) throws IOException;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A refresh token as the app holds it after the organisation's consent. */
    public String issueRefreshToken() {
        String token = "xero-refresh-" + UUID.randomUUID();
        liveRefreshTokens.add(token);
        return token;
    }

    /** Xero's webhook signature of {@code body}: base64 HMAC-SHA256 with the webhook key. */
    public static String signature(String body, String webhookKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A contact made in Xero; its ContactID. */
    public String add(Map<String, Object> fields) {
        Map<String, Object> contact = new LinkedHashMap<>(fields);
        String id = UUID.randomUUID().toString();
        contact.put("ContactID", id);
        contact.put("ContactStatus", "ACTIVE");
        contact.put("UpdatedDateUTC", "/Date(" + Instant.now().toEpochMilli() + "+0000)/");
        contacts.put(id, contact);
        order.add(id);
        return id;
    }

    /** Every access token issued so far runs out (Xero's last 30 minutes): the API answers 401 to them. */
    public void expireAccessTokens() {
        liveAccessTokens.clear();
    }

    /** A user's edit in Xero. */
    public void edit(String id, Map<String, Object> fields) {
        contacts.get(id).putAll(fields);
    }

    /** An invoice as Xero holds it, or null. */
    public Map<String, Object> invoice(String id) {
        Map<String, Object> invoice = invoices.get(id);
        return invoice == null ? null : Map.copyOf(invoice);
    }

    /** An invoice made in Xero (its lines given their LineItemIDs, its totals computed); its InvoiceID. */
    public String addInvoice(Map<String, Object> fields) {
        Map<String, Object> invoice = new LinkedHashMap<>(fields);
        List<String> problems = XeroInvoiceRules.save(invoice, null, fields, contacts::get, invoiceOrder.size() + 1);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String id = UUID.randomUUID().toString();
        invoice.put("InvoiceID", id);
        invoice.put("UpdatedDateUTC", "/Date(" + Instant.now().toEpochMilli() + "+0000)/");
        invoices.put(id, invoice);
        invoiceOrder.add(id);
        return id;
    }

    public Map<String, Object> contact(String id) {
        Map<String, Object> contact = contacts.get(id);
        return contact == null ? null : Map.copyOf(contact);
    }

    /** The ContactIDs of the contacts whose {@code field} is {@code value}. */
    public List<String> find(String field, Object value) {
        return order.stream().filter(id -> value.equals(contacts.get(id).get(field))).toList();
    }

    /** The next {@code requests} API calls answer 429, the minute limit reached, asking for {@code retryAfter} seconds. */
    public XeroStub rateLimitNext(int requests) {
        limitedNext.set(requests);
        return this;
    }

    public List<HubSpotStub.Received> received() {
        return List.copyOf(received);
    }

    public List<HubSpotStub.Received> received(String method, String path) {
        return received.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            handler.handle(exchange, body);
        } catch (RuntimeException e) {
            StubHttp.sendJson(exchange, 500, Map.of("Message", String.valueOf(e.getMessage())), Map.of());
        }
    }

    private void token(HttpExchange exchange, String body) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_client"), Map.of());
            return;
        }
        Map<String, String> form = StubHttp.form(body);
        String presented = form.get("refresh_token");
        if (!"refresh_token".equals(form.get("grant_type")) || presented == null) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "unsupported_grant_type"), Map.of());
            return;
        }
        if (!liveRefreshTokens.remove(presented)) {
            if (spentRefreshTokens.contains(presented)) {
                spentTwice.add(presented);
            }
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_grant"), Map.of());
            return;
        }
        spentRefreshTokens.add(presented);
        String access = "xero-access-" + UUID.randomUUID();
        String refresh = "xero-refresh-" + UUID.randomUUID();
        liveAccessTokens.add(access);
        liveRefreshTokens.add(refresh);
        refreshes.incrementAndGet();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", access);
        answer.put("expires_in", 1800);
        answer.put("token_type", "Bearer");
        answer.put("refresh_token", refresh);
        answer.put("scope", "offline_access accounting.contacts accounting.transactions");
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private void connections(HttpExchange exchange, String body) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        StubHttp.sendJson(exchange, 200, List.of(Map.of("id", UUID.nameUUIDFromBytes(TENANT_ID.getBytes(StandardCharsets.UTF_8)).toString(),
                "tenantId", TENANT_ID, "tenantType", "ORGANISATION", "tenantName", "Demo Company (Global)")), Map.of());
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !liveAccessTokens.contains(authorization.substring("Bearer ".length()))) {
            StubHttp.sendJson(exchange, 401, problem("Unauthorized", 401, "AuthenticationUnsuccessful"), Map.of());
            return false;
        }
        return true;
    }

    private static Map<String, Object> problem(String title, int status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("Type", null);
        problem.put("Title", title);
        problem.put("Status", status);
        problem.put("Detail", detail);
        problem.put("Instance", UUID.randomUUID().toString());
        problem.put("Extensions", Map.of());
        return problem;
    }

    private void api(HttpExchange exchange, String body) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        received.add(new HubSpotStub.Received(method, path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now(),
                exchange.getRequestURI().getRawQuery()));
        if (!authorized(exchange)) {
            return;
        }
        if (!TENANT_ID.equals(exchange.getRequestHeaders().getFirst("xero-tenant-id"))) {
            StubHttp.sendJson(exchange, 403, problem("Forbidden", 403, "AuthorizationUnsuccessful"), Map.of());
            return;
        }
        if (limitedNext.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            StubHttp.sendJson(exchange, 429, problem("Too Many Requests", 429, "Rate limit exceeded"),
                    Map.of("Retry-After", "1", "X-Rate-Limit-Problem", "minute", "X-MinLimit-Remaining", "0"));
            return;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null && idempotentAnswers.containsKey(method + " " + path + " " + key)) {
            byte[] answer = idempotentAnswers.get(method + " " + path + " " + key);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            return;
        }
        Matcher one = RECORD.matcher(path);
        if (!one.matches()) {
            StubHttp.sendJson(exchange, 405, problem("Method Not Allowed", 405, method + " " + path), Map.of());
            return;
        }
        Kind kind = one.group(1).equals("Invoices") ? invoiceKind() : contactKind();
        String id = one.group(2);
        if (id == null && method.equals("GET")) {
            list(exchange, kind);
        } else if (id == null && (method.equals("PUT") || method.equals("POST"))) {
            save(exchange, body, kind, null, key);
        } else if (id != null && !kind.store().containsKey(id) && (method.equals("GET") || method.equals("POST"))) {
            StubHttp.sendJson(exchange, 404, problem("Not Found", 404, "The resource you're looking for cannot be found"), Map.of());
        } else if (id != null && method.equals("GET")) {
            StubHttp.sendJson(exchange, 200, envelope(kind.name(), List.of(kind.store().get(id))), Map.of());
        } else if (id != null && method.equals("POST")) {
            save(exchange, body, kind, id, key);
        } else {
            StubHttp.sendJson(exchange, 405, problem("Method Not Allowed", 405, method + " " + path), Map.of());
        }
    }

    /**
     * One of the Accounting API's collections the stub serves: its name (the envelope's member), its
     * records' id member, the records by id in the order made, and what Xero checks on a record to
     * be saved and fills in on it ({@code check}: the saved record, or its validation messages).
     */
    private record Kind(String name, String idMember, Map<String, Map<String, Object>> store, List<String> order,
            Checker check) {
    }

    private interface Checker {

        /** @return Xero's validation messages for {@code merged}, none when it is saved (and filled in) */
        List<String> check(Map<String, Object> merged, String id, Map<String, Object> sent);
    }

    private Kind contactKind() {
        return new Kind("Contacts", "ContactID", contacts, order, (merged, target, sent) -> {
            Object name = merged.get("Name");
            String problem = name == null || name.toString().isBlank() ? "The contact name must be specified."
                    : order.stream().anyMatch(other -> !other.equals(target) && name.toString().equalsIgnoreCase(
                            String.valueOf(contacts.get(other).get("Name"))))
                            ? "The contact name " + name + " is already assigned to another contact. The contact name must be unique"
                                    + " across all active contacts."
                    : null;
            if (problem != null) {
                return List.of(problem);
            }
            merged.putIfAbsent("ContactStatus", "ACTIVE");
            return List.of();
        });
    }

    private Kind invoiceKind() {
        return new Kind("Invoices", "InvoiceID", invoices, invoiceOrder,
                (merged, target, sent) -> XeroInvoiceRules.save(merged, target == null ? null : invoices.get(target), sent, contacts::get,
                        invoiceOrder.size() + 1));
    }

    private static Map<String, Object> envelope(List<Map<String, Object>> records) {
        return envelope("Contacts", records);
    }

    private static Map<String, Object> envelope(String name, List<Map<String, Object>> records) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Id", UUID.randomUUID().toString());
        answer.put("Status", "OK");
        answer.put("ProviderName", "Syncline");
        answer.put("DateTimeUTC", "/Date(" + Instant.now().toEpochMilli() + ")/");
        answer.put(name, records);
        return answer;
    }

    private void list(HttpExchange exchange, Kind kind) throws IOException {
        Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int pageSize = Math.min(1000, Integer.parseInt(query.getOrDefault("pageSize", "100")));
        List<Map<String, Object>> matching = new ArrayList<>();
        for (String id : kind.order()) {
            Map<String, Object> record = kind.store().get(id);
            if (matches(record, query.get("where")) && searched(record, query.get("searchTerm"))) {
                matching.add(record);
            }
        }
        int from = Math.min(matching.size(), (page - 1) * pageSize);
        int to = Math.min(matching.size(), from + pageSize);
        Map<String, Object> answer = envelope(kind.name(), List.copyOf(matching.subList(from, to)));
        answer.put("pagination", Map.of("page", page, "pageSize", pageSize,
                "pageCount", (matching.size() + pageSize - 1) / pageSize, "itemCount", matching.size()));
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    /**
     * Xero's {@code where}: comparisons {@code Field=="value"} joined by {@code AND}, alternatives of
     * those joined by {@code OR} (AND binding tighter), case-insensitive as Xero compares text.
     */
    private static boolean matches(Map<String, Object> contact, String where) {
        if (where == null || where.isBlank()) {
            return true;
        }
        for (String alternative : where.split("(?i)\\s+OR\\s+")) {
            if (matchesAll(contact, alternative, where)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAll(Map<String, Object> contact, String conjunction, String where) {
        for (String term : conjunction.split("(?i)\\s+AND\\s+")) {
            Matcher comparison = WHERE.matcher(term);
            if (!comparison.matches()) {
                throw new IllegalArgumentException("unsupported where: " + where);
            }
            Object value = contact.get(comparison.group(1));
            if (value == null || !value.toString().equalsIgnoreCase(comparison.group(2).replaceAll("\\\\(.)", "$1"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean searched(Map<String, Object> contact, String term) {
        if (term == null) {
            return true;
        }
        String lower = term.toLowerCase(Locale.ROOT);
        return List.of("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress").stream()
                .map(contact::get).anyMatch(value -> value != null && value.toString().toLowerCase(Locale.ROOT).contains(lower));
    }

    private void save(HttpExchange exchange, String body, Kind kind, String id, String idempotencyKey) throws IOException {
        Map<?, ?> request = JSON.readValue(body, Map.class);
        if (!(request.get(kind.name()) instanceof List<?> list) || list.isEmpty()) {
            StubHttp.sendJson(exchange, 400, validation(List.of(Map.of("ValidationErrors",
                    List.of(Map.of("Message", "The request has no " + kind.name()))))), Map.of());
            return;
        }
        boolean summarize = !"false".equalsIgnoreCase(StubHttp.form(exchange.getRequestURI().getRawQuery()).get("summarizeErrors"));
        List<Map<String, Object>> failed = new ArrayList<>();
        List<Map<String, Object>> inOrder = new ArrayList<>();
        for (Object element : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) element);
            String target = id != null ? id : (String) fields.get(kind.idMember());
            Map<String, Object> merged = new LinkedHashMap<>(target == null ? Map.of() : kind.store().getOrDefault(target, Map.of()));
            merged.putAll(fields);
            List<String> problems = kind.check().check(merged, target, fields);
            if (!problems.isEmpty()) {
                Map<String, Object> refused = new LinkedHashMap<>(fields);
                refused.put("HasValidationErrors", true);
                refused.put("ValidationErrors", problems.stream().map(problem -> Map.of("Message", problem)).toList());
                failed.add(refused);
                inOrder.add(refused);
            } else {
                inOrder.add(merged);
            }
        }
        if (!failed.isEmpty() && summarize) {
            StubHttp.sendJson(exchange, 400, validation(failed), Map.of());
            return;
        }
        List<Map<String, Object>> answered = new ArrayList<>();
        for (Map<String, Object> merged : inOrder) {
            String target = (String) merged.get(kind.idMember());
            Map<String, Object> answer;
            if (Boolean.TRUE.equals(merged.get("HasValidationErrors"))) {
                answer = new LinkedHashMap<>(merged);
                answer.put("StatusAttributeString", "ERROR");
            } else {
                if (target == null || !kind.store().containsKey(target)) {
                    target = UUID.randomUUID().toString();
                    merged.put(kind.idMember(), target);
                    kind.order().add(target);
                }
                merged.put("UpdatedDateUTC", "/Date(" + Instant.now().toEpochMilli() + "+0000)/");
                kind.store().put(target, merged);
                answer = new LinkedHashMap<>(merged);
                if (!summarize) {
                    answer.put("StatusAttributeString", "OK");
                }
            }
            answered.add(answer);
        }
        byte[] answer = JSON.writeValueAsBytes(envelope(kind.name(), answered));
        if (idempotencyKey != null) {
            idempotentAnswers.put(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + idempotencyKey, answer);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
    }

    /** Xero's answer to a write it refuses: a ValidationException naming each element's errors. */
    private static Map<String, Object> validation(List<Map<String, Object>> elements) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ErrorNumber", 10);
        answer.put("Type", "ValidationException");
        answer.put("Message", "A validation exception occurred");
        answer.put("Elements", elements);
        return answer;
    }

    /** The JSON of a webhook delivery of one contact event, as Xero posts it. */
    public static String contactEvent(String contactId, String eventType) {
        try {
            return JSON.writeValueAsString(Map.of("events", List.of(Map.of(
                    "resourceUrl", "https://api.xero.com/api.xro/2.0/Contacts/" + contactId,
                    "resourceId", contactId, "eventDateUtc", Instant.now().toString(), "eventType", eventType,
                    "eventCategory", "CONTACT", "tenantId", TENANT_ID, "tenantType", "ORGANISATION")),
                    "firstEventSequence", 1, "lastEventSequence", 1, "entropy", UUID.randomUUID().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
