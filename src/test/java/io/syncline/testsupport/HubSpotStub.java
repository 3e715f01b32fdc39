package io.syncline.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncline.connector.spi.RateLimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * HubSpot's CRM v3 contacts API (and v4 associations of contacts) as documented, in the test JVM (JDK HttpServer on a free port):
 * <ul>
 *   <li>{@code POST /crm/v3/objects/contacts} with {@code {"properties": {...}}}: 201 and the
 *       contact with its new {@code id}; 409 {@code CONFLICT} when the e-mail exists already;</li>
 *   <li>{@code PATCH /crm/v3/objects/contacts/{id}}: 200 and the contact; 404 {@code OBJECT_NOT_FOUND};</li>
 *   <li>{@code GET /crm/v3/objects/contacts/{id}}: 200 and the contact; 404 {@code OBJECT_NOT_FOUND};</li>
 *   <li>{@code DELETE /crm/v3/objects/contacts/{id}}: 204 (archived), 404 when unknown;</li>
 *   <li>{@code GET /crm/v3/objects/contacts?limit=&after=}: a page of contacts in id order
 *       ({@code limit} 10 by default, at most 100), {@code paging.next.after} while more follow;</li>
 *   <li>{@code POST /crm/v3/objects/contacts/search}: the contacts matching any of the
 *       {@code filterGroups} (each group's filters all hold; {@code EQ} compares case-insensitively,
 *       as HubSpot does for e-mail), with {@code total}; past 5 searches in a second (HubSpot's
 *       search limit, apart from the general one), 429 with HubSpot's {@code RATE_LIMIT} body
 *       ({@code policyName: SECONDLY}) and {@code Retry-After: 1};</li>
 *   <li>{@code POST /crm/v3/objects/contacts/batch/read}: up to 100 {@code inputs} ({@code id}),
 *       read by {@code idProperty} (a unique property: {@code email}, compared case-insensitively)
 *       or by record id; 200 with the contacts found, 207 with an {@code OBJECT_NOT_FOUND} error
 *       naming the ids it has none of in {@code context.ids};</li>
 *   <li>{@code POST /crm/v3/objects/contacts/batch/create}: up to 100 {@code inputs}
 *       ({@code properties}, {@code associations}, {@code objectWriteTraceId}), each result carrying
 *       its input's {@code objectWriteTraceId}; invalid ones named in 207's {@code errors[]} by it;</li>
 *   <li>{@code POST /crm/v3/objects/contacts/batch/update}: up to 100 {@code inputs}
 *       ({@code id}, {@code properties}); 200 when all were written, else 207 Multi-Status with
 *       {@code errors[]}, each naming the refused ids in {@code context.ids}; more than 100 inputs 400;</li>
 *   <li>a contact's associations to the portal's companies ({@link HubSpotAssociationStore}): a
 *       create's {@code associations[]} (400 for a type HubSpot does not define from contacts to
 *       companies, or a company the portal lacks), {@code ?associations=companies} on reads, and
 *       {@code GET}, {@code PUT} and {@code DELETE} of
 *       {@code /crm/v4/objects/contacts/{id}/associations/companies[/{companyId}]};</li>
 *   <li>{@code GET /crm/v3/objects/companies/{id}} and {@code GET /crm/v3/objects/deals/{id}} (or
 *       {@code /crm/v3/objects/0-3/{id}}, deals by their object type id): 200 and
 *       the record, a deal with its associations to its company and contact when asked
 *       ({@code ?associations=companies,contacts}, {@link HubSpotDealStore}); 404 {@code OBJECT_NOT_FOUND};</li>
 *   <li>400 {@code VALIDATION_ERROR} for an unknown property, an invalid e-mail or a
 *       lifecycle stage that is not one of HubSpot's options, with HubSpot's error body;</li>
 *   <li>401 {@code INVALID_AUTHENTICATION} unless the request carries an accepted credential
 *       (a private-app bearer token by default);</li>
 *   <li>{@code GET /crm/v3/properties/{contacts|companies|deals}} (or their object type ids, {@code 0-1} …): the portal's property
 *       definitions of the object, which tests change ({@link #deleteProperty}, {@link #createProperty});</li>
 *   <li>{@code POST /oauth/token}: an OAuth 2.0 client-credentials token endpoint (RFC 6749
 *       §4.4, client authenticated with HTTP Basic). HubSpot itself has no such grant for the
 *       CRM; this stands for a provider that does.</li>
 * </ul>
 * Tests script failures for the next API requests (429 with {@code Retry-After}, 5xx, a
 * request that never gets an answer) and read what the stub received, with arrival times.
 */
public final class HubSpotStub implements AutoCloseable {

    public static final String CONTACTS = "/crm/v3/objects/contacts";
    public static final String COMPANIES = "/crm/v3/objects/companies";
    public static final String DEALS = "/crm/v3/objects/deals";
    /** Deals by their object type id, as HubSpot's published description addresses them (HubSpot takes either path). */
    public static final String DEALS_BY_TYPE = "/crm/v3/objects/0-3";
    /** HubSpot's v4 associations API of one record: {@code /crm/v4/objects/{object}/{id}/associations/{toObject}[/{toId}]}. */
    public static final String ASSOCIATIONS = "/crm/v4/objects";
    public static final String TOKEN_PATH = "/oauth/token";
    /** HubSpot's object type ids, which its APIs take in place of the objects' names. */
    static final Map<String, String> OBJECT_TYPE_IDS = Map.of("0-1", "contacts", "0-2", "companies", "0-3", "deals");
    /** HubSpot's properties API: {@code GET /crm/v3/properties/{objectType}}, the portal's property definitions of an object. */
    public static final String PROPERTIES_API = "/crm/v3/properties";

    /** HubSpot's default contact properties used by the tests, plus the portal's custom ones the tests define. */
    static final Set<String> PROPERTIES = Set.of("email", "firstname", "lastname", "phone", "company",
            "lifecyclestage", "crm_contact_id", "shop_member_id");
    static final List<String> LIFECYCLE_STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the stub received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, Instant at, String query) {

        public Received(String method, String path, Map<String, List<String>> headers, String body, Instant at) {
            this(method, path, headers, body, at, null);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, Map.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Scripted(int status, Map<String, String> headers, String body, boolean hang) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** Numeric ids like HubSpot's, never reused by a later stub (a test database may outlive it). */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private final Map<String, Map<String, Object>> contacts = new ConcurrentHashMap<>();
    private final HubSpotAssociationStore associations = new HubSpotAssociationStore();
    private final HubSpotDealStore deals = new HubSpotDealStore();
    private final Set<String> acceptedCredentials = ConcurrentHashMap.newKeySet();
    /** The portal's properties of each object: HubSpot's defaults the tests use and the custom ones they define. */
    private final Map<String, Set<String>> definitions = new ConcurrentHashMap<>(Map.of(
            "contacts", ConcurrentHashMap.newKeySet(), "companies", ConcurrentHashMap.newKeySet(), "deals", ConcurrentHashMap.newKeySet()));

    {
        definitions.get("contacts").addAll(PROPERTIES);
        definitions.get("companies").addAll(Set.of("name", "domain", "hs_object_id"));
        definitions.get("deals").addAll(Set.of("dealname", "amount", "dealstage", "hs_object_id"));
    }
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    /** When the searches of the last second were answered: HubSpot allows {@value #SEARCHES_A_SECOND}. */
    private final Deque<Instant> searches = new java.util.ArrayDeque<>();
    static final int SEARCHES_A_SECOND = 5;
    private volatile long tokenLifetimeSeconds = 1800;

    private HubSpotStub(HttpServer server) {
        this.server = server;
    }

    private volatile boolean down;

    public static HubSpotStub start() {
        try {
            HubSpotStub stub = new HubSpotStub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            stub.server.createContext(CONTACTS, stub::contacts);
            stub.server.createContext(ASSOCIATIONS, stub::associations);
            stub.server.createContext(COMPANIES, stub::companiesAndDeals);
            stub.server.createContext(DEALS, stub::companiesAndDeals);
            stub.server.createContext(DEALS_BY_TYPE, stub::companiesAndDeals);
            stub.server.createContext(TOKEN_PATH, stub::token);
            stub.server.createContext(PROPERTIES_API, stub::propertyDefinitions);
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

    /**
     * The {@code X-HubSpot-Signature-v3} HubSpot sends with a webhook request: base64 HMAC-SHA256 of
     * method, URL, body and {@code X-HubSpot-Request-Timestamp}, with the app's client secret.
     */
    public static String signatureV3(String secret, String method, String url, String body, String timestamp) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((method + url + body + timestamp).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- what the stub accepts ---------------------------------------------------------------

    /** A private-app access token: {@code Authorization: Bearer <token>}. */
    public HubSpotStub acceptBearer(String token) {
        return acceptHeader("Authorization", "Bearer " + token);
    }

    public HubSpotStub acceptBasic(String user, String password) {
        return acceptHeader("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Any header credential, such as an API key header. */
    public HubSpotStub acceptHeader(String name, String value) {
        acceptedCredentials.add(name.toLowerCase(java.util.Locale.ROOT) + ": " + value);
        return this;
    }

    /** No longer accepts this private-app token (401 {@code INVALID_AUTHENTICATION}), as after the app's token was rotated. */
    public HubSpotStub refuseBearer(String token) {
        acceptedCredentials.remove("authorization: Bearer " + token);
        return this;
    }

    /** Deletes the portal's property {@code name} of {@code object} ({@code contacts}): writes naming it are refused. */
    public HubSpotStub deleteProperty(String object, String name) {
        definitions.get(object).remove(name);
        return this;
    }

    /** Creates the portal's property {@code name} of {@code object}. */
    public HubSpotStub createProperty(String object, String name) {
        definitions.get(object).add(name);
        return this;
    }

    /** An OAuth client whose tokens last {@code lifetime}. */
    public HubSpotStub registerClient(String clientId, String clientSecret, Duration lifetime) {
        clients.put(clientId, clientSecret);
        tokenLifetimeSeconds = lifetime.toSeconds();
        return this;
    }

    /** Every token issued so far stops working (as when it expires early or is revoked). */
    public void revokeIssuedTokens() {
        issuedTokens.forEach(token -> acceptedCredentials.remove("authorization: Bearer " + token));
    }

    /** A contact stored as if created earlier (nothing recorded as received); @return its id */
    public String add(Map<String, Object> properties) {
        String id = Long.toString(ids.incrementAndGet());
        contacts.put(id, new LinkedHashMap<>(properties));
        return id;
    }

    /** A company stored as if created earlier (nothing recorded as received); @return its id */
    public String addCompany(Map<String, Object> properties) {
        String id = Long.toString(ids.incrementAndGet());
        associations.addCompany(id, properties);
        return id;
    }

    /**
     * A deal stored as if created earlier, associated to its contact and (as its primary company) to
     * its company, either may be null; @return its id
     */
    public String addDeal(Map<String, Object> properties, String contact, String company) {
        String id = Long.toString(ids.incrementAndGet());
        deals.add(id, properties, contact, company);
        return id;
    }

    /** The contact's associated companies, each with its association type ids (1 primary, 279 unlabeled). */
    public Map<String, Set<Integer>> companiesOf(String contact) {
        return associations.of(contact);
    }

    /** The contact associated to the company with the type, as if done earlier in HubSpot. */
    public void associate(String contact, String company, int typeId) {
        associations.associate(contact, company, typeId);
    }

    // --- scripted failures of the next API requests -----------------------------------------

    /** The next API request gets HubSpot's 429, with {@code Retry-After: seconds}. */
    public HubSpotStub rateLimitNext(long retryAfterSeconds) {
        script.add(new Scripted(429, Map.of("Retry-After", String.valueOf(retryAfterSeconds)), error(
                "You have reached your secondly limit.", Map.of("errorType", "RATE_LIMIT", "policyName", "SECONDLY")), false));
        return this;
    }

    /**
     * The next API request gets HubSpot's 429 for its ten-secondly rolling limit, with its rate
     * headers ({@code X-HubSpot-RateLimit-Max}, {@code -Remaining}, {@code -Interval-Milliseconds})
     * and no {@code Retry-After}.
     */
    public HubSpotStub tenSecondlyLimitNext() {
        script.add(new Scripted(429, Map.of("X-HubSpot-RateLimit-Max", "100", "X-HubSpot-RateLimit-Remaining", "0",
                "X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Daily", "250000",
                "X-HubSpot-RateLimit-Daily-Remaining", "249000"),
                error("You have reached your ten_secondly_rolling limit.",
                        Map.of("errorType", "RATE_LIMIT", "policyName", "TEN_SECONDLY_ROLLING")),
                false));
        return this;
    }

    /** The next API request gets {@code status} with HubSpot's error body. */
    public HubSpotStub failNext(int status) {
        script.add(new Scripted(status, Map.of(), error("internal error", "INTERNAL_ERROR"), false));
        return this;
    }

    /** The next API request gets {@code status} with these headers and body. */
    public HubSpotStub respondNext(int status, Map<String, String> headers, String body) {
        script.add(new Scripted(status, headers, body, false));
        return this;
    }

    /**
     * While {@code down}, every API request gets 503 with HubSpot's error body, as during an
     * outage; afterwards the API answers again.
     */
    public HubSpotStub down(boolean down) {
        this.down = down;
        return this;
    }

    /** The next API request is read and never answered (until the stub closes). */
    public HubSpotStub hangNext() {
        script.add(new Scripted(0, Map.of(), "", true));
        return this;
    }

    // --- what the stub received -------------------------------------------------------------

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Forgets the requests received so far (a class whose calls other classes on the same stub do not check). */
    public void forgetReceived() {
        received.clear();
    }

    /** Requests to {@code path} (exactly, or records under it when it ends with {@code /}). */
    public List<Received> received(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method)
                && (path.endsWith("/") ? r.path().startsWith(path) : r.path().equals(path))).toList();
    }

    public List<Received> tokenRequests() {
        return received("POST", TOKEN_PATH);
    }

    /** The contact is gone from HubSpot behind Syncline's back (deleted by a person); @return whether it was there */
    public boolean forget(String id) {
        return contacts.remove(id) != null;
    }

    /** The ids of the stored contacts whose {@code property} is {@code value}. */
    public List<String> find(String property, String value) {
        return contacts.entrySet().stream().filter(contact -> value.equals(contact.getValue().get(property)))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The stored contact's properties, or null. */
    public Map<String, Object> contact(String id) {
        return contacts.get(id);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // --- the API ------------------------------------------------------------------------------

    /**
     * Records the request, then answers what comes before the API itself: an outage, a scripted
     * answer, a missing credential; @return whether it answered
     */
    private boolean answeredBefore(HttpExchange exchange, String body, String path) throws IOException {
        received.add(new Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body,
                Instant.now(), exchange.getRequestURI().getRawQuery()));
        if (down) {
            send(exchange, 503, error("Service Unavailable", "SERVICE_UNAVAILABLE"));
            return true;
        }
        Scripted next = script.poll();
        if (next != null) {
            if (next.hang()) {
                awaitClose();
                return true;
            }
            next.headers().forEach(exchange.getResponseHeaders()::add);
            send(exchange, next.status(), next.body());
            return true;
        }
        if (!authorised(exchange)) {
            send(exchange, 401, error("Authentication credentials not found. This API supports OAuth 2.0 authentication"
                    + " and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    "INVALID_AUTHENTICATION"));
            return true;
        }
        return false;
    }

    private void contacts(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            if (answeredBefore(exchange, body, path)) {
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals(CONTACTS + "/search")) {
                if (!searchAllowed()) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    send(exchange, 429, error("You have reached your secondly limit.",
                            Map.of("errorType", "RATE_LIMIT", "policyName", "SECONDLY")));
                    return;
                }
                search(exchange, body);
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals(CONTACTS + "/batch/read")) {
                batchRead(exchange, body);
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals(CONTACTS + "/batch/create")) {
                batchCreate(exchange, body);
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals(CONTACTS + "/batch/update")) {
                batchUpdate(exchange, body);
                return;
            }
            String id = path.length() > CONTACTS.length() + 1
                    ? URLDecoder.decode(path.substring(CONTACTS.length() + 1), StandardCharsets.UTF_8) : null;
            switch (exchange.getRequestMethod() + (id == null ? " collection" : " item")) {
                case "POST collection" -> create(exchange, body);
                case "GET collection" -> list(exchange);
                case "GET item" -> {
                    if (contacts.containsKey(id)) {
                        send(exchange, 200, contactJson(id, asksCompanies(exchange)));
                    } else {
                        send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
                    }
                }
                case "PATCH item" -> update(exchange, id, body);
                case "DELETE item" -> {
                    if (contacts.remove(id) == null) {
                        send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
                    } else {
                        send(exchange, 204, null);
                    }
                }
                default -> send(exchange, 405, error("HTTP method not allowed", "VALIDATION_ERROR"));
            }
        }
    }

    /** The read API of companies and deals: a record by id, with its associations when asked. */
    private void companiesAndDeals(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            if (answeredBefore(exchange, body, path)) {
                return;
            }
            boolean deal = path.startsWith(DEALS + "/") || path.startsWith(DEALS_BY_TYPE + "/");
            String prefix = path.startsWith(DEALS_BY_TYPE + "/") ? DEALS_BY_TYPE : deal ? DEALS : COMPANIES;
            String id = path.length() > prefix.length() + 1
                    ? URLDecoder.decode(path.substring(prefix.length() + 1), StandardCharsets.UTF_8) : null;
            if (!exchange.getRequestMethod().equals("GET") || id == null) {
                send(exchange, 405, error("HTTP method not allowed", "VALIDATION_ERROR"));
                return;
            }
            if (deal ? !deals.has(id) : !associations.hasCompany(id)) {
                send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
                return;
            }
            Map<String, Object> record = objectJson(id, deal ? deals.properties(id) : associations.company(id));
            Map<String, Object> associated = deal ? deals.v3(id, askedAssociations(exchange)) : null;
            if (associated != null) {
                record.put("associations", associated);
            }
            send(exchange, 200, JSON.writeValueAsString(record));
        }
    }

    /** A record as the v3 objects API answers it: its properties with {@code hs_object_id} and dates. */
    private static Map<String, Object> objectJson(String id, Map<String, Object> stored) {
        String now = Instant.now().toString();
        Map<String, Object> properties = new LinkedHashMap<>(stored);
        properties.put("hs_object_id", id);
        properties.put("hs_lastmodifieddate", now);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("properties", properties);
        record.put("createdAt", now);
        record.put("updatedAt", now);
        record.put("archived", false);
        return record;
    }

    private void create(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> properties = properties(exchange, body);
        if (properties == null) {
            return;
        }
        Object email = properties.get("email");
        for (var contact : contacts.entrySet()) {
            if (email != null && email.equals(contact.getValue().get("email"))) {
                send(exchange, 409, error("Contact already exists. Existing ID: " + contact.getKey(), "CONFLICT"));
                return;
            }
        }
        List<String[]> associated = associationsToCreate(exchange, body);
        if (associated == null) {
            return;
        }
        String id = String.valueOf(ids.incrementAndGet()); // as add() does: never an id given before
        contacts.put(id, new LinkedHashMap<>(properties));
        associated.forEach(association -> associations.associate(id, association[0], Integer.parseInt(association[1])));
        send(exchange, 201, contactJson(id));
    }

    private void update(HttpExchange exchange, String id, String body) throws IOException {
        Map<String, Object> stored = contacts.get(id);
        if (stored == null) {
            send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
            return;
        }
        Map<String, Object> properties = properties(exchange, body);
        if (properties != null) {
            stored.putAll(properties);
            send(exchange, 200, contactJson(id));
        }
    }

    /** The body's properties when HubSpot would accept them; otherwise answers 400 and returns null. */
    private Map<String, Object> properties(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> input;
        try {
            input = JSON.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            send(exchange, 400, error("Invalid input JSON on line 1: " + e.getMessage(), "VALIDATION_ERROR"));
            return null;
        }
        if (!(input.get("properties") instanceof Map<?, ?> raw)) {
            send(exchange, 400, error("Invalid input JSON: properties is required", "VALIDATION_ERROR"));
            return null;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        raw.forEach((name, value) -> properties.put(String.valueOf(name), value == null ? null : String.valueOf(value)));
        List<Map<String, Object>> invalid = invalid(properties);
        if (!invalid.isEmpty()) {
            send(exchange, 400, error("Property values were not valid: " + JSON.writeValueAsString(invalid), "VALIDATION_ERROR"));
            return null;
        }
        return properties;
    }

    /** What HubSpot finds wrong with the properties: unknown ones, an invalid e-mail, a stage not among the options. */
    private List<Map<String, Object>> invalid(Map<String, Object> properties) {
        List<Map<String, Object>> invalid = new ArrayList<>();
        properties.forEach((name, value) -> {
            if (!definitions.get("contacts").contains(name)) {
                invalid.add(invalid(name, "Property \"" + name + "\" does not exist", "PROPERTY_DOESNT_EXIST"));
            } else if (name.equals("email") && value != null && !EMAIL.matcher(value.toString()).matches()) {
                invalid.add(invalid(name, "Email address " + value + " is invalid", "INVALID_EMAIL"));
            } else if (name.equals("lifecyclestage") && value != null && !LIFECYCLE_STAGES.contains(value.toString())) {
                invalid.add(invalid(name, value + " was not one of the allowed options: " + LIFECYCLE_STAGES, "INVALID_OPTION"));
            }
        });
        return invalid;
    }

    @SuppressWarnings("unchecked")
    private void search(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> request = JSON.readValue(body, new TypeReference<>() {
        });
        List<Map<String, Object>> groups = (List<Map<String, Object>>) request.getOrDefault("filterGroups", List.of());
        List<String> found = new ArrayList<>();
        for (var contact : new java.util.TreeMap<>(contacts).entrySet()) {
            boolean matches = groups.stream().anyMatch(group -> ((List<Map<String, Object>>) group.get("filters")).stream()
                    .allMatch(filter -> "EQ".equals(filter.get("operator")) && filter.get("value") != null
                            && filter.get("value").toString().equalsIgnoreCase(
                                    String.valueOf(contact.getValue().get(String.valueOf(filter.get("propertyName")))))));
            if (matches) {
                found.add(contact.getKey());
            }
        }
        StringBuilder answer = new StringBuilder("{\"total\":" + found.size() + ",\"results\":[");
        for (int i = 0; i < found.size(); i++) {
            answer.append(i == 0 ? "" : ",").append(contactJson(found.get(i)));
        }
        send(exchange, 200, answer.append("]}").toString());
    }

    /** Whether a search may be answered now: fewer than five in the last second; counted when it is. */
    private boolean searchAllowed() {
        synchronized (searches) {
            Instant now = Instant.now();
            while (!searches.isEmpty() && !searches.peekFirst().isAfter(now.minusSeconds(1))) {
                searches.pollFirst();
            }
            if (searches.size() >= SEARCHES_A_SECOND) {
                return false;
            }
            searches.addLast(now);
            return true;
        }
    }

    /** {@code batch/read}: the contacts of the inputs' ids, by {@code idProperty} when it names one, else by record id. */
    @SuppressWarnings("unchecked")
    private void batchRead(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> request = JSON.readValue(body, new TypeReference<>() {
        });
        List<Map<String, Object>> inputs = inputs(exchange, request);
        if (inputs == null) {
            return;
        }
        Object idProperty = request.get("idProperty");
        if (idProperty != null && !"email".equals(idProperty) && !"hs_object_id".equals(idProperty)) {
            send(exchange, 400, error("Property " + idProperty + " is not a unique identifier property", "VALIDATION_ERROR"));
            return;
        }
        String startedAt = Instant.now().toString();
        List<String> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            String asked = String.valueOf(input.get("id"));
            String id = idProperty == null || "hs_object_id".equals(idProperty) ? (contacts.containsKey(asked) ? asked : null)
                    : contacts.entrySet().stream().filter(contact -> asked.equalsIgnoreCase(
                            String.valueOf(contact.getValue().get("email")))).map(Map.Entry::getKey).findFirst().orElse(null);
            if (id == null) {
                missing.add(asked);
            } else {
                results.add(contactJson(id));
            }
        }
        String errors = "";
        if (!missing.isEmpty()) {
            Map<String, Object> error = batchError("Could not get some CONTACT objects, they may be deleted or not exist."
                    + " Check that ids are valid and try again.", "OBJECT_NOT_FOUND", missing.get(0));
            error.put("context", Map.of("ids", missing));
            errors = ",\"numErrors\":1,\"errors\":" + JSON.writeValueAsString(List.of(error));
        }
        send(exchange, missing.isEmpty() ? 200 : 207, "{\"status\":\"COMPLETE\",\"results\":[" + String.join(",", results) + "]"
                + errors + ",\"startedAt\":\"" + startedAt + "\",\"completedAt\":\"" + Instant.now() + "\"}");
    }

    /** A batch call's {@code inputs}, at most 100; otherwise answers 400 and returns null. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> inputs(HttpExchange exchange, Map<String, Object> request) throws IOException {
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) request.get("inputs");
        if (inputs == null || inputs.size() > 100) {
            send(exchange, 400, error(inputs == null ? "Invalid input JSON: inputs is required"
                    : "The request contains " + inputs.size() + " inputs; the limit is 100", "VALIDATION_ERROR"));
            return null;
        }
        return inputs;
    }

    /** One input of a batch call, its properties as strings: the result's JSON, or the error (a StandardError) for it. */
    private interface BatchInput {

        Object apply(Map<String, Object> input, Map<String, Object> properties) throws IOException;
    }

    private void batchUpdate(HttpExchange exchange, String body) throws IOException {
        batch(exchange, body, 200, (input, properties) -> {
            String id = String.valueOf(input.get("id"));
            Map<String, Object> stored = contacts.get(id);
            List<Map<String, Object>> invalid = invalid(properties);
            if (stored == null) {
                return batchError("Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are"
                        + " valid and try again.", "OBJECT_NOT_FOUND", id);
            }
            if (!invalid.isEmpty()) {
                return batchError("Property values were not valid: " + JSON.writeValueAsString(invalid), "VALIDATION_ERROR", id);
            }
            stored.putAll(properties);
            return contactJson(id);
        });
    }

    private void batchCreate(HttpExchange exchange, String body) throws IOException {
        batch(exchange, body, 201, (input, properties) -> {
            List<Map<String, Object>> invalid = invalid(properties);
            String trace = String.valueOf(input.get("objectWriteTraceId"));
            if (!invalid.isEmpty()) {
                Map<String, Object> error = batchError("Property values were not valid: " + JSON.writeValueAsString(invalid),
                        "VALIDATION_ERROR", trace);
                error.put("context", Map.of("objectWriteTraceId", List.of(trace)));
                return error;
            }
            String id = String.valueOf(ids.incrementAndGet());
            contacts.put(id, properties);
            Map<String, Object> created = JSON.readValue(contactJson(id), new TypeReference<>() {
            });
            created.put("objectWriteTraceId", trace);
            return JSON.writeValueAsString(created);
        });
    }

    /**
     * A batch call: up to 100 {@code inputs}, each settled on its own; answered {@code success} when
     * none failed, else 207 Multi-Status with {@code errors[]}.
     */
    @SuppressWarnings("unchecked")
    private void batch(HttpExchange exchange, String body, int success, BatchInput each) throws IOException {
        Map<String, Object> request = JSON.readValue(body, new TypeReference<>() {
        });
        List<Map<String, Object>> inputs = inputs(exchange, request);
        if (inputs == null) {
            return;
        }
        String startedAt = Instant.now().toString();
        List<String> results = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            Map<String, Object> properties = new LinkedHashMap<>();
            ((Map<String, Object>) input.getOrDefault("properties", Map.of()))
                    .forEach((name, value) -> properties.put(name, value == null ? null : String.valueOf(value)));
            Object outcome = each.apply(input, properties);
            if (outcome instanceof String result) {
                results.add(result);
            } else {
                errors.add(outcome);
            }
        }
        String answer = "{\"status\":\"COMPLETE\",\"results\":[" + String.join(",", results) + "]"
                + (errors.isEmpty() ? "" : ",\"numErrors\":" + errors.size() + ",\"errors\":" + JSON.writeValueAsString(errors))
                + ",\"startedAt\":\"" + startedAt + "\",\"completedAt\":\"" + Instant.now() + "\"}";
        send(exchange, errors.isEmpty() ? success : 207, answer);
    }

    /** An entry of a batch answer's {@code errors[]}: HubSpot's StandardError naming the refused id. */
    private static Map<String, Object> batchError(String message, String category, String id) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("category", category);
        error.put("message", message);
        error.put("context", new LinkedHashMap<>(Map.of("ids", List.of(id))));
        error.put("errors", List.of());
        error.put("links", Map.of());
        return error;
    }

    private static Map<String, Object> invalid(String name, String message, String error) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("isValid", false);
        problem.put("message", message);
        problem.put("error", error);
        problem.put("name", name);
        return problem;
    }

    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int equals = pair.indexOf('=');
            query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        int limit = Math.min(100, Integer.parseInt(query.getOrDefault("limit", "10")));
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        List<Long> ids = contacts.keySet().stream().map(Long::parseLong).filter(id -> id > after).sorted().toList();
        StringBuilder page = new StringBuilder("{\"results\":[");
        for (int i = 0; i < Math.min(limit, ids.size()); i++) {
            page.append(i == 0 ? "" : ",").append(contactJson(Long.toString(ids.get(i)), asksCompanies(exchange)));
        }
        page.append("]");
        if (ids.size() > limit) {
            page.append(",\"paging\":{\"next\":{\"after\":\"").append(ids.get(limit - 1)).append("\"}}");
        }
        send(exchange, 200, page.append("}").toString());
    }

    private String contactJson(String id) throws IOException {
        return contactJson(id, false);
    }

    /** The contact as HubSpot answers it; with its {@code associations} to companies when asked and it has any. */
    private String contactJson(String id, boolean withCompanies) throws IOException {
        String now = Instant.now().toString();
        Map<String, Object> properties = new LinkedHashMap<>(contacts.get(id));
        properties.put("hs_object_id", id);
        properties.put("lastmodifieddate", now);
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("properties", properties);
        contact.put("createdAt", now);
        contact.put("updatedAt", now);
        contact.put("archived", false);
        Map<String, Object> associated = withCompanies ? associations.v3(id) : null;
        if (associated != null) {
            contact.put("associations", associated);
        }
        return JSON.writeValueAsString(contact);
    }

    /** Whether a read asks for the contacts' companies ({@code associations=companies}; HubSpot takes the singular too). */
    private static boolean asksCompanies(HttpExchange exchange) {
        return askedAssociations(exchange).contains("companies");
    }

    /** The objects a read asks for associations to ({@code associations=companies,contacts}), in the plural whichever was sent. */
    private static Set<String> askedAssociations(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        Set<String> objects = new java.util.HashSet<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("associations=")) {
                for (String object : URLDecoder.decode(pair.substring("associations=".length()), StandardCharsets.UTF_8).split(",")) {
                    objects.add(switch (object) {
                        case "company" -> "companies";
                        case "contact", "deal" -> object + "s";
                        default -> object;
                    });
                }
            }
        }
        return objects;
    }

    /**
     * A create's {@code associations[]} as {@code [companyId, typeId]} pairs: each {@code to.id} a
     * company of the portal, each type one HubSpot defines from contacts to companies; otherwise
     * answers 400 as HubSpot does and returns null.
     */
    @SuppressWarnings("unchecked")
    private List<String[]> associationsToCreate(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> input = JSON.readValue(body, new TypeReference<>() {
        });
        List<String[]> pairs = new ArrayList<>();
        for (Map<String, Object> association : (List<Map<String, Object>>) input.getOrDefault("associations", List.of())) {
            String to = String.valueOf(((Map<String, Object>) association.getOrDefault("to", Map.of())).get("id"));
            for (Map<String, Object> type : (List<Map<String, Object>>) association.getOrDefault("types", List.of())) {
                Object typeId = type.get("associationTypeId");
                if (!"HUBSPOT_DEFINED".equals(type.get("associationCategory")) || !(typeId instanceof Number number)
                        || !HubSpotAssociationStore.contactToCompany(number.intValue())) {
                    send(exchange, 400, error("Association type " + type + " is not defined from contacts to companies",
                            "VALIDATION_ERROR"));
                    return null;
                }
                if (!associations.hasCompany(to)) {
                    send(exchange, 400, error("One or more associations are invalid: no COMPANY " + to, "VALIDATION_ERROR"));
                    return null;
                }
                pairs.add(new String[]{to, String.valueOf(number.intValue())});
            }
        }
        return pairs;
    }

    /**
     * The v4 associations of a contact to companies: {@code GET …/contacts/{id}/associations/companies}
     * (one page), {@code PUT …/companies/{toId}} with {@code [{associationCategory, associationTypeId}]}
     * (201), {@code DELETE …/companies/{toId}} (204). Object types by name, singular or plural.
     */
    @SuppressWarnings("unchecked")
    private void associations(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            if (answeredBefore(exchange, body, path)) {
                return;
            }
            String[] parts = path.substring(ASSOCIATIONS.length() + 1).split("/");
            if (parts.length < 4 || !parts[2].equals("associations") || !List.of("contact", "contacts").contains(parts[0])
                    || !List.of("company", "companies").contains(parts[3])) {
                send(exchange, 400, error("Only associations of contacts to companies are in this portal", "VALIDATION_ERROR"));
                return;
            }
            String contact = parts[1];
            if (!contacts.containsKey(contact)) {
                send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
                return;
            }
            String company = parts.length > 4 ? URLDecoder.decode(parts[4], StandardCharsets.UTF_8) : null;
            switch (exchange.getRequestMethod() + (company == null ? " list" : " pair")) {
                case "GET list" -> send(exchange, 200, JSON.writeValueAsString(associations.v4(contact)));
                case "PUT pair" -> {
                    if (!associations.hasCompany(company)) {
                        send(exchange, 404, error("resource not found", "OBJECT_NOT_FOUND"));
                        return;
                    }
                    List<Map<String, Object>> types = JSON.readValue(body, List.class);
                    for (Map<String, Object> type : types) {
                        if (!(type.get("associationTypeId") instanceof Number number)
                                || !HubSpotAssociationStore.contactToCompany(number.intValue())) {
                            send(exchange, 400, error("Association type " + type + " is not defined from contacts to companies",
                                    "VALIDATION_ERROR"));
                            return;
                        }
                    }
                    types.forEach(type -> associations.associate(contact, company, ((Number) type.get("associationTypeId")).intValue()));
                    Set<Integer> now = associations.of(contact).getOrDefault(company, Set.of());
                    send(exchange, 201, JSON.writeValueAsString(Map.of("fromObjectTypeId", "0-1", "fromObjectId", contact,
                            "toObjectTypeId", "0-2", "toObjectId", company,
                            "labels", now.contains(HubSpotAssociationStore.PRIMARY) ? List.of("Primary") : List.of())));
                }
                case "DELETE pair" -> {
                    associations.remove(contact, company);
                    send(exchange, 204, null);
                }
                default -> send(exchange, 405, error("HTTP method not allowed", "VALIDATION_ERROR"));
            }
        }
    }

    private boolean authorised(HttpExchange exchange) {
        return exchange.getRequestHeaders().entrySet().stream().anyMatch(header -> header.getValue().stream()
                .anyMatch(value -> acceptedCredentials.contains(header.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + value)));
    }

    // --- the properties API -------------------------------------------------------------------

    /**
     * {@code GET /crm/v3/properties/{objectType}}: 200 with {@code results[]}, each property's
     * {@code name}, {@code label}, {@code type} and {@code fieldType} (every one a string here);
     * 404 {@code OBJECT_NOT_FOUND} for an object the portal has not.
     */
    private void propertyDefinitions(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            if (answeredBefore(exchange, body, path)) {
                return;
            }
            String object = path.substring(PROPERTIES_API.length() + 1);
            Set<String> defined = definitions.get(OBJECT_TYPE_IDS.getOrDefault(object, object));
            if (!exchange.getRequestMethod().equals("GET") || defined == null) {
                send(exchange, 404, error("Unable to infer object type from: " + path, "OBJECT_NOT_FOUND"));
                return;
            }
            List<Map<String, Object>> results = defined.stream().sorted().map(name -> Map.<String, Object>of("name", name,
                    "label", name, "type", "string", "fieldType", "text", "groupName", "contactinformation")).toList();
            send(exchange, 200, JSON.writeValueAsString(Map.of("results", results)));
        }
    }

    // --- the OAuth 2.0 token endpoint ---------------------------------------------------------

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            String[] client = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
            if (client == null || !client[1].equals(clients.get(client[0]))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token\"");
                send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
                return;
            }
            if (!form(body).getOrDefault("grant_type", "").equals("client_credentials")) {
                send(exchange, 400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Only client_credentials is supported\"}");
                return;
            }
            String token = "at-" + UUID.randomUUID();
            issuedTokens.add(token);
            acceptBearer(token);
            send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + tokenLifetimeSeconds + "}");
        }
    }

    /** {@code [clientId, clientSecret]} of {@code Basic base64(urlencoded id:urlencoded secret)} (RFC 6749 §2.3.1). */
    private static String[] basicCredentials(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[]{URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    // --- plumbing -----------------------------------------------------------------------------

    /** HubSpot's error body: {@code {"status":"error","message":…,"correlationId":…,"category":…}}. */
    public static String error(String message, String category) {
        return error(message, Map.of("category", category));
    }

    private static String error(String message, Map<String, String> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("message", message);
        error.put("correlationId", UUID.randomUUID().toString());
        error.putAll(details);
        try {
            return JSON.writeValueAsString(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void awaitClose() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
