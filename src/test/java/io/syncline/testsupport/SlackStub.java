package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Slack incoming webhook: accepts {@code POST} of JSON with a {@code text} field and answers
 * {@code 200 ok} as Slack does ({@code 400 invalid_payload} without text). Keeps every message.
 */
public final class SlackStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    public final List<Map<String, Object>> messages = new CopyOnWriteArrayList<>();

    public SlackStub() throws IOException {
        this(0);
    }

    /** A stub listening on {@code port} (0: any free one). */
    public SlackStub(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/services/T000/B000/XXXX", exchange -> {
            try (exchange) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = JSON.readValue(exchange.getRequestBody(), Map.class);
                boolean valid = "POST".equals(exchange.getRequestMethod()) && body.get("text") instanceof String;
                byte[] answer = (valid ? "ok" : "invalid_payload").getBytes();
                if (valid) {
                    messages.add(body);
                }
                exchange.sendResponseHeaders(valid ? 200 : 400, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    public String url() {
        return urlOn(server.getAddress().getPort());
    }

    /**
     * A free port for a stub that a test profile's settings name before the test opens it, chosen
     * once for the JVM under {@code property} (a system property, which every class loader of the
     * test sees alike).
     */
    public static int portFor(String property) {
        String chosen = System.getProperty(property);
        if (chosen == null) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                chosen = String.valueOf(socket.getLocalPort());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.setProperty(property, chosen);
        }
        return Integer.parseInt(chosen);
    }

    /** The incoming-webhook address of a stub on {@code port}. */
    public static String urlOn(int port) {
        return "http://127.0.0.1:" + port + "/services/T000/B000/XXXX";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
