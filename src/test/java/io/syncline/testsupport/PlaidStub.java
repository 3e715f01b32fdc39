package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Plaid Item (a user's login at one bank) as Plaid's published OpenAPI description
 * (github.com/plaid/plaid-openapi, {@code 2020-09-14.yml}) and its API reference pages
 * ("Transactions: /transactions/sync", "Accounts: /accounts/get", "Errors")
 * describe it, in the test JVM (JDK HttpServer on a free port). Every request is kept, for a test to
 * check against that description ({@link ApiDescription}).
 * <ul>
 *   <li>Every call is a {@code POST} of JSON carrying {@code client_id} and {@code secret}; others
 *   400 {@code INVALID_API_KEYS}. Item calls carry the Item's {@code access_token}; another, 400
 *   {@code INVALID_ACCESS_TOKEN}. Errors are Plaid's body {@code {"error_type", "error_code",
 *   "error_message", "display_message", "request_id", "causes", "status", "documentation_url",
 *   "suggested_action"}}.</li>
 *   <li>{@code /transactions/sync {cursor, count}}: the Item's updates after the cursor (none or
 *   empty: from the first), {@code count} 1 to 500 (100 by default, else 400 {@code INVALID_FIELD}),
 *   as {@code added}, {@code modified} and {@code removed} with {@code next_cursor} and
 *   {@code has_more}; a cursor the stub did not give, 400 {@code INVALID_FIELD}. The stub keeps every
 *   update in order ({@link #add}, {@link #modify}, {@link #remove}).</li>
 *   <li>{@code /accounts/get}: the Item's accounts.</li>
 *   <li>{@link #loginRequired}: 400 {@code ITEM_ERROR ITEM_LOGIN_REQUIRED} to every Item call;
 *   {@link #rateLimitNext}: 429 {@code RATE_LIMIT_EXCEEDED TRANSACTIONS_SYNC_LIMIT}.</li>
 * </ul>
 */
public final class PlaidStub extends LoopbackStub {

    public static final String SYNC = "/transactions/sync";
    public static final String ACCOUNTS = "/accounts/get";
    public static final String ITEM_ID = "eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6";
    public static final String ACCOUNT_ID = "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MOST = 500;
    private static final int DEFAULT_COUNT = 100;

    private record Update(String kind, Map<String, Object> transaction) {
    }

    private final String clientId;
    private final String secret;
    private final String accessToken;
    private final List<Update> updates = new ArrayList<>();
    private final AtomicBoolean loginRequired = new AtomicBoolean();
    private final AtomicInteger ids = new AtomicInteger();

    private PlaidStub(String clientId, String secret, String accessToken) {
        this.clientId = clientId;
        this.secret = secret;
        this.accessToken = accessToken;
        serve(this::handle, "/");
    }

    /** A stub of one Item, accepting the team's {@code clientId} and {@code secret} and the Item's {@code accessToken}. */
    public static PlaidStub start(String clientId, String secret, String accessToken) {
        return new PlaidStub(clientId, secret, accessToken);
    }

    /** A new transaction of the Item's account, posted on {@code date}; its id. */
    public synchronized String add(String name, String amount, String date) {
        return add(name, amount, date, null);
    }

    /**
     * A new transaction of the Item's account, posted on {@code date}, whose {@code payment_meta} carries the
     * bank's {@code reference_number} (a transfer's or check's reference; null: none); its id. Plaid counts
     * money out positive and money in negative.
     */
    public synchronized String add(String name, String amount, String date, String reference) {
        String id = String.format("lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzq%04d", ids.incrementAndGet());
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("account_id", ACCOUNT_ID);
        transaction.put("transaction_id", id);
        transaction.put("amount", new java.math.BigDecimal(amount));
        transaction.put("iso_currency_code", "USD");
        transaction.put("unofficial_currency_code", null);
        transaction.put("date", date);
        transaction.put("authorized_date", date);
        transaction.put("name", name);
        transaction.put("merchant_name", null);
        transaction.put("pending", false);
        transaction.put("pending_transaction_id", null);
        Map<String, Object> paymentMeta = new LinkedHashMap<>();
        for (String member : List.of("by_order_of", "payee", "payer", "payment_method", "payment_processor", "ppd_id", "reason")) {
            paymentMeta.put(member, null);
        }
        paymentMeta.put("reference_number", reference);
        transaction.put("payment_meta", paymentMeta);
        transaction.put("payment_channel", "online");
        transaction.put("transaction_type", "special");
        updates.add(new Update("added", transaction));
        return id;
    }

    /** The transaction {@code id} changed by Plaid (a name cleaned up, an amount settled): a modified update. */
    public synchronized void modify(String id, String name, String amount) {
        Map<String, Object> latest = null;
        for (Update update : updates) {
            if (update.transaction().get("transaction_id").equals(id)) {
                latest = update.transaction();
            }
        }
        Map<String, Object> changed = new LinkedHashMap<>(latest);
        changed.put("name", name);
        changed.put("amount", new java.math.BigDecimal(amount));
        updates.add(new Update("modified", changed));
    }

    /** The transaction {@code id} gone from the Item (a pending one posted under another id): a removed update. */
    public synchronized void remove(String id) {
        updates.add(new Update("removed", Map.of("transaction_id", id, "account_id", ACCOUNT_ID)));
    }

    /** The {@code next_cursor} a sync answers once it has handed out every update the Item has now. */
    public synchronized String cursorAtEnd() {
        return encode(("update:" + updates.size()).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether every Item call answers {@code ITEM_LOGIN_REQUIRED}: the bank wants the user to sign in again. */
    public void loginRequired(boolean required) {
        loginRequired.set(required);
    }

    /** Plaid's error body. */
    public static Map<String, Object> error(String type, String code, String message, int status) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_type", type);
        error.put("error_code", code);
        error.put("error_code_reason", null);
        error.put("error_message", message);
        error.put("display_message", null);
        error.put("request_id", requestId());
        error.put("causes", List.of());
        error.put("status", status);
        error.put("documentation_url", "https://plaid.com/docs/errors/");
        error.put("suggested_action", null);
        return error;
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String path = request.path();
            if (!request.method().equals("POST")) {
                StubHttp.sendJson(exchange, 405, error("INVALID_REQUEST", "NOT_FOUND", "Plaid's calls are POSTs", 405), Map.of());
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = request.body() == null || request.body().isBlank() ? Map.of()
                    : JSON.readValue(request.body(), Map.class);
            if (!clientId.equals(body.get("client_id")) || !secret.equals(body.get("secret"))) {
                send(exchange, error("INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided", 400));
                return;
            }
            if (!accessToken.equals(body.get("access_token"))) {
                send(exchange, error("INVALID_INPUT", "INVALID_ACCESS_TOKEN", "provided access token is in an invalid format", 400));
                return;
            }
            if (ahead.answered(exchange, "POST", path, error("RATE_LIMIT_EXCEEDED", "TRANSACTIONS_SYNC_LIMIT",
                    "rate limit exceeded for attempts to access this item. please try again later", 429), Map::of)) {
                return;
            }
            if (loginRequired.get()) {
                send(exchange, error("ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "the login details of this item have changed"
                        + " (credentials, MFA, or required user action) and a user login is required to update this information."
                        + " use Link's update mode to restore the item to a good state", 400));
                return;
            }
            if (path.equals(SYNC)) {
                sync(exchange, body);
            } else if (path.equals(ACCOUNTS)) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("accounts", List.of(account()));
                answer.put("item", Map.of("item_id", ITEM_ID, "institution_id", "ins_109508", "webhook", "",
                        "available_products", List.of(), "billed_products", List.of("transactions"), "products", List.of("transactions"),
                        "consent_expiration_time", "", "update_type", "background", "error", ""));
                answer.put("request_id", requestId());
                StubHttp.sendJson(exchange, 200, answer, Map.of());
            } else {
                StubHttp.sendJson(exchange, 404, error("INVALID_REQUEST", "NOT_FOUND", "not found", 404), Map.of());
            }
        }
    }

    private static void send(HttpExchange exchange, Map<String, Object> error) throws IOException {
        StubHttp.sendJson(exchange, (Integer) error.get("status"), error, Map.of());
    }

    private static Map<String, Object> account() {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("account_id", ACCOUNT_ID);
        account.put("balances", Map.of("available", 110, "current", 110, "iso_currency_code", "USD"));
        account.put("mask", "0000");
        account.put("name", "Plaid Checking");
        account.put("official_name", "Plaid Gold Standard 0% Interest Checking");
        account.put("type", "depository");
        account.put("subtype", "checking");
        return account;
    }

    private synchronized void sync(HttpExchange exchange, Map<String, Object> body) throws IOException {
        int count = body.get("count") instanceof Number number ? number.intValue() : DEFAULT_COUNT;
        if (count < 1 || count > MOST) {
            send(exchange, error("INVALID_REQUEST", "INVALID_FIELD", "count must be between 1 and 500", 400));
            return;
        }
        int from = 0;
        Object cursor = body.get("cursor");
        if (cursor != null && !cursor.toString().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cursor.toString()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (!decoded.startsWith("update:")) {
                send(exchange, error("INVALID_REQUEST", "INVALID_FIELD", "cursor is not valid", 400));
                return;
            }
            from = Integer.parseInt(decoded.substring("update:".length()));
        }
        int to = Math.min(updates.size(), from + count);
        Map<String, List<Map<String, Object>>> byKind = new LinkedHashMap<>();
        for (String kind : List.of("added", "modified", "removed")) {
            byKind.put(kind, new ArrayList<>());
        }
        for (Update update : updates.subList(from, to)) {
            byKind.get(update.kind()).add(update.transaction());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("transactions_update_status", "HISTORICAL_UPDATE_COMPLETE");
        answer.put("accounts", List.of());
        answer.putAll(byKind);
        answer.put("next_cursor", encode(("update:" + to).getBytes(StandardCharsets.UTF_8)));
        answer.put("has_more", to < updates.size());
        answer.put("request_id", requestId());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }
}
