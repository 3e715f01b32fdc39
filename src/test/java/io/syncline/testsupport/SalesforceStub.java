package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for a Salesforce org, following the documented REST API contract for
 * what reconciliation uses:
 * <ul>
 *   <li>{@code POST /services/oauth2/token}: the refresh token and client credentials flows (form
 *   body with {@code client_id}, {@code client_secret}); answers {@code access_token} and
 *   {@code instance_url}, no {@code expires_in}; a refused client gets 400 with
 *   {@code {"error", "error_description"}}.</li>
 *   <li>{@code GET /services/data/vXX.X/query?q=SELECT … FROM …}: the fields selected, in batches of
 *   {@code Sforce-Query-Options: batchSize} (200–2,000, default 2,000), {@code totalSize},
 *   {@code done} and {@code nextRecordsUrl} ({@code /services/data/vXX.X/query/<locator>-<offset>});
 *   each record with its {@code attributes}; relationship paths ({@code Account.Name}) as nested
 *   records. Errors as Salesforce sends them, an array of {@code {"message", "errorCode"}}:
 *   401 {@code INVALID_SESSION_ID}, 400 {@code INVALID_FIELD} / {@code INVALID_TYPE} /
 *   {@code MALFORMED_QUERY}, 403 {@code REQUEST_LIMIT_EXCEEDED}.</li>
 * </ul>
 * Only the SOQL a puller sends ({@code SELECT} a field list {@code FROM} an object) is understood.
 */
public final class SalesforceStub implements AutoCloseable {

    public static final String CLIENT_ID = "3MVG9stub.client";
    public static final String CLIENT_SECRET = "stub-client-secret";
    public static final String REFRESH_TOKEN = "5Aep861stub.refresh";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUERY = Pattern.compile("(?is)\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)\\s*");
    private static final Pattern LOCATOR = Pattern.compile("/services/data/v[0-9.]+/query/(01g\\w+)-(\\d+)");

    private final HttpServer server;
    private final Map<String, List<Map<String, Object>>> objects = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> cursors = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger apiRequests = new AtomicInteger();
    /** Grant types of every login, in order. */
    public final List<String> logins = new CopyOnWriteArrayList<>();
    /** SOQL of every query begun, and the batch size each request asked for ({@code Sforce-Query-Options}). */
    public final List<String> queries = new CopyOnWriteArrayList<>();
    public final List<String> batchSizes = new CopyOnWriteArrayList<>();
    /** When set, every API request is refused: the org's daily allowance is spent. */
    public volatile boolean requestLimitExceeded;
    /** When set, a query answers its first batch as if it were all: done, no nextRecordsUrl, the full totalSize. */
    public volatile boolean firstBatchOnly;

    public SalesforceStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/services/oauth2/token", exchange -> handle(exchange, this::token));
        server.createContext("/services/data/", exchange -> handle(exchange, this::query));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The org's records of an object: field API name to value, a relationship path's value as a nested map. */
    public void records(String sobject, List<Map<String, Object>> records) {
        objects.put(sobject.toLowerCase(Locale.ROOT), List.copyOf(records));
    }

    /** Every session ends, as when they time out or an admin revokes them: the next API request gets 401. */
    public void expireSessions() {
        validTokens.clear();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            handler.handle(exchange);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        logins.add(grant);
        if (!grant.equals("refresh_token") && !grant.equals("client_credentials")) {
            send(exchange, 400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
            return;
        }
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(exchange, 400, Map.of("error", "invalid_client", "error_description", "invalid client credentials"));
            return;
        }
        if (grant.equals("refresh_token") && !REFRESH_TOKEN.equals(form.get("refresh_token"))) {
            send(exchange, 400, Map.of("error", "invalid_grant", "error_description", "expired access/refresh token"));
            return;
        }
        String token = "00DSTUB000000001!AQ" + sequence.incrementAndGet();
        validTokens.add(token);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("signature", "stub-signature");
        answer.put("instance_url", baseUrl());
        answer.put("id", baseUrl() + "/id/00DSTUB000000001/005STUB000000001");
        answer.put("token_type", "Bearer");
        answer.put("issued_at", Long.toString(System.currentTimeMillis()));
        send(exchange, 200, answer);
    }

    private void query(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !validTokens.contains(authorization.replaceFirst("^Bearer ", ""))) {
            send(exchange, 401, List.of(error("Session expired or invalid", "INVALID_SESSION_ID")));
            return;
        }
        if (requestLimitExceeded) {
            send(exchange, 403, List.of(error("TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED")));
            return;
        }
        int batchSize = batchSize(exchange.getRequestHeaders().getFirst("Sforce-Query-Options"));
        String path = exchange.getRequestURI().getPath();
        Matcher locator = LOCATOR.matcher(path);
        if (locator.matches()) {
            List<String> cursor = cursors.get(locator.group(1));
            if (cursor == null) {
                send(exchange, 400, List.of(error("invalid query locator", "INVALID_QUERY_LOCATOR")));
                return;
            }
            page(exchange, locator.group(1), cursor, Integer.parseInt(locator.group(2)), batchSize, path);
            return;
        }
        String soql = form(exchange.getRequestURI().getRawQuery()).get("q");
        Matcher select = soql == null ? null : QUERY.matcher(soql);
        if (select == null || !select.matches()) {
            send(exchange, 400, List.of(error("unexpected token: " + soql, "MALFORMED_QUERY")));
            return;
        }
        queries.add(soql);
        List<String> selected = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String field : select.group(1).split(",")) {
            String name = field.trim();
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                send(exchange, 400, List.of(error("duplicate field selected: " + name, "MALFORMED_QUERY")));
                return;
            }
            selected.add(name);
        }
        String sobject = select.group(2);
        List<Map<String, Object>> records = objects.get(sobject.toLowerCase(Locale.ROOT));
        if (records == null) {
            send(exchange, 400, List.of(error("sObject type '" + sobject + "' is not supported.", "INVALID_TYPE")));
            return;
        }
        for (String field : selected) {
            String top = field.split("\\.")[0];
            if (!records.isEmpty() && records.stream().noneMatch(record -> record.containsKey(top))) {
                send(exchange, 400, List.of(error("No such column '" + field + "' on entity '" + sobject + "'.", "INVALID_FIELD")));
                return;
            }
        }
        String id = "01gSTUB" + String.format("%08d", sequence.incrementAndGet());
        List<String> cursor = new ArrayList<>(selected);
        cursor.add(0, sobject);
        cursors.put(id, cursor);
        page(exchange, id, cursor, 0, batchSize, path.replaceFirst("/query/?$", "/query"));
    }

    private void page(HttpExchange exchange, String id, List<String> cursor, int offset, int batchSize, String path)
            throws IOException {
        String sobject = cursor.get(0);
        List<String> fields = cursor.subList(1, cursor.size());
        List<Map<String, Object>> all = objects.get(sobject.toLowerCase(Locale.ROOT));
        int end = Math.min(all.size(), offset + batchSize);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> record : all.subList(Math.min(offset, end), end)) {
            records.add(project(sobject, record, fields));
        }
        boolean done = end >= all.size() || firstBatchOnly;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", all.size());
        body.put("done", done);
        if (!done) {
            String version = path.replaceFirst("^(/services/data/v[0-9.]+)/.*$", "$1");
            body.put("nextRecordsUrl", version + "/query/" + id + "-" + end);
        }
        body.put("records", records);
        send(exchange, 200, body);
    }

    private static Map<String, Object> project(String sobject, Map<String, Object> record, List<String> fields) {
        Map<String, Object> projected = new LinkedHashMap<>();
        projected.put("attributes", Map.of("type", sobject, "url", "/services/data/v62.0/sobjects/" + sobject + "/"
                + record.getOrDefault("Id", "")));
        for (String field : fields) {
            String[] steps = field.split("\\.");
            if (steps.length == 1) {
                projected.put(field, record.get(field));
            } else if (record.get(steps[0]) instanceof Map<?, ?> related) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) projected.computeIfAbsent(steps[0],
                        key -> new LinkedHashMap<>(Map.of("attributes", Map.of("type", key))));
                nested.put(steps[1], related.get(steps[1]));
            } else {
                projected.put(steps[0], null);
            }
        }
        return projected;
    }

    /** The batch size asked for (recorded as sent), within the 200 to 2,000 Salesforce keeps to. */
    private int batchSize(String options) {
        int size = 2000;
        if (options != null) {
            Matcher matcher = Pattern.compile("batchSize=(\\d+)").matcher(options);
            if (matcher.find()) {
                batchSizes.add(matcher.group(1));
                size = Math.max(200, Math.min(2000, Integer.parseInt(matcher.group(1))));
            }
        }
        return size;
    }

    private static Map<String, Object> error(String message, String code) {
        return Map.of("message", message, "errorCode", code);
    }

    private static Map<String, String> form(String raw) {
        return StubHttp.form(raw);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        if (exchange.getRequestURI().getPath().startsWith("/services/data/")) {
            exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiRequests.incrementAndGet() + "/15000");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
