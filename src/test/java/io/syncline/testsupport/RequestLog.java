package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The requests a provider's stub received, in order, each with its headers, body, time and query: what a test checks. */
public final class RequestLog {

    private final List<HubSpotStub.Received> received = new CopyOnWriteArrayList<>();

    /** Reads the request's body and keeps the request. */
    public HubSpotStub.Received record(HttpExchange exchange) throws IOException {
        HubSpotStub.Received request = new HubSpotStub.Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                Instant.now(), exchange.getRequestURI().getRawQuery());
        received.add(request);
        return request;
    }

    public List<HubSpotStub.Received> all() {
        return List.copyOf(received);
    }

    public List<HubSpotStub.Received> of(String method, String path) {
        return received.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }
}
