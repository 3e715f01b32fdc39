package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's customers API as its reference documents it (docs.stripe.com/api/customers), in the test
 * JVM (JDK HttpServer on a free port):
 * <ul>
 *   <li>a secret key as {@code Authorization: Bearer sk_…}; anything else 401 with Stripe's error body;</li>
 *   <li>bodies {@code application/x-www-form-urlencoded}, nested members in brackets
 *       ({@code address[city]}, {@code metadata[crm_id]}); an empty value clears a field; an unknown
 *       parameter 400 {@code parameter_unknown} naming it;</li>
 *   <li>{@code POST /v1/customers}: the new customer ({@code cus_…}); {@code POST /v1/customers/{id}}:
 *       updated; {@code GET} one: the customer, or {@code {"deleted": true}} for a deleted one;
 *       {@code DELETE}: deleted; an unknown id 404 {@code resource_missing};</li>
 *   <li>{@code GET /v1/customers?limit=&starting_after=}: newest first, {@code limit} 1 to 100 (10 by
 *       default; 400 otherwise), {@code {"object": "list", "data": […], "has_more": …}};</li>
 *   <li>{@code GET /v1/customers/search?query=}: clauses {@code field:'value'} joined by {@code OR} or
 *       {@code AND} over {@code email}, {@code name}, {@code phone} and {@code metadata['key']}, exact and
 *       case-insensitive; eventually consistent: a customer is found only {@link #searchLag} after it was
 *       written;</li>
 *   <li>{@code Idempotency-Key} on a POST: the first request's status and body are kept and a request
 *       with the same key and parameters is answered with them ({@code Idempotent-Replayed: true});
 *       other parameters 400 {@code idempotency_error}; a request while the first is still executing 409.
 *       Nothing is kept for a request refused before it executed (auth, parameters, 429).</li>
 * </ul>
 * {@code GET /v1/webhook_endpoints} lists the account's webhook endpoints ({@link #addWebhookEndpoint}),
 * {@code GET /v1/charges} its charges, newest first, paged as customers are ({@link #addCharge}).
 * Tests script the next answers (429 as Stripe's rate limiter sends it, any error body, an answer
 * lost after the request was executed) and read what the stub received.
 */
public final class StripeStub implements AutoCloseable {

    public static final String CUSTOMERS = "/v1/customers";
    public static final String SUBSCRIPTIONS = "/v1/subscriptions";
    public static final String INVOICES = "/v1/invoices";
    public static final String CHARGES = "/v1/charges";
    public static final String WEBHOOK_ENDPOINTS = "/v1/webhook_endpoints";
    public static final String API_VERSION = "2024-06-20";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("email", "name", "phone", "description", "address", "metadata");
    private static final Set<String> ADDRESS = Set.of("city", "country", "line1", "line2", "postal_code", "state");
    private static final Pattern CLAUSE = Pattern.compile("(email|name|phone|metadata\\['([^']+)'])\\s*:\\s*'((?:[^'\\\\]|\\\\.)*)'");

    /** A request as the stub received it, and the status it was answered with (0: no answer). */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body, int status) {

        public String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(header -> header.getValue().get(0)).findFirst().orElse(null);
        }

        /** The form body's pairs, names as sent ({@code address[city]}). */
        public Map<String, String> form() {
            return StubHttp.form(body);
        }

        /** The query's parameters, decoded. */
        public Map<String, String> parameters() {
            return StubHttp.form(query);
        }
    }

    private record Answer(int status, Map<String, String> headers, Object body) {
    }

    /** A scripted answer to the next request of {@code method} (null: any), or a lost one: executed, then no answer. */
    private record Scripted(String method, Answer answer, boolean lose) {
    }

    /** What a key's first request was and how it was answered; no answer yet while it executes. */
    private record Kept(String request, Answer answer) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Map<String, Object>> customers = new ConcurrentHashMap<>();
    /** The account's charges, newest first. */
    private final List<Map<String, Object>> charges = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> subscriptions = new ConcurrentHashMap<>();
    private final StripeInvoices invoices = new StripeInvoices();
    private final Map<String, Long> order = new ConcurrentHashMap<>();
    private final Map<String, Instant> searchableFrom = new ConcurrentHashMap<>();
    private final Map<String, Kept> idempotency = new ConcurrentHashMap<>();
    private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The account's webhook endpoints by id, in the order they were added. */
    private final Map<String, Map<String, Object>> webhookEndpoints = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final String key;
    private volatile Duration searchLag = Duration.ZERO;

    private StripeStub(HttpServer server, String key) {
        this.server = server;
        this.key = key;
    }

    /** A stub accepting the secret key {@code key}. */
    public static StripeStub start(String key) {
        try {
            StripeStub stub = new StripeStub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), key);
            stub.server.createContext(CUSTOMERS, stub::handle);
            stub.server.createContext(SUBSCRIPTIONS, stub::handle);
            stub.server.createContext(INVOICES, stub::handle);
            stub.server.createContext(CHARGES, stub::handle);
            stub.server.createContext(WEBHOOK_ENDPOINTS, stub::handle);
            stub.server.setExecutor(stub.executor);
            stub.server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // --- the account's data and the script -------------------------------------------------------

    /** A customer stored as if created earlier, searchable at once (nothing recorded as received); @return its id */
    public String add(Map<String, Object> fields) {
        String id = newId();
        Map<String, Object> customer = newCustomer(id);
        customer.putAll(fields);
        customers.put(id, customer);
        return id;
    }

    /** The customer, or null. */
    public Map<String, Object> customer(String id) {
        return customers.get(id);
    }

    /** The ids of the customers whose {@code field} is {@code value}, oldest first. */
    public List<String> find(String field, String value) {
        return customers.values().stream().filter(customer -> !Boolean.TRUE.equals(customer.get("deleted"))
                && value.equals(customer.get(field))).sorted(java.util.Comparator.comparingLong(this::created))
                .map(customer -> (String) customer.get("id")).toList();
    }

    /** How long after a write a customer is found by search (Stripe: usually under a minute). */
    public void searchLag(Duration lag) {
        this.searchLag = lag;
    }

    /** The next request gets Stripe's 429 (its rate limiter: no {@code Retry-After}). */
    public void rateLimitNext() {
        script.add(new Scripted(null, new Answer(429, Map.of("Stripe-Should-Retry", "true"), error("invalid_request_error",
                "rate_limit", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                null)), false));
    }

    /** The next POST (a create or an update) gets {@code status} with Stripe's error body. */
    public void failNextPost(int status, String type, String code, String message, String param) {
        script.add(new Scripted("POST", new Answer(status, Map.of(), error(type, code, message, param)), false));
    }

    /** The next POST is executed, but its answer never reaches the client (the connection drops). */
    public void loseNextPostAnswer() {
        script.add(new Scripted("POST", null, true));
    }

    /** The first scripted answer for a request of {@code method}, taken from the script; null when there is none. */
    private Scripted next(String method) {
        for (Scripted scripted : script) {
            if ((scripted.method() == null || scripted.method().equals(method)) && script.removeFirstOccurrence(scripted)) {
                return scripted;
            }
        }
        return null;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method, String path) {
        return received.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    /** Stripe's error body: {@code {"error": {"type", "code", "message", "param", "doc_url"}}}. */
    public static Map<String, Object> error(String type, String code, String message, String param) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        return Map.of("error", error);
    }

    /** An event as Stripe posts it to a webhook endpoint: the envelope, the object at {@code data.object}. */
    public static String event(String type, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        event.put("object", "event");
        event.put("api_version", API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.put("data", Map.of("object", object));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("request", new LinkedHashMap<>(Map.of("id", "req_0")));
        event.put("type", type);
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code Stripe-Signature} Stripe sends with {@code body} at {@code timestamp}: {@code t=…,v1=<hex HMAC-SHA256 of "t.body">}. */
    public static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // --- the API ---------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
        Scripted next = next(method);
        Answer answer;
        if (next != null && !next.lose()) {
            answer = next.answer();
        } else if (!("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer = new Answer(401, Map.of(), error("invalid_request_error", null, exchange.getRequestHeaders()
                    .containsKey("Authorization")
                            ? "Invalid API Key provided: " + masked(exchange.getRequestHeaders()
                                    .getFirst("Authorization"))
                            : "You did not provide an API key. You need to provide your API key in the"
                                    + " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
                    null));
        } else {
            answer = idempotent(method, path, body, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    () -> route(method, path, StubHttp.form(query), body, exchange.getRequestHeaders().getFirst("Content-Type")));
        }
        try (exchange) {
            if (next != null && next.lose()) {
                received.add(new Received(method, path, query, headers, body, 0));
                return; // closed without an answer: the client sees the connection drop
            }
            received.add(new Received(method, path, query, headers, body, answer.status()));
            Map<String, String> answerHeaders = new LinkedHashMap<>(answer.headers());
            answerHeaders.put("Request-Id", "req_" + sequence.incrementAndGet());
            answerHeaders.put("Stripe-Version", API_VERSION);
            StubHttp.sendJson(exchange, answer.status(), answer.body(), answerHeaders);
        }
    }

    private static String masked(String authorization) {
        String credential = authorization.startsWith("Bearer ") ? authorization.substring(7) : authorization;
        return credential.length() <= 4 ? "****" : "sk_****" + credential.substring(credential.length() - 4);
    }

    /** A POST with a key: answered as its key's first request was; other requests as they come. */
    private Answer idempotent(String method, String path, String body, String idempotencyKey,
            java.util.function.Supplier<Answer> execute) {
        if (idempotencyKey == null || !method.equals("POST")) {
            return execute.get();
        }
        String request = method + " " + path + "?" + new java.util.TreeMap<>(StubHttp.form(body));
        Kept first = idempotency.putIfAbsent(idempotencyKey, new Kept(request, null));
        if (first != null) {
            if (!first.request().equals(request)) {
                return new Answer(400, Map.of(), error("idempotency_error", null, "Keys for idempotent requests can only be"
                        + " used with the same parameters they were first used with. Try using a key other than '"
                        + idempotencyKey + "' if you meant to execute a different request.", null));
            }
            if (first.answer() == null) {
                return new Answer(409, Map.of(), error("idempotency_error", null, "There is currently another in-progress"
                        + " request using this Stripe API Key and idempotency key. Please try again later.", null));
            }
            Map<String, String> headers = new LinkedHashMap<>(first.answer().headers());
            headers.put("Idempotent-Replayed", "true");
            headers.put("Original-Request", "req_replayed");
            return new Answer(first.answer().status(), headers, first.answer().body());
        }
        Answer answer = execute.get();
        if (answer.status() == 400 && isRefusedBeforeExecution(answer)) {
            idempotency.remove(idempotencyKey); // validation failures are not kept: a corrected request may use the key
        } else {
            idempotency.put(idempotencyKey, new Kept(request, answer));
        }
        return answer;
    }

    private static boolean isRefusedBeforeExecution(Answer answer) {
        return answer.body() instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error
                && String.valueOf(error.get("code")).startsWith("parameter_");
    }

    private Answer route(String method, String path, Map<String, String> query, String body, String contentType) {
        if (method.equals("POST") && body != null && !body.isEmpty()
                && (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded"))) {
            return new Answer(400, Map.of(), error("invalid_request_error", null, "Invalid request: Stripe takes"
                    + " application/x-www-form-urlencoded bodies, not " + contentType, null));
        }
        if (path.startsWith(SUBSCRIPTIONS)) {
            return subscriptions(method, path.substring(SUBSCRIPTIONS.length()), StubHttp.form(body));
        }
        if (path.equals(CHARGES) && method.equals("GET")) {
            Answer invalid = limit(query);
            Map<String, Object> page = invalid != null ? null : StripeInvoices.page(CHARGES, List.copyOf(charges), query.get("starting_after"),
                    Integer.parseInt(query.getOrDefault("limit", "10")), false);
            return invalid != null ? invalid : page != null ? new Answer(200, Map.of(), page) : new Answer(404, Map.of(),
                    error("invalid_request_error", "resource_missing", "No such object: '" + query.get("starting_after") + "'",
                            "starting_after"));
        }
        if (path.startsWith(INVOICES) && method.equals("POST")) {
            return writeInvoice(path.substring(INVOICES.length()), StubHttp.form(body));
        }
        if (path.startsWith(INVOICES)) {
            return invoices(method, path.substring(INVOICES.length()), query);
        }
        if (path.equals(WEBHOOK_ENDPOINTS) && method.equals("GET")) {
            return webhookEndpoints(query);
        }
        String rest = path.substring(CUSTOMERS.length());
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> list(query);
                case "POST" -> create(StubHttp.form(body));
                default -> notFound(path);
            };
        }
        if (rest.equals("/search") && method.equals("GET")) {
            return search(query);
        }
        String id = rest.substring(1);
        Map<String, Object> customer = customers.get(id);
        if (customer == null || id.contains("/")) {
            return new Answer(404, Map.of(), error("invalid_request_error", "resource_missing", "No such customer: '" + id + "'",
                    "id"));
        }
        return switch (method) {
            case "GET" -> new Answer(200, Map.of(), Boolean.TRUE.equals(customer.get("deleted"))
                    ? Map.of("id", id, "object", "customer", "deleted", true) : customer);
            case "POST" -> update(customer, StubHttp.form(body));
            case "DELETE" -> {
                customer.put("deleted", true);
                yield new Answer(200, Map.of(), Map.of("id", id, "object", "customer", "deleted", true));
            }
            default -> notFound(path);
        };
    }

    /**
     * {@code /v1/subscriptions}: a create names an existing {@code customer} and its {@code items}
     * ({@code items[0][price]}), else 400 ({@code parameter_missing}, {@code resource_missing}); an
     * update takes {@code metadata} and refuses {@code customer} as an unknown parameter (a
     * subscription never moves to another customer); {@code GET} one.
     */
    private Answer subscriptions(String method, String rest, Map<String, String> form) {
        for (String name : form.keySet()) {
            boolean known = name.startsWith("metadata[") || (rest.isEmpty() && (name.equals("customer")
                    || name.matches("items\\[\\d+]\\[price]")));
            if (!known) {
                return new Answer(400, Map.of(), error("invalid_request_error", "parameter_unknown", "Received unknown parameter: "
                        + name, name));
            }
        }
        if (rest.isEmpty() && method.equals("POST")) {
            String customer = form.get("customer");
            if (customer == null || form.keySet().stream().noneMatch(name -> name.startsWith("items["))) {
                String missing = customer == null ? "customer" : "items";
                return new Answer(400, Map.of(), error("invalid_request_error", "parameter_missing", "Missing required param: "
                        + missing + ".", missing));
            }
            if (!customers.containsKey(customer)) {
                return new Answer(400, Map.of(), error("invalid_request_error", "resource_missing", "No such customer: '"
                        + customer + "'", "customer"));
            }
            String id = "sub_" + Long.toString(System.nanoTime(), 36) + Long.toString(sequence.incrementAndGet(), 36);
            Map<String, Object> subscription = new LinkedHashMap<>();
            subscription.put("id", id);
            subscription.put("object", "subscription");
            subscription.put("customer", customer);
            subscription.put("status", "active");
            subscription.put("items", Map.of("object", "list", "data", form.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith("items[")).map(entry -> Map.of("object", "subscription_item",
                            "price", Map.of("id", entry.getValue(), "object", "price")))
                    .toList()));
            subscription.put("metadata", new LinkedHashMap<>());
            form.forEach((name, value) -> {
                if (name.startsWith("metadata[")) {
                    apply(subscription, Map.of(name, value));
                }
            });
            subscriptions.put(id, subscription);
            return new Answer(200, Map.of(), subscription);
        }
        Map<String, Object> subscription = rest.length() > 1 ? subscriptions.get(rest.substring(1)) : null;
        if (subscription == null) {
            return new Answer(404, Map.of(), error("invalid_request_error", "resource_missing", "No such subscription: '"
                    + rest.substring(Math.min(1, rest.length())) + "'", "id"));
        }
        return switch (method) {
            case "GET" -> new Answer(200, Map.of(), subscription);
            case "POST" -> {
                apply(subscription, form);
                yield new Answer(200, Map.of(), subscription);
            }
            default -> notFound(SUBSCRIPTIONS + rest);
        };
    }

    /**
     * {@code /v1/invoices} ({@link StripeInvoices}): the list, one invoice, and the further pages of
     * its lines (a write is {@link #writeInvoice}); a {@code starting_after} or an invoice it does not have 404
     * {@code resource_missing}.
     */
    private Answer invoices(String method, String rest, Map<String, String> query) {
        Answer invalid = limit(query);
        if (!method.equals("GET")) {
            return notFound(INVOICES + rest);
        }
        if (invalid != null) {
            return invalid;
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        String after = query.get("starting_after");
        String id = rest.startsWith("/") ? rest.substring(1).replaceFirst("/lines$", "") : null;
        Map<String, Object> answer = rest.isEmpty() ? invoices.list(limit, after)
                : rest.endsWith("/lines") ? invoices.lines(id, limit, after) : invoices.view(id);
        return answer != null ? new Answer(200, Map.of(), answer) : new Answer(404, Map.of(), error("invalid_request_error",
                "resource_missing", "No such " + (after != null ? "object" : "invoice") + ": '" + (after != null ? after : id) + "'",
                after != null ? "starting_after" : "id"));
    }

    /**
     * {@code POST /v1/invoices} and {@code POST /v1/invoices/{id}}: a create names an existing
     * {@code customer} (else 400 {@code resource_missing}, or {@code parameter_missing} without one,
     * as an account on an API version that requires it answers); both take {@code description},
     * {@code auto_advance} and {@code metadata}, and refuse any other member as an unknown parameter
     * (the stub keeps no more of an invoice); an update cannot move it to another customer.
     */
    private Answer writeInvoice(String rest, Map<String, String> form) {
        for (String name : form.keySet()) {
            boolean known = name.startsWith("metadata[") || name.equals("description") || name.equals("auto_advance")
                    || (rest.isEmpty() && name.equals("customer"));
            if (!known) {
                return new Answer(400, Map.of(), error("invalid_request_error", "parameter_unknown", "Received unknown parameter: "
                        + name, name));
            }
        }
        if (rest.isEmpty()) {
            String customer = form.get("customer");
            if (customer == null) {
                return new Answer(400, Map.of(), error("invalid_request_error", "parameter_missing", "Missing required param: customer.",
                        "customer"));
            }
            if (!customers.containsKey(customer)) {
                return new Answer(400, Map.of(), error("invalid_request_error", "resource_missing", "No such customer: '" + customer
                        + "'", "customer"));
            }
            return new Answer(200, Map.of(), invoices.create(customer, form, StripeStub::apply));
        }
        Map<String, Object> updated = invoices.update(rest.substring(1), form, StripeStub::apply);
        return updated != null ? new Answer(200, Map.of(), updated) : new Answer(404, Map.of(), error("invalid_request_error",
                "resource_missing", "No such invoice: '" + rest.substring(1) + "'", "id"));
    }

    /** A charge the account has taken (Stripe then sends its {@code charge.succeeded} event), listed by {@code GET /v1/charges}. */
    public void addCharge(Map<String, Object> charge) {
        charges.add(0, new LinkedHashMap<>(charge));
    }

    /** The invoice {@code id} as Stripe answers it; null when there is none. */
    public Map<String, Object> invoice(String id) {
        return invoices.view(id);
    }

    /** How many invoices the account has. */
    public int invoiceCount() {
        return invoices.list(100, null) == null ? 0 : ((List<?>) invoices.list(100, null).get("data")).size();
    }

    /** A new open invoice of {@code customer} with {@code lines} line items, as Stripe answers it (ten lines embedded at most). */
    public Map<String, Object> addInvoice(String customer, String description, int lines) {
        return invoices.add(customer, description, lines);
    }

    /** Every line of the invoice, in order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> invoiceLines(String id) {
        return (List<Map<String, Object>>) invoices.lines(id, Integer.MAX_VALUE, null).get("data");
    }

    /** The subscription, or null. */
    public Map<String, Object> subscription(String id) {
        return subscriptions.get(id);
    }

    private static Answer notFound(String path) {
        return new Answer(404, Map.of(), error("invalid_request_error", null, "Unrecognized request URL (" + path + ").", null));
    }

    private Answer create(Map<String, String> form) {
        Answer invalid = unknownParameter(form);
        if (invalid != null) {
            return invalid;
        }
        String id = newId();
        Map<String, Object> customer = newCustomer(id);
        apply(customer, form);
        customers.put(id, customer);
        searchableFrom.put(id, Instant.now().plus(searchLag));
        return new Answer(200, Map.of(), customer);
    }

    private Answer update(Map<String, Object> customer, Map<String, String> form) {
        Answer invalid = unknownParameter(form);
        if (invalid != null) {
            return invalid;
        }
        apply(customer, form);
        searchableFrom.put((String) customer.get("id"), Instant.now().plus(searchLag));
        return new Answer(200, Map.of(), customer);
    }

    /** Stripe's answer to a parameter the customer object does not take, naming it. */
    private static Answer unknownParameter(Map<String, String> form) {
        for (String name : form.keySet()) {
            Matcher nested = Pattern.compile("([a-z_]+)(?:\\[([^\\]]*)])?").matcher(name);
            boolean known = nested.matches() && FIELDS.contains(nested.group(1))
                    && (nested.group(2) == null ? !Set.of("address", "metadata").contains(nested.group(1))
                            : nested.group(1).equals("metadata") || nested.group(1).equals("address") && ADDRESS.contains(nested.group(2)));
            if (!known) {
                return new Answer(400, Map.of(), error("invalid_request_error", "parameter_unknown", "Received unknown parameter: "
                        + name, name));
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> customer, Map<String, String> form) {
        form.forEach((name, value) -> {
            int bracket = name.indexOf('[');
            if (bracket < 0) {
                customer.put(name, value.isEmpty() ? null : value);
                return;
            }
            String member = name.substring(bracket + 1, name.length() - 1);
            Map<String, Object> nested = (Map<String, Object>) customer.computeIfAbsent(name.substring(0, bracket),
                    absent -> new LinkedHashMap<>());
            if (value.isEmpty()) {
                nested.remove(member);
            } else {
                nested.put(member, value);
            }
        });
    }

    /**
     * {@code GET /v1/webhook_endpoints}: the account's endpoints, newest first, {@code limit} 1 to 100
     * (an account holds 16 at most, so one page has them all).
     */
    private Answer webhookEndpoints(Map<String, String> query) {
        Answer invalid = limit(query);
        if (invalid != null) {
            return invalid;
        }
        List<Map<String, Object>> newestFirst = new ArrayList<>(webhookEndpoints.values());
        java.util.Collections.reverse(newestFirst);
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        page.put("has_more", newestFirst.size() > limit);
        page.put("url", WEBHOOK_ENDPOINTS);
        return new Answer(200, Map.of(), page);
    }

    /** A webhook endpoint of the account (Developers, Webhooks), enabled, sent {@code events}; @return its id */
    public String addWebhookEndpoint(String url, String... events) {
        String id = "we_" + sequence.incrementAndGet();
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("id", id);
        endpoint.put("object", "webhook_endpoint");
        endpoint.put("api_version", null);
        endpoint.put("created", java.time.Instant.now().getEpochSecond());
        endpoint.put("enabled_events", List.of(events));
        endpoint.put("livemode", false);
        endpoint.put("metadata", Map.of());
        endpoint.put("status", "enabled");
        endpoint.put("url", url);
        webhookEndpoints.put(id, endpoint);
        return id;
    }

    /** An endpoint's status ({@code enabled}, {@code disabled}) and events changed as in the dashboard. */
    public void updateWebhookEndpoint(String id, String status, String... events) {
        Map<String, Object> endpoint = new LinkedHashMap<>(webhookEndpoints.get(id));
        endpoint.put("status", status);
        endpoint.put("enabled_events", List.of(events));
        webhookEndpoints.put(id, endpoint);
    }

    public void removeWebhookEndpoint(String id) {
        webhookEndpoints.remove(id);
    }

    private Answer list(Map<String, String> query) {
        Answer invalid = limit(query);
        if (invalid != null) {
            return invalid;
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        List<Map<String, Object>> newestFirst = customers.values().stream().filter(customer -> !Boolean.TRUE.equals(customer.get("deleted")))
                .sorted(java.util.Comparator.comparingLong(this::created).reversed()).toList();
        int start = 0;
        String after = query.get("starting_after");
        if (after != null) {
            Map<String, Object> last = customers.get(after);
            if (last == null) {
                return new Answer(400, Map.of(), error("invalid_request_error", "resource_missing", "No such customer: '" + after
                        + "'", "starting_after"));
            }
            start = newestFirst.indexOf(last) + 1;
        }
        int end = Math.min(newestFirst.size(), start + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", newestFirst.subList(start, end));
        page.put("has_more", end < newestFirst.size());
        page.put("url", CUSTOMERS);
        return new Answer(200, Map.of(), page);
    }

    private static Answer limit(Map<String, String> query) {
        String limit = query.get("limit");
        if (limit != null && (!limit.matches("\\d+") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 100)) {
            return new Answer(400, Map.of(), error("invalid_request_error", "parameter_invalid_integer",
                    "Invalid integer: " + limit + "; limit must be between 1 and 100", "limit"));
        }
        return null;
    }

    private Answer search(Map<String, String> query) {
        Answer invalid = limit(query);
        if (invalid != null) {
            return invalid;
        }
        String text = query.get("query");
        if (text == null || text.isBlank()) {
            return new Answer(400, Map.of(), error("invalid_request_error", "parameter_missing", "Missing required param: query.",
                    "query"));
        }
        boolean and = text.contains(" AND ");
        if (and && text.contains(" OR ")) {
            return new Answer(400, Map.of(), error("invalid_request_error", null,
                    "A query cannot combine AND and OR: " + text, "query"));
        }
        List<String[]> clauses = new ArrayList<>();
        for (String clause : text.split(and ? " AND " : " OR ")) {
            Matcher matcher = CLAUSE.matcher(clause.strip());
            if (!matcher.matches()) {
                return new Answer(400, Map.of(), error("invalid_request_error", null, "Invalid query: the clause '" + clause.strip()
                        + "' is not field:'value' over a field customers are searched by", "query"));
            }
            clauses.add(new String[]{matcher.group(2) != null ? "metadata." + matcher.group(2) : matcher.group(1),
                    matcher.group(3).replaceAll("\\\\(.)", "$1")});
        }
        Instant now = Instant.now();
        List<Map<String, Object>> found = customers.values().stream()
                .filter(customer -> !Boolean.TRUE.equals(customer.get("deleted"))
                        && !searchableFrom.getOrDefault((String) customer.get("id"), Instant.EPOCH).isAfter(now))
                .filter(customer -> and ? clauses.stream().allMatch(clause -> equal(customer, clause))
                        : clauses.stream().anyMatch(clause -> equal(customer, clause)))
                .sorted(java.util.Comparator.comparingLong(this::created).reversed())
                .limit(Integer.parseInt(query.getOrDefault("limit", "10"))).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("object", "search_result");
        result.put("data", found);
        result.put("has_more", false);
        result.put("next_page", null);
        result.put("url", CUSTOMERS + "/search");
        return new Answer(200, Map.of(), result);
    }

    @SuppressWarnings("unchecked")
    private static boolean equal(Map<String, Object> customer, String[] clause) {
        Object value = clause[0].startsWith("metadata.")
                ? ((Map<String, Object>) customer.getOrDefault("metadata", Map.of())).get(clause[0].substring(9))
                : customer.get(clause[0]);
        return value != null && value.toString().toLowerCase(Locale.ROOT).equals(clause[1].toLowerCase(Locale.ROOT));
    }

    private String newId() {
        return "cus_" + Long.toString(System.nanoTime(), 36) + Long.toString(sequence.incrementAndGet(), 36);
    }

    private Map<String, Object> newCustomer(String id) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("object", "customer");
        customer.put("address", null);
        customer.put("balance", 0);
        customer.put("created", Instant.now().getEpochSecond());
        order.put(id, sequence.incrementAndGet());
        customer.put("description", null);
        customer.put("email", null);
        customer.put("livemode", false);
        customer.put("metadata", new LinkedHashMap<>());
        customer.put("name", null);
        customer.put("phone", null);
        return customer;
    }

    /** The customer's creation order (Stripe's {@code created} is in seconds; this orders those of one second too). */
    private long created(Map<String, Object> customer) {
        return order.getOrDefault((String) customer.get("id"), 0L);
    }
}
