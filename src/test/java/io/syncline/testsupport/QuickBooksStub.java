package io.syncline.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QuickBooks Online's Accounting API (v3) for the Customer and Invoice entities (and reads of Items),
 * in the test JVM, written from Intuit's published reference (developer.intuit.com: "Customer",
 * "Invoice" and "Item" entities, "Data queries", "Error codes", "Rate limits"). Intuit publishes no
 * OpenAPI description of the Accounting API; the third-party ones found (generated for client
 * libraries) are neither Intuit's nor maintained, so this stub follows the reference pages and
 * their example payloads instead.
 * <ul>
 *   <li>every call: {@code Authorization: Bearer} with an access token the {@link IntuitOAuthStub}
 *       issued and has not expired, else 401 with an {@code AuthenticationFailed} Fault; the path's
 *       company must be {@link IntuitOAuthStub#REALM_ID};</li>
 *   <li>{@code POST /v3/company/{realmId}/customer} without {@code Id}: a create; at least one name
 *       member, else DisplayName is made of GivenName and FamilyName; a DisplayName in use answers 400
 *       {@code 6240 Duplicate Name Exists Error}; a member a Customer does not have answers 400
 *       {@code 2010}; the answer {@code {"Customer": {…, "Id", "SyncToken": "0"}, "time"}};</li>
 *   <li>the same with {@code Id}: an update, {@code sparse: true} changing only the members sent; the
 *       {@code SyncToken} must be the record's current one, else 400 {@code 5010 Stale Object Error};
 *       each update adds one to it;</li>
 *   <li>{@code POST /v3/company/{realmId}/invoice}, a create or a (sparse) update as for a customer,
 *       checked and completed by {@link QuickBooksInvoiceRules}: its {@code CustomerRef} and each
 *       line's {@code ItemRef} must name a customer and an item the company has, else 400
 *       {@code 2500 Invalid Reference Id}; a {@code Line} sent replaces the invoice's lines whole,
 *       sparse or not; {@code POST …/invoice?operation=delete} with {@code Id} and {@code SyncToken}
 *       deletes it (a customer cannot be deleted: 400 {@code 500 Unsupported Operation});</li>
 *   <li>{@code POST /v3/company/{realmId}/payment} without {@code Id} ("Payment" entity): a create, its
 *       {@code CustomerRef} and {@code TotalAmt} required (400 {@code 2020} without), each line an
 *       {@code Amount} applied to the transactions its {@code LinkedTxn} names ({@code TxnType}
 *       {@code Invoice}: an invoice of the same customer, else 400 {@code 2500}); the line's amount
 *       lowers that invoice's {@code Balance} (0 is paid, and the invoice then names the payment in its
 *       {@code LinkedTxn}); more than the invoice's balance is refused (400 {@code 6000}, as QuickBooks
 *       answers a payment line over what is due); the rest of {@code TotalAmt} is the payment's
 *       {@code UnappliedAmt}; payments are created only (an update answers 400 {@code 2010});</li>
 *   <li>{@code GET /v3/company/{realmId}/{customer|invoice|item|payment}/{id}}: {@code {"Customer": {…},
 *       "time"}}; an unknown id 400 {@code 610 Object Not Found}; items are only read (a test adds them);</li>
 *   <li>{@code GET /v3/company/{realmId}/query?query=select * from Customer [where P = 'v']
 *       [STARTPOSITION n] [MAXRESULTS m]} (or from Invoice, Item): {@code {"QueryResponse":
 *       {"Customer": […], "startPosition", "maxResults"}, "time"}} in Id order ({@code Customer} left
 *       out when none), MAXRESULTS 100 by default and 1000 at most; string literals in single quotes,
 *       {@code \'} a quote within; anything else 400 {@code 4000 QueryParserError};</li>
 *   <li>{@code select * from Customer where Id in ('1', '2') [MAXRESULTS m]}: those customers (or
 *       invoices);</li>
 *   <li>{@code POST /v3/company/{realmId}/batch} ("Batch operation"): {@code {"BatchItemRequest":
 *       [{"bId", "operation": "create"|"update", "Customer" or "Invoice": {…}}]}}, each item saved as
 *       its own request would be, answered 200 {@code {"BatchItemResponse": [{"bId", "Customer": {…}}
 *       or {"bId", "Fault": {…}}], "time"}};</li>
 *   <li>a write (create, update, delete, batch) with a {@code requestid} query parameter (at most 50
 *       characters; a batch's at most 36, each {@code bId} then at most 10): the first with that
 *       requestid in the company is applied; any later one is answered as the first was and applies
 *       nothing ("Request ID", Intuit's idempotency for a client that lost an answer);</li>
 *   <li>429 with a {@code ThrottleExceeded} Fault (code 3001, no Retry-After: Intuit documents none)
 *       for the next requests a test asks for.</li>
 * </ul>
 * Each API request is recorded ({@link #received()}).
 */
public final class QuickBooksStub implements AutoCloseable {

    public static final String COMPANY = "/v3/company/" + IntuitOAuthStub.REALM_ID;
    public static final String CUSTOMER = COMPANY + "/customer";
    public static final String INVOICE = COMPANY + "/invoice";
    public static final String ITEM = COMPANY + "/item";
    public static final String PAYMENT = COMPANY + "/payment";
    public static final String QUERY = COMPANY + "/query";
    public static final String BATCH = COMPANY + "/batch";

    /** The members of Intuit's Customer entity the stub knows (and the request-only {@code sparse}). */
    static final Set<String> MEMBERS = Set.of("Id", "SyncToken", "sparse", "domain", "MetaData", "Title", "GivenName", "MiddleName",
            "FamilyName", "Suffix", "DisplayName", "FullyQualifiedName", "CompanyName", "PrintOnCheckName", "Active",
            "PrimaryPhone", "AlternatePhone", "Mobile", "Fax", "PrimaryEmailAddr", "WebAddr", "BillAddr", "ShipAddr", "Notes",
            "Job", "BillWithParent", "ParentRef", "Taxable", "Balance", "BalanceWithJobs", "CurrencyRef",
            "PreferredDeliveryMethod", "ResaleNum", "Level");
    private static final List<String> NAME_PARTS = List.of("Title", "GivenName", "MiddleName", "FamilyName", "Suffix");
    private static final Pattern SELECT = Pattern.compile("(?i)select \\* from (\\w+)"
            + "(?: where (\\w+) = '((?:[^'\\\\]|\\\\.)*)')?(?: startposition (\\d+))?(?: maxresults (\\d+))?");
    private static final Pattern IDS = Pattern.compile("(?i)select \\* from (\\w+) where Id in \\(((?:\\s*'\\d+'\\s*,?)+)\\)"
            + "(?: maxresults (\\d+))?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The entities the stub creates and updates (items are only read). */
    private static final Set<String> WRITTEN = Set.of("Customer", "Invoice", "Payment");
    /** The members of Intuit's Payment entity the stub knows. */
    static final Set<String> PAYMENT_MEMBERS = Set.of("Id", "SyncToken", "sparse", "domain", "MetaData", "CustomerRef", "TotalAmt",
            "Line", "TxnDate", "PaymentRefNum", "PrivateNote", "CurrencyRef", "DepositToAccountRef", "PaymentMethodRef",
            "UnappliedAmt", "ProcessPayment", "ExchangeRate", "ARAccountRef");

    /** A request as the stub received it. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The decoded query parameters. */
        public Map<String, String> parameters() {
            return StubHttp.form(query);
        }

        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, new TypeReference<>() {
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(10); // Intuit allows 10 concurrent requests
    private final Predicate<String> liveTokens;
    /** Ids like QuickBooks' (numbers as text), never reused by a later stub (a test database may outlive it). */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() % 100_000_000L);
    /** Each entity's records by Id. */
    private final Map<String, Map<Long, Map<String, Object>>> records = Map.of("Customer", new TreeMap<>(), "Invoice",
            new TreeMap<>(), "Item", new TreeMap<>(), "Payment", new TreeMap<>());
    /** What the payments' lines applied to each invoice, by its Id: its Balance is its TotalAmt less this. */
    private final Map<Long, java.math.BigDecimal> paid = new HashMap<>();
    private final Map<Long, Map<String, Object>> customers = records.get("Customer");
    private final Map<Long, Map<String, Object>> items = records.get("Item");
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger changedBetweenReadAndWrite = new AtomicInteger();
    private final AtomicInteger loseNextAnswer = new AtomicInteger();
    /** The answer of each write that carried a {@code requestid}, by it: the company's, for as long as the stub lives. */
    private final Map<String, Answer> answers = new HashMap<>();

    /** @param liveTokens whether an access token is one the authorization server issued and has not expired */
    public QuickBooksStub(Predicate<String> liveTokens) throws IOException {
        this.liveTokens = liveTokens;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v3/company/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // --- what tests arrange and read -----------------------------------------------------------

    /** A customer stored as if made in QuickBooks earlier (nothing recorded as received); @return its Id */
    public synchronized String add(Map<String, Object> members) {
        long id = ids.incrementAndGet();
        Map<String, Object> customer = new LinkedHashMap<>(members);
        customer.put("Id", Long.toString(id));
        customer.put("SyncToken", "0");
        customer.putIfAbsent("Active", true);
        customer.putIfAbsent("DisplayName", displayName(customer));
        customer.put("MetaData", metaData(null));
        customers.put(id, customer);
        return Long.toString(id);
    }

    /** The customer {@code id} as QuickBooks holds it now; null when it has none. */
    public synchronized Map<String, Object> customer(String id) {
        Map<String, Object> customer = customers.get(Long.parseLong(id));
        return customer == null ? null : new LinkedHashMap<>(customer);
    }

    /** An item (a product or service) stored as if made in QuickBooks earlier; @return its Id */
    public synchronized String addItem(String name) {
        long id = ids.incrementAndGet();
        Map<String, Object> item = new LinkedHashMap<>(Map.of("Name", name, "Type", "Service", "Active", true,
                "IncomeAccountRef", Map.of("value", "79", "name", "Sales of Product Income")));
        item.put("Id", Long.toString(id));
        item.put("SyncToken", "0");
        item.put("MetaData", metaData(null));
        items.put(id, item);
        return Long.toString(id);
    }

    /**
     * An invoice made in QuickBooks by a person (nothing recorded as received), checked and completed as a
     * create is: {@code members} with its {@code CustomerRef} and {@code Line}; @return its Id
     */
    public synchronized String addInvoice(Map<String, Object> members) {
        Answer answer = saveInvoice(new LinkedHashMap<>(members));
        if (answer.status() != 200) {
            throw new IllegalArgumentException("QuickBooks would refuse this invoice: " + answer.body());
        }
        return (String) ((Map<?, ?>) answer.body().get("Invoice")).get("Id");
    }

    /** The invoice {@code id} as QuickBooks answers it (its subtotal line last); null when it has none. */
    public synchronized Map<String, Object> invoice(String id) {
        Map<String, Object> invoice = records.get("Invoice").get(Long.parseLong(id));
        return invoice == null ? null : QuickBooksInvoiceRules.answered(invoice);
    }

    /** Every customer QuickBooks holds now, by Id. */
    public synchronized Map<String, Map<String, Object>> customers() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        customers.forEach((id, customer) -> all.put(Long.toString(id), new LinkedHashMap<>(customer)));
        return all;
    }

    /** Every invoice QuickBooks holds now, by Id, as QuickBooks answers it. */
    public synchronized Map<String, Map<String, Object>> invoices() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        records.get("Invoice").forEach((id, invoice) -> all.put(Long.toString(id), QuickBooksInvoiceRules.answered(invoice)));
        return all;
    }

    /** Someone changes the invoice in QuickBooks: its SyncToken moves on. */
    public synchronized void changeInvoiceInQuickBooks(String id, String member, Object value) {
        Map<String, Object> invoice = records.get("Invoice").get(Long.parseLong(id));
        invoice.put(member, value);
        bump(invoice);
    }

    /** The Ids of the customers whose {@code PrimaryEmailAddr.Address} is {@code email}. */
    public synchronized List<String> withEmail(String email) {
        return customers.values().stream().filter(customer -> email.equalsIgnoreCase(address(customer.get("PrimaryEmailAddr"))))
                .map(customer -> (String) customer.get("Id")).toList();
    }

    /** Someone changes the customer in QuickBooks: its SyncToken moves on. */
    public synchronized void changeInQuickBooks(String id, String member, Object value) {
        Map<String, Object> customer = customers.get(Long.parseLong(id));
        customer.put(member, value);
        bump(customer);
    }

    /** The next {@code updates} updates find the customer changed by someone else since it was read. */
    public void changeBetweenReadAndWrite(int updates) {
        changedBetweenReadAndWrite.set(updates);
    }

    /** The next write (a create, an update, a delete, a batch) is saved, but its answer never reaches the client: the connection drops. */
    public void loseNextAnswer() {
        loseNextAnswer.set(1);
    }

    /** The next {@code requests} API requests get QuickBooks' 429. */
    public void throttleNext(int requests) {
        throttleNext.set(requests);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method, String path) {
        return received.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    // --- the API ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !liveTokens.test(authorization.substring(7))) {
            fault(exchange, 401, "AUTHENTICATION", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    null);
            return;
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            fault(exchange, 429, "SERVICE", "3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                    "The request limit was reached.");
            return;
        }
        if (!path.startsWith(COMPANY + "/")) {
            fault(exchange, 403, "AUTHORIZATION", "3100", "message=ApplicationAuthorizationFailed; errorCode=003100;"
                    + " statusCode=403", "The token is not authorized for this company");
            return;
        }
        String method = exchange.getRequestMethod();
        String[] resource = path.substring(COMPANY.length() + 1).split("/", 2);
        String entity = entity(resource[0]);
        if (method.equals("GET") && path.equals(QUERY)) {
            query(exchange, StubHttp.form(exchange.getRequestURI().getRawQuery()).get("query"));
        } else if (method.equals("GET") && entity != null && resource.length == 2) {
            read(exchange, entity, resource[1]);
        } else if (method.equals("POST") && (path.equals(BATCH) || resource.length == 1 && WRITTEN.contains(entity))) {
            if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                fault(exchange, 415, "ValidationFault", "2001", "Unsupported Media Type", "Send application/json");
                return;
            }
            Map<String, Object> request = JSON.readValue(body, new TypeReference<Map<String, Object>>() {
            });
            Map<String, String> parameters = StubHttp.form(exchange.getRequestURI().getRawQuery());
            String requestId = parameters.get("requestid");
            if (requestId != null && (requestId.length() > (path.equals(BATCH) ? 36 : 50) || path.equals(BATCH)
                    && request.get("BatchItemRequest") instanceof List<?> items
                    && items.stream().anyMatch(item -> String.valueOf(((Map<?, ?>) item).get("bId")).length() > 10))) {
                fault(exchange, 400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                        "requestid is at most 50 characters (36 for a batch, each bId then at most 10): " + requestId);
                return;
            }
            Answer answer = requestId == null ? post(path, entity, parameters, request) : answered(requestId,
                    () -> post(path, entity, parameters, request));
            if (loseNextAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // saved, but closed without an answer: the client sees the connection drop
            }
            send(exchange, answer.status(), answer.body());
        } else {
            fault(exchange, 404, "ValidationFault", "2030", "Invalid URL", method + " " + path + " is no resource the stub serves");
        }
    }

    /** The entity a path segment names ({@code invoice}: Invoice); null for none the stub keeps. */
    private String entity(String segment) {
        return records.keySet().stream().filter(name -> name.equalsIgnoreCase(segment)).findFirst().orElse(null);
    }

    private synchronized void read(HttpExchange exchange, String entity, String id) throws IOException {
        Map<String, Object> record = id.matches("\\d+") ? records.get(entity).get(Long.parseLong(id)) : null;
        if (record == null) {
            notFound(exchange);
            return;
        }
        send(exchange, 200, Map.of(entity, answered(entity, record), "time", now()));
    }

    /** A write's answer: a batch, an invoice's delete, or a create or an update. */
    private synchronized Answer post(String path, String entity, Map<String, String> parameters, Map<String, Object> request) {
        Answer answer = path.equals(BATCH) ? batch(request)
                : "delete".equals(parameters.get("operation")) ? delete(entity, request) : save(entity, request);
        Map<String, Object> body = new LinkedHashMap<>(answer.body());
        body.put("time", now());
        return new Answer(answer.status(), body);
    }

    /**
     * A write carrying a {@code requestid}: the first with it in the company is applied and its answer
     * kept; any later one with it is answered the same, and changes nothing.
     */
    private synchronized Answer answered(String requestId, Supplier<Answer> apply) {
        Answer first = answers.get(requestId);
        if (first != null) {
            return first;
        }
        Answer answer = apply.get();
        answers.put(requestId, answer);
        return answer;
    }

    /**
     * {@code POST …/invoice?operation=delete} with the invoice's {@code Id} and current {@code SyncToken}:
     * deleted for good, answered {@code {"Invoice": {"status": "Deleted", "Id"}}}; a name (a customer)
     * cannot be deleted, only made inactive: 400 {@code 500 Unsupported Operation}.
     */
    private Answer delete(String entity, Map<String, Object> request) {
        Map<Long, Map<String, Object>> store = records.get(entity);
        Object id = request.get("Id");
        Map<String, Object> stored = id == null || !id.toString().matches("\\d+") ? null : store.get(Long.parseLong(id.toString()));
        Answer answer;
        if (!entity.equals("Invoice")) {
            answer = fault(400, "ValidationFault", "500", "Unsupported Operation", "Operation Delete is not supported.");
        } else if (stored == null) {
            answer = notFound();
        } else {
            answer = stale(stored, request);
            if (answer == null) {
                store.remove(Long.parseLong(id.toString()));
                answer = new Answer(200, Map.of(entity, Map.of("status", "Deleted", "domain", "QBO", "Id", id)));
            }
        }
        return answer;
    }

    /** What a create or an update is answered: the record in its envelope, or a Fault. */
    record Answer(int status, Map<String, Object> body) {
    }

    /** A create (no {@code Id}) or a sparse or full update of a customer or an invoice. */
    private Answer save(String entity, Map<String, Object> request) {
        return switch (entity) {
            case "Invoice" -> saveInvoice(request);
            case "Payment" -> savePayment(request);
            default -> save(request);
        };
    }

    /**
     * A payment's create: each line's amount applied to the invoices its {@code LinkedTxn} names,
     * lowering their {@code Balance}.
     */
    private Answer savePayment(Map<String, Object> request) {
        for (String member : request.keySet()) {
            if (!PAYMENT_MEMBERS.contains(member)) {
                return unsupported(member);
            }
        }
        if (request.get("Id") != null) {
            return fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                    "the stub creates payments only");
        }
        Object customerId = request.get("CustomerRef") instanceof Map<?, ?> ref ? ref.get("value") : null;
        if (customerId == null || request.get("TotalAmt") == null) {
            return fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API",
                    "Required parameter " + (customerId == null ? "CustomerRef" : "TotalAmt") + " is missing in the request");
        }
        if (!active(customers, customerId.toString())) {
            return fault(400, "ValidationFault", "2500", "Invalid Reference Id", "Invalid Reference Id : Names element id "
                    + customerId + " not found", "CustomerRef");
        }
        java.math.BigDecimal total = new java.math.BigDecimal(request.get("TotalAmt").toString());
        java.math.BigDecimal applied = java.math.BigDecimal.ZERO;
        Map<Long, java.math.BigDecimal> toApply = new LinkedHashMap<>();
        List<?> lines = request.get("Line") instanceof List<?> sent ? sent : List.of();
        for (Object each : lines) {
            Map<?, ?> line = (Map<?, ?>) each;
            java.math.BigDecimal amount = new java.math.BigDecimal(String.valueOf(line.get("Amount")));
            for (Object linked : line.get("LinkedTxn") instanceof List<?> txns ? txns : List.of()) {
                Map<?, ?> txn = (Map<?, ?>) linked;
                String txnId = String.valueOf(txn.get("TxnId"));
                Map<String, Object> invoice = txnId.matches("\\d+") ? records.get("Invoice").get(Long.parseLong(txnId)) : null;
                if (!"Invoice".equals(txn.get("TxnType")) || invoice == null
                        || !customerId.equals(((Map<?, ?>) invoice.get("CustomerRef")).get("value"))) {
                    return fault(400, "ValidationFault", "2500", "Invalid Reference Id", "Invalid Reference Id : Line.LinkedTxn "
                            + txn.get("TxnType") + " " + txnId + " is no invoice of customer " + customerId, "Line.LinkedTxn");
                }
                java.math.BigDecimal balance = new java.math.BigDecimal(invoice.get("Balance").toString());
                if (amount.add(toApply.getOrDefault(Long.parseLong(txnId), java.math.BigDecimal.ZERO)).compareTo(balance) > 0) {
                    return fault(400, "ValidationFault", "6000", "A business validation error has occurred while processing your"
                            + " request",
                            "Business Validation Error: The amount applied to invoice " + txnId + " (" + amount
                                    + ") is more than its balance (" + balance + ").");
                }
                toApply.merge(Long.parseLong(txnId), amount, java.math.BigDecimal::add);
            }
            applied = applied.add(amount);
        }
        if (applied.compareTo(total) > 0) {
            return fault(400, "ValidationFault", "6000", "A business validation error has occurred while processing your request",
                    "Business Validation Error: The lines apply " + applied + ", more than the payment's TotalAmt " + total + ".");
        }
        Map<String, Object> payment = new LinkedHashMap<>(request);
        payment.put("Id", Long.toString(ids.incrementAndGet()));
        payment.put("SyncToken", "0");
        payment.put("UnappliedAmt", total.subtract(applied));
        payment.putIfAbsent("TxnDate", java.time.LocalDate.now().toString());
        payment.put("MetaData", metaData(null));
        records.get("Payment").put(Long.parseLong((String) payment.get("Id")), payment);
        toApply.forEach((invoiceId, amount) -> {
            paid.merge(invoiceId, amount, java.math.BigDecimal::add);
            Map<String, Object> invoice = records.get("Invoice").get(invoiceId);
            invoice.put("Balance", new java.math.BigDecimal(invoice.get("TotalAmt").toString()).subtract(paid.get(invoiceId)));
            List<Object> linked = new ArrayList<>(invoice.get("LinkedTxn") instanceof List<?> known ? known : List.of());
            linked.add(Map.of("TxnId", payment.get("Id"), "TxnType", "Payment"));
            invoice.put("LinkedTxn", linked);
            bump(invoice);
            invoice.put("MetaData", metaData(invoice.get("MetaData")));
        });
        return new Answer(200, Map.of("Payment", new LinkedHashMap<>(payment)));
    }

    /**
     * A payment booked in QuickBooks by a person (a bank transfer or check received, nothing recorded as
     * received), checked and completed as a create is: {@code members} with its {@code CustomerRef} and
     * {@code TotalAmt}; @return its Id
     */
    public synchronized String addPayment(Map<String, Object> members) {
        Answer answer = savePayment(new LinkedHashMap<>(members));
        if (answer.status() != 200) {
            throw new IllegalArgumentException("QuickBooks would refuse this payment: " + answer.body());
        }
        return (String) ((Map<?, ?>) answer.body().get("Payment")).get("Id");
    }

    /** The payment {@code id}, as saved. */
    public synchronized Map<String, Object> payment(String id) {
        return new LinkedHashMap<>(records.get("Payment").get(Long.parseLong(id)));
    }

    /** A payment changed in QuickBooks by a person (no SyncToken bump: nothing is sent to Syncline). */
    public synchronized void changePaymentInQuickBooks(String id, String member, Object value) {
        records.get("Payment").get(Long.parseLong(id)).put(member, value);
    }

    /** Every payment, by Id. */
    public synchronized Map<String, Map<String, Object>> payments() {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        records.get("Payment").forEach((id, payment) -> all.put(Long.toString(id), new LinkedHashMap<>(payment)));
        return all;
    }

    /** A create or an update of an invoice: the lines sent replace its lines whole, sparse or not. */
    private Answer saveInvoice(Map<String, Object> request) {
        for (String member : request.keySet()) {
            if (!QuickBooksInvoiceRules.MEMBERS.contains(member)) {
                return unsupported(member);
            }
        }
        Map<Long, Map<String, Object>> invoices = records.get("Invoice");
        Object id = request.get("Id");
        Map<String, Object> stored = id == null ? null : invoices.get(Long.parseLong(id.toString()));
        if (id != null && stored == null) {
            return notFound();
        }
        Answer stale = id == null ? null : stale(stored, request);
        if (stale != null) {
            return stale;
        }
        Map<String, Object> invoice = id == null || !Boolean.TRUE.equals(request.get("sparse")) ? new LinkedHashMap<>()
                : new LinkedHashMap<>(stored);
        request.forEach((member, value) -> {
            if (!member.equals("sparse")) {
                invoice.put(member, value);
            }
        });
        Answer refused = QuickBooksInvoiceRules.save(invoice, customer -> active(customers, customer), item -> active(items, item),
                id == null);
        if (refused != null) {
            return refused;
        }
        if (id != null && paid.containsKey(Long.parseLong(id.toString()))) {
            invoice.put("Balance", ((java.math.BigDecimal) invoice.get("TotalAmt")).subtract(paid.get(Long.parseLong(id.toString()))));
        }
        if (id == null) {
            invoice.put("Id", Long.toString(ids.incrementAndGet()));
            invoice.put("SyncToken", "0");
            invoice.put("MetaData", metaData(null));
            invoices.put(Long.parseLong((String) invoice.get("Id")), invoice);
        } else {
            invoice.put("SyncToken", stored.get("SyncToken"));
            bump(invoice);
            invoice.put("MetaData", metaData(stored.get("MetaData")));
            stored.clear();
            stored.putAll(invoice);
        }
        return new Answer(200, Map.of("Invoice", QuickBooksInvoiceRules.answered(invoice)));
    }

    private static boolean active(Map<Long, Map<String, Object>> records, String id) {
        Map<String, Object> record = id.matches("\\d+") ? records.get(Long.parseLong(id)) : null;
        return record != null && !Boolean.FALSE.equals(record.get("Active"));
    }

    /** The Stale Object Error of an update whose SyncToken is not the record's current one; null when it is. */
    private Answer stale(Map<String, Object> stored, Map<String, Object> request) {
        if (changedBetweenReadAndWrite.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            bump(stored); // another session saved it since the client read it
        }
        if (String.valueOf(stored.get("SyncToken")).equals(String.valueOf(request.get("SyncToken")))) {
            return null;
        }
        return fault(400, "ValidationFault", "5010", "Stale Object Error", "Stale Object Error : You and "
                + "root were working on this at the same time. root finished before you did, so your work was not saved.");
    }

    private static Answer unsupported(String member) {
        return fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                "Property Name:Unrecognized field \"" + member + "\" specified is unsupported or invalid");
    }

    /** A create (no {@code Id}) or a sparse or full update of a customer. */
    private Answer save(Map<String, Object> request) {
        for (String member : request.keySet()) {
            if (!MEMBERS.contains(member)) {
                return unsupported(member);
            }
        }
        Object id = request.get("Id");
        Map<String, Object> customer;
        if (id == null) {
            customer = new LinkedHashMap<>(request);
            customer.putIfAbsent("DisplayName", displayName(customer));
            if (customer.get("DisplayName") == null) {
                return fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API",
                        "Required parameter Name is missing in the request");
            }
            if (nameInUse(customer.get("DisplayName"), null)) {
                return duplicateName(customer.get("DisplayName"));
            }
            customer.put("Id", Long.toString(ids.incrementAndGet()));
            customer.put("SyncToken", "0");
            customer.putIfAbsent("Active", true);
            customer.put("MetaData", metaData(null));
            customers.put(Long.parseLong((String) customer.get("Id")), customer);
        } else {
            customer = customers.get(Long.parseLong(id.toString()));
            if (customer == null) {
                return notFound();
            }
            Answer stale = stale(customer, request);
            if (stale != null) {
                return stale;
            }
            Map<String, Object> changed = Boolean.TRUE.equals(request.get("sparse")) ? new LinkedHashMap<>(customer)
                    : new LinkedHashMap<>(Map.of("Id", customer.get("Id"), "SyncToken", customer.get("SyncToken"), "Active", true));
            request.forEach((member, value) -> {
                if (!member.equals("sparse")) {
                    changed.put(member, value);
                }
            });
            if (nameInUse(changed.get("DisplayName"), (String) customer.get("Id"))) {
                return duplicateName(changed.get("DisplayName"));
            }
            bump(changed);
            changed.put("MetaData", metaData(customer.get("MetaData")));
            customer.clear();
            customer.putAll(changed);
        }
        return new Answer(200, Map.of("Customer", new LinkedHashMap<>(customer)));
    }

    /**
     * The batch operation: each {@code BatchItemRequest} ({@code bId}, {@code operation} create or
     * update, the {@code Customer}) saved in turn as its own request would be; a
     * {@code BatchItemResponse} each, with its {@code bId} and the {@code Customer} or its {@code Fault}.
     */
    private Answer batch(Map<String, Object> request) {
        if (!(request.get("BatchItemRequest") instanceof List<?> items) || items.isEmpty()) {
            return fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API",
                    "Required parameter BatchItemRequest is missing in the request");
        }
        List<Map<String, Object>> answered = new ArrayList<>();
        for (Object each : items) {
            Map<?, ?> item = (Map<?, ?>) each;
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("bId", item.get("bId"));
            String entity = item.containsKey("Invoice") ? "Invoice" : item.containsKey("Payment") ? "Payment" : "Customer";
            if (item.get(entity) instanceof Map<?, ?> record && ("create".equals(item.get("operation"))
                    == !record.containsKey("Id"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> saved = save(entity, new LinkedHashMap<>((Map<String, Object>) record)).body();
                response.putAll(saved);
            } else {
                response.putAll(fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                        "operation " + item.get("operation") + " of an item without a Customer or Invoice, or a create with an Id")
                        .body());
            }
            answered.add(response);
        }
        return new Answer(200, Map.of("BatchItemResponse", answered));
    }

    private synchronized void query(HttpExchange exchange, String query) throws IOException {
        Matcher ids = query == null ? null : IDS.matcher(query.strip());
        if (ids != null && ids.matches() && entity(ids.group(1)) != null) {
            String entity = entity(ids.group(1));
            List<Map<String, Object>> found = new ArrayList<>();
            for (String id : ids.group(2).replaceAll("[\\s']", "").split(",")) {
                Map<String, Object> record = records.get(entity).get(Long.parseLong(id));
                if (record != null) {
                    found.add(answered(entity, record));
                }
            }
            Map<String, Object> response = new LinkedHashMap<>();
            if (!found.isEmpty()) {
                response.put(entity, found);
                response.put("startPosition", 1);
                response.put("maxResults", found.size());
            }
            send(exchange, 200, Map.of("QueryResponse", response, "time", now()));
            return;
        }
        Matcher select = query == null ? null : SELECT.matcher(query.strip());
        String entity = select == null || !select.matches() ? null : entity(select.group(1));
        if (entity == null) {
            fault(exchange, 400, "ValidationFault", "4000", "Error parsing query", "QueryParserError: Encountered \""
                    + query + "\" which is not a query of Customer, Invoice or Item the stub understands");
            return;
        }
        int start = select.group(4) == null ? 1 : Integer.parseInt(select.group(4));
        int max = select.group(5) == null ? 100 : Integer.parseInt(select.group(5));
        if (max > 1000 || start < 1) {
            fault(exchange, 400, "ValidationFault", "4001", "Invalid query", "QueryValidationError: MAXRESULTS is at most 1000"
                    + " and STARTPOSITION at least 1");
            return;
        }
        String property = select.group(2);
        String value = select.group(3) == null ? null : select.group(3).replaceAll("\\\\(.)", "$1");
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> record : records.get(entity).values()) {
            if (property == null || value.equalsIgnoreCase(text(record.get(property)))) {
                found.add(answered(entity, record));
            }
        }
        List<Map<String, Object>> page = found.subList(Math.min(found.size(), start - 1), Math.min(found.size(), start - 1 + max));
        Map<String, Object> response = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            response.put(entity, page);
            response.put("startPosition", start);
            response.put("maxResults", page.size());
        }
        send(exchange, 200, Map.of("QueryResponse", response, "time", now()));
    }

    // --- plumbing -----------------------------------------------------------------------------

    /** A record as QuickBooks answers it: an invoice with its computed subtotal line. */
    private static Map<String, Object> answered(String entity, Map<String, Object> record) {
        return entity.equals("Invoice") ? QuickBooksInvoiceRules.answered(record) : record;
    }

    /** A value as the query language compares it: an address or a phone by its text. */
    private static String text(Object value) {
        if (value instanceof Map<?, ?> map) {
            Object inner = map.containsKey("Address") ? map.get("Address") : map.get("FreeFormNumber");
            return inner == null ? null : inner.toString();
        }
        return value == null ? null : value.toString();
    }

    private static String address(Object email) {
        return email instanceof Map<?, ?> map && map.get("Address") != null ? map.get("Address").toString() : null;
    }

    private boolean nameInUse(Object displayName, String except) {
        return displayName != null && customers.values().stream().anyMatch(other -> !other.get("Id").equals(except)
                && displayName.toString().equalsIgnoreCase(String.valueOf(other.get("DisplayName"))));
    }

    private static String displayName(Map<String, Object> customer) {
        List<String> parts = NAME_PARTS.stream().map(customer::get).filter(part -> part != null && !part.toString().isBlank())
                .map(Object::toString).toList();
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    private static void bump(Map<String, Object> customer) {
        customer.put("SyncToken", Integer.toString(Integer.parseInt(String.valueOf(customer.get("SyncToken"))) + 1));
    }

    private static Map<String, Object> metaData(Object before) {
        String created = before instanceof Map<?, ?> meta ? String.valueOf(meta.get("CreateTime")) : now();
        return Map.of("CreateTime", created, "LastUpdatedTime", now());
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.ofHours(-8)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx",
                Locale.ROOT));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        Answer answer = notFound();
        send(exchange, answer.status(), answer.body());
    }

    private static Answer notFound() {
        return fault(400, "ValidationFault", "610", "Object Not Found", "Object Not Found : Something you're trying to use has"
                + " been made inactive. Check the fields with accounts, customers, items, vendors or employees.");
    }

    private static Answer duplicateName(Object name) {
        return fault(400, "ValidationFault", "6240", "Duplicate Name Exists Error", "The name supplied already exists. : "
                + "Another customer, vendor or employee is already using this name (" + name + "). Please use a different name.");
    }

    private static void fault(HttpExchange exchange, int status, String type, String code, String message, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>(fault(status, type, code, message, detail).body());
        body.put("time", now());
        send(exchange, status, body);
    }

    static Answer fault(int status, String type, String code, String message, String detail) {
        return fault(status, type, code, message, detail, null);
    }

    /** Intuit's Fault body; {@code element} names the member at fault, where Intuit names one. */
    static Answer fault(int status, String type, String code, String message, String detail, String element) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("Message", message);
        if (detail != null) {
            error.put("Detail", detail);
        }
        error.put("code", code);
        if (element != null) {
            error.put("element", element);
        }
        return new Answer(status, Map.of("Fault", Map.of("Error", List.of(error), "type", type)));
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        StubHttp.sendJson(exchange, status, body, Map.of("intuit_tid", java.util.UUID.randomUUID().toString()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
