package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a provider's API on a loopback port of its own, recording every request it
 * receives ({@link RequestLog}) for the test to check against the provider's description, and
 * answering ahead of its own logic what a test scripts ({@link ScriptedAnswers}: a 429, an error). A
 * stub sets its own state, then serves its paths ({@link #serve}).
 */
public abstract class LoopbackStub implements AutoCloseable {

    private final HttpServer server;
    protected final RequestLog received = new RequestLog();
    /** What the stub's handler answers first, where a test scripted it; the handler gives its 429's body and headers. */
    protected final ScriptedAnswers ahead = new ScriptedAnswers();

    protected LoopbackStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the requests under each of {@code paths} with {@code handler}, from now on. */
    protected final void serve(HttpHandler handler, String... paths) {
        for (String path : paths) {
            server.createContext(path, handler);
        }
        server.start();
    }

    /** Answers 401 with the provider's {@code refusal} unless the request carries {@code authorization}; whether it was refused. */
    protected static boolean unauthorized(HttpExchange exchange, String authorization, Object refusal) throws IOException {
        if (authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return false;
        }
        StubHttp.sendJson(exchange, 401, refusal, Map.of());
        return true;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<HubSpotStub.Received> received() {
        return received.all();
    }

    public List<HubSpotStub.Received> received(String method, String path) {
        return received.of(method, path);
    }

    /** The hex HMAC ({@code HmacSHA256}, {@code HmacSHA1}) of {@code parts} one after the other, keyed with {@code secret}: a webhook's signature. */
    protected static String hexHmac(String algorithm, String secret, String... parts) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), algorithm));
            for (String part : parts) {
                mac.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code n} requests are answered 429. */
    public void rateLimitNext(int n) {
        ahead.rateLimitNext(n);
    }

    /** The next {@code method} request to {@code path} is answered so, whatever it asks. */
    public void respondNext(String method, String path, int status, Object body) {
        ahead.respondNext(method, path, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
