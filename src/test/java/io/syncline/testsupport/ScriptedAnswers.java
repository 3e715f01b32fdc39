package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What a provider's stub answers before it looks at a request: the next requests its rate limit's
 * 429 ({@link #rateLimitNext}), and the next request of one method and path a scripted answer
 * ({@link #respondNext}), whatever it asks.
 */
final class ScriptedAnswers {

    private record Script(String method, String path, int status, Object body, Map<String, String> headers) {
    }

    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicReference<Script> scripted = new AtomicReference<>();

    /** The next {@code n} requests are answered 429. */
    void rateLimitNext(int n) {
        rateLimited.set(n);
    }

    /** The next {@code method} request to {@code path} is answered so, whatever it asks. */
    void respondNext(String method, String path, int status, Object body) {
        respondNext(method, path, status, body, Map.of());
    }

    /** The next {@code method} request to {@code path} is answered so, with {@code headers}, whatever it asks. */
    void respondNext(String method, String path, int status, Object body, Map<String, String> headers) {
        scripted.set(new Script(method, path, status, body, headers));
    }

    /**
     * Answers the request when it is one the rate limit refuses (429 with {@code limitBody} and the
     * headers {@code limitHeaders} gives then) or the scripted one; false when the stub is to answer it.
     */
    boolean answered(HttpExchange exchange, String method, String path, Object limitBody,
            Supplier<Map<String, String>> limitHeaders) throws IOException {
        if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            StubHttp.sendJson(exchange, 429, limitBody, limitHeaders.get());
            return true;
        }
        Script script = scripted.get();
        if (script != null && script.method().equals(method) && script.path().equals(path) && scripted.compareAndSet(script, null)) {
            StubHttp.sendJson(exchange, script.status(), script.body(), script.headers());
            return true;
        }
        return false;
    }
}
