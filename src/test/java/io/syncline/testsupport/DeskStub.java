package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A support desk's REST API of customers, as a generic {@code type: rest} system reaches it:
 * {@code GET /customers/{id}} answers the customer (404 when there is none); every request is kept,
 * so that a test can tell whether anything but a read reached the desk. Writes are answered 405: a
 * test that sees one has found a write where none may be.
 */
public final class DeskStub implements AutoCloseable {

    private static final String CUSTOMERS = "/customers/";

    private final HttpServer server;
    private final Map<String, Map<String, Object>> customers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private DeskStub(HttpServer server) {
        this.server = server;
    }

    public static DeskStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DeskStub stub = new DeskStub(server);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException("the desk stub did not start", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Puts customer {@code id} with these values (its id added). */
    public void put(String id, Map<String, Object> values) {
        Map<String, Object> customer = new java.util.LinkedHashMap<>(values);
        customer.put("id", id);
        customers.put(id, customer);
    }

    /** The customers as they are now, by id. */
    public Map<String, Map<String, Object>> customers() {
        return Map.copyOf(customers);
    }

    /** Every request received, as {@code METHOD path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            if (!exchange.getRequestMethod().equals("GET")) {
                StubHttp.sendJson(exchange, 405, Map.of("error", "this desk takes no writes"), Map.of());
                return;
            }
            Map<String, Object> customer = path.startsWith(CUSTOMERS) ? customers.get(path.substring(CUSTOMERS.length())) : null;
            if (customer == null) {
                StubHttp.sendJson(exchange, 404, Map.of("error", "no such customer"), Map.of());
                return;
            }
            StubHttp.sendJson(exchange, 200, customer, Map.of());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
