package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Streaming API of {@link SalesforceStub}'s org, as the Streaming API Developer Guide describes
 * it: Bayeux over CometD long polling at {@code POST /cometd/<version>}, each request an array of
 * messages answered by an array.
 * <ul>
 *   <li>{@code /meta/handshake} with {@code ext.replay: true} answers a {@code clientId} and
 *   {@code ext.replay: true}; a request without a valid OAuth token ({@code Authorization: OAuth …})
 *   is denied: {@code 403::Handshake denied}, {@code ext.sfdc.failureReason: 401::Authentication
 *   invalid}, {@code advice.reconnect: none}.</li>
 *   <li>{@code /meta/connect} answers the events queued for the client first, holding the request up
 *   to {@link #hold} while none are; with an invalid token {@code 401::Authentication invalid} and
 *   {@code advice.reconnect: none}; for a client the server no longer knows (dropped)
 *   {@code 403::Unknown client} and {@code advice.reconnect: handshake}.</li>
 *   <li>{@code /meta/subscribe} with {@code ext.replay: {channel: replayId}}: {@code -1} the events
 *   published from now on, {@code -2} every retained one first, {@code n} those after event
 *   {@code n}; an {@code n} of no retained event is refused: {@code 400::The replayId {n} you
 *   provided was invalid. …}. A channel of no object enabled for Change Data Capture is refused:
 *   {@code 400::The channel you requested to subscribe to does not exist {channel}}.</li>
 *   <li>An event, {@code {"channel", "data": {"schema", "payload": {"ChangeEventHeader": {…}, fields…},
 *   "event": {"replayId"}}}}: replay ids grow within the org; every event is retained.</li>
 * </ul>
 */
final class SalesforceStreaming {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/cometd/(\\d+\\.\\d)(/[a-z]+)?/?");

    /** One event as published, with the channel it went to. */
    record Event(String channel, long replayId, Map<String, Object> message) {
    }

    private static final class Client {

        final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 27);
        final Set<String> channels = ConcurrentHashMap.newKeySet();
        final LinkedBlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();
        boolean connected;
    }

    private final Predicate<String> validToken;
    private final AtomicLong replayIds = new AtomicLong();
    private final AtomicLong commits = new AtomicLong(1_000);
    private final List<Event> retained = new CopyOnWriteArrayList<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    /** The replay ids each subscription asked for, channel to id, in order: what the tests read resumptions from. */
    final List<Map<String, Object>> subscriptions = new CopyOnWriteArrayList<>();
    /** How long a connect waits for an event before it is answered with none. */
    volatile Duration hold = Duration.ofSeconds(2);
    /** How long before its publication an event says it committed. */
    volatile Duration publishingDelay = Duration.ZERO;

    SalesforceStreaming(Predicate<String> validToken) {
        this.validToken = validToken;
    }

    void channel(String channel) {
        channels.add(channel);
    }

    boolean hasChannel(String channel) {
        return channels.contains(channel);
    }

    List<Event> events() {
        return List.copyOf(retained);
    }

    /** Publishes a change event on {@code channel}: its header and fields; returns its replay id. */
    synchronized long publish(String channel, Map<String, Object> header, Map<String, Object> fields) {
        long replayId = replayIds.incrementAndGet();
        Map<String, Object> completeHeader = new LinkedHashMap<>();
        completeHeader.put("entityName", header.get("entityName"));
        completeHeader.put("recordIds", header.get("recordIds"));
        completeHeader.put("changeType", header.get("changeType"));
        completeHeader.put("changeOrigin", header.getOrDefault("changeOrigin", ""));
        completeHeader.put("transactionKey", UUID.randomUUID().toString());
        completeHeader.put("sequenceNumber", 1);
        completeHeader.put("commitTimestamp", System.currentTimeMillis() - publishingDelay.toMillis());
        completeHeader.put("commitUser", "005STUB00000001AAA");
        completeHeader.put("commitNumber", commits.incrementAndGet());
        completeHeader.put("changedFields", header.getOrDefault("changedFields", List.of()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", completeHeader);
        payload.putAll(fields);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", "IeRuaY6cbI_HsV8Rv1Mc5g");
        data.put("payload", payload);
        data.put("event", Map.of("replayId", replayId));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("channel", channel);
        message.put("data", data);
        retained.add(new Event(channel, replayId, message));
        for (Client client : clients.values()) {
            if (client.channels.contains(channel)) {
                client.queue.add(message);
            }
        }
        return replayId;
    }

    /** Delivers a retained event once more to each client subscribed to its channel, as an at-least-once stream may. */
    synchronized void redeliver(String channel, long replayId) {
        Event event = retained.stream().filter(each -> each.channel().equals(channel) && each.replayId() == replayId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event " + replayId + " on " + channel));
        for (Client client : clients.values()) {
            if (client.channels.contains(channel)) {
                client.queue.add(event.message());
            }
        }
    }

    /** Forgets every client, as after a server restart: their next connect is refused and they handshake again. */
    void dropClients() {
        clients.clear();
    }

    void handle(HttpExchange exchange) throws IOException {
        Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
        if (!path.matches() || !exchange.getRequestMethod().equals("POST")) {
            send(exchange, 400, List.of(Map.of("successful", false,
                    "error", "400::API version in the URI is mandatory. URI format: '/cometd/62.0'")));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean authorised = authorization != null && validToken.test(authorization.replaceFirst("^(OAuth|Bearer) ", ""));
        Object body = JSON.readValue(exchange.getRequestBody().readAllBytes(), Object.class);
        List<?> messages = body instanceof List<?> list ? list : List.of(body);
        List<Map<String, Object>> answers = new ArrayList<>();
        for (Object each : messages) {
            @SuppressWarnings("unchecked")
            Map<String, Object> message = (Map<String, Object>) each;
            answers.addAll(answer(message, authorised));
        }
        send(exchange, 200, answers);
    }

    private List<Map<String, Object>> answer(Map<String, Object> message, boolean authorised) {
        String channel = String.valueOf(message.get("channel"));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("channel", channel);
        if (message.get("id") != null) {
            reply.put("id", message.get("id"));
        }
        if (channel.equals("/meta/handshake")) {
            if (!authorised) {
                reply.put("successful", false);
                reply.put("error", "403::Handshake denied");
                reply.put("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid")));
                reply.put("advice", Map.of("reconnect", "none"));
                return List.of(reply);
            }
            Client client = new Client();
            clients.put(client.id, client);
            reply.put("version", "1.0");
            reply.put("minimumVersion", "1.0");
            reply.put("clientId", client.id);
            reply.put("supportedConnectionTypes", List.of("long-polling"));
            reply.put("ext", Map.of("replay", true, "payload.format", true));
            reply.put("successful", true);
            return List.of(reply);
        }
        String clientId = String.valueOf(message.get("clientId"));
        reply.put("clientId", clientId);
        Client client = clients.get(clientId);
        if (!authorised && !channel.equals("/meta/disconnect")) {
            reply.put("successful", false);
            reply.put("error", "401::Authentication invalid");
            reply.put("advice", Map.of("reconnect", "none", "interval", 0));
            return List.of(reply);
        }
        if (client == null) {
            reply.put("successful", false);
            reply.put("error", "403::Unknown client");
            reply.put("advice", Map.of("reconnect", "handshake", "interval", 0));
            return List.of(reply);
        }
        return switch (channel) {
            case "/meta/connect" -> connect(client, reply);
            case "/meta/subscribe" -> List.of(subscribe(client, message, reply));
            case "/meta/unsubscribe" -> {
                client.channels.remove(String.valueOf(message.get("subscription")));
                reply.put("subscription", message.get("subscription"));
                reply.put("successful", true);
                yield List.of(reply);
            }
            case "/meta/disconnect" -> {
                clients.remove(clientId);
                reply.put("successful", true);
                yield List.of(reply);
            }
            default -> {
                reply.put("successful", false);
                reply.put("error", "400::Publishing is not supported on this channel " + channel);
                yield List.of(reply);
            }
        };
    }

    /** The queued events and the connect's answer; the first connect is answered at once, as CometD servers do. */
    private List<Map<String, Object>> connect(Client client, Map<String, Object> reply) {
        List<Map<String, Object>> answers = new ArrayList<>();
        if (client.connected) {
            try {
                Map<String, Object> first = client.queue.poll(hold.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    answers.add(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.connected = true;
        client.queue.drainTo(answers);
        reply.put("successful", true);
        reply.put("advice", Map.of("reconnect", "retry", "interval", 0, "timeout", hold.toMillis()));
        answers.add(reply);
        return answers;
    }

    private Map<String, Object> subscribe(Client client, Map<String, Object> message, Map<String, Object> reply) {
        String channel = String.valueOf(message.get("subscription"));
        reply.put("subscription", channel);
        if (!channels.contains(channel)) {
            reply.put("successful", false);
            reply.put("error", "400::The channel you requested to subscribe to does not exist {" + channel + "}");
            return reply;
        }
        long from = -1;
        if (message.get("ext") instanceof Map<?, ?> ext && ext.get("replay") instanceof Map<?, ?> replay
                && replay.get(channel) instanceof Number asked) {
            from = asked.longValue();
        }
        subscriptions.add(Map.of("channel", channel, "replayId", from));
        long after = from;
        if (after != -1 && after != -2 && retained.stream().noneMatch(event -> event.channel().equals(channel) && event.replayId() == after)) {
            reply.put("successful", false);
            reply.put("error", "400::The replayId {" + after + "} you provided was invalid.  Please provide a valid ID, -2 to replay"
                    + " all events, or -1 to replay only new events.");
            return reply;
        }
        synchronized (this) {
            if (after != -1) {
                retained.stream().filter(event -> event.channel().equals(channel) && event.replayId() > after)
                        .forEach(event -> client.queue.add(event.message()));
            }
            client.channels.add(channel);
        }
        reply.put("successful", true);
        return reply;
    }

    Collection<String> clientIds() {
        return clients.keySet();
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
