package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for QuickBooks Online's OAuth 2.0 (Intuit's "OAuth 2.0" and "Refresh
 * tokens" developer pages, RFC 6749):
 * <ul>
 *   <li>{@code GET /connect/oauth2}: the consent page; the user agrees at once and is sent back to
 *   {@code redirect_uri} with {@code code}, the same {@code state} and {@code realmId}.</li>
 *   <li>{@code POST /oauth2/v1/tokens/bearer}: the token endpoint. Client authentication by HTTP Basic
 *   (401 {@code invalid_client} otherwise), a form body with {@code grant_type}
 *   {@code authorization_code} (a code once, with its {@code redirect_uri}) or {@code refresh_token}.
 *   Each answer holds a new {@code access_token} ({@code expires_in} 3600) and a new
 *   {@code refresh_token} ({@code x_refresh_token_expires_in}); the refresh token used is invalid from
 *   then on, and presenting it again answers 400 {@code invalid_grant} and is recorded in
 *   {@link #spentTwice}, which the tests require to stay empty.</li>
 *   <li>{@code GET /v3/company/{realmId}/...}: the API, answering 200 to a current access token's
 *   {@code Authorization: Bearer} and 401 otherwise; each request's arrival is recorded.</li>
 * </ul>
 */
public final class IntuitOAuthStub implements AutoCloseable {

    public static final String CLIENT_ID = "ABqbo-client-id";
    public static final String CLIENT_SECRET = "qbo-client-secret";
    public static final String REALM_ID = "9130347596841234";

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> spentRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> liveAccessTokens = ConcurrentHashMap.newKeySet();
    /** Refresh tokens presented after they were spent: a second use of one token. */
    public final List<String> spentTwice = new CopyOnWriteArrayList<>();
    /** Successful refreshes. */
    public final AtomicInteger refreshes = new AtomicInteger();
    /** Arrival of each API request, {@link System#nanoTime()}. */
    public final List<Long> apiArrivals = new CopyOnWriteArrayList<>();
    /** Each API request the stub answered 200: method, path, and its {@code X-Realm} header. */
    public final List<String> apiAccepted = new CopyOnWriteArrayList<>();
    /** How long the token endpoint takes, widening any race between replicas. */
    public volatile long tokenLatencyMillis;

    public IntuitOAuthStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/connect/oauth2", exchange -> {
            try (exchange) {
                consent(exchange);
            }
        });
        server.createContext("/oauth2/v1/tokens/bearer", exchange -> {
            try (exchange) {
                token(exchange);
            }
        });
        server.createContext("/v3/company/", exchange -> {
            try (exchange) {
                apiArrivals.add(System.nanoTime());
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization == null || !authorization.startsWith("Bearer ")
                        || !liveAccessTokens.contains(authorization.substring("Bearer ".length()))) {
                    StubHttp.sendJson(exchange, 401, Map.of("Fault", Map.of("Error", List.of(Map.of("Message",
                            "message=AuthenticationFailed; errorCode=003200; statusCode=401", "code", "3200")),
                            "type", "AUTHENTICATION")), Map.of());
                    return;
                }
                apiAccepted.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " X-Realm="
                        + exchange.getRequestHeaders().getFirst("X-Realm"));
                StubHttp.sendJson(exchange, 200, Map.of("Customer", Map.of("Id", "1", "SyncToken", "0")), Map.of());
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return baseUrl() + "/oauth2/v1/tokens/bearer";
    }

    public String authorizationUrl() {
        return baseUrl() + "/connect/oauth2";
    }

    /** A refresh token the operator got from Intuit's OAuth Playground: valid, never used. */
    public String issueRefreshToken() {
        String token = "AB11" + UUID.randomUUID().toString().replace("-", "");
        liveRefreshTokens.add(token);
        return token;
    }

    /** The user removed the app's connection in QuickBooks: every token stops working. */
    public void disconnect() {
        spentRefreshTokens.addAll(liveRefreshTokens);
        liveRefreshTokens.clear();
        liveAccessTokens.clear();
    }

    /** Every access token issued so far expires (an hour passed): the API answers 401 until the client refreshes. */
    public void expireAccessTokens() {
        liveAccessTokens.clear();
    }

    public boolean isLive(String accessToken) {
        return liveAccessTokens.contains(accessToken);
    }

    private void consent(HttpExchange exchange) throws IOException {
        Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !CLIENT_ID.equals(query.get("client_id"))
                || query.get("redirect_uri") == null || query.get("state") == null) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_request"), Map.of());
            return;
        }
        String code = "AB11-code-" + UUID.randomUUID();
        codes.put(code, query.get("redirect_uri"));
        String location = query.get("redirect_uri") + "?code=" + code + "&state=" + query.get("state") + "&realmId=" + REALM_ID;
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange) throws IOException {
        // the token endpoint's own latency, not a wait of the test
        sleep(tokenLatencyMillis);
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StubHttp.sendJson(exchange, 401, Map.of("error", "invalid_client"), Map.of());
            return;
        }
        Map<String, String> form = StubHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.get("grant_type");
        if ("authorization_code".equals(grant)) {
            String redirect = codes.remove(String.valueOf(form.get("code")));
            if (redirect == null || !redirect.equals(form.get("redirect_uri"))) {
                StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_grant"), Map.of());
                return;
            }
            StubHttp.sendJson(exchange, 200, tokens(), Map.of("Cache-Control", "no-store"));
            return;
        }
        if (!"refresh_token".equals(grant) || form.get("refresh_token") == null) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "unsupported_grant_type"), Map.of());
            return;
        }
        String presented = form.get("refresh_token");
        synchronized (this) {
            if (!liveRefreshTokens.remove(presented)) {
                if (spentRefreshTokens.contains(presented)) {
                    spentTwice.add(presented);
                }
                StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_grant"), Map.of());
                return;
            }
            spentRefreshTokens.add(presented);
            refreshes.incrementAndGet();
        }
        StubHttp.sendJson(exchange, 200, tokens(), Map.of("Cache-Control", "no-store"));
    }

    private Map<String, Object> tokens() {
        String access = "eyJ-access-" + UUID.randomUUID();
        String refresh = issueRefreshToken();
        liveAccessTokens.add(access);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "bearer");
        body.put("access_token", access);
        body.put("expires_in", 3600);
        body.put("refresh_token", refresh);
        body.put("x_refresh_token_expires_in", 8726400);
        return body;
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
