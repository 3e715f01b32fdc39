package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Notion workspace's databases and their pages, API version 2025-09-03, as the OpenAPI description
 * Notion publishes with its MCP server ({@code notion-openapi.json}) and Notion's reference pages
 * (developers.notion.com: authentication, versioning, request limits, status codes, pagination, the
 * page and property value objects, webhooks) describe them, in the test JVM (JDK HttpServer on a free
 * port), under the server's path {@code /v1}. Every request is kept, for a test to check against that
 * description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: a bearer token, else 401 {@code {"object": "error", "status", "code": "unauthorized",
 *   "message"}}, the shape of every error here; a request without {@code Notion-Version} 400
 *   {@code missing_version}.</li>
 *   <li>{@code GET /v1/databases/{id}}: the database, listing its {@code data_sources}; {@code GET
 *   /v1/data_sources/{id}}: the data source and its {@code properties}' schema.</li>
 *   <li>{@code POST /v1/data_sources/{id}/query} {@code {"page_size", "start_cursor"}}: its pages not in
 *   the trash, oldest first, as {@code {"object": "list", "results", "next_cursor", "has_more"}};
 *   {@code page_size} 1 to 100, a cursor the stub did not give, 400 {@code validation_error}.</li>
 *   <li>{@code POST /v1/pages} {@code {"parent": {"database_id"} | {"data_source_id"}, "properties"}}:
 *   200 with the page; a property the data source has not, or a value not of its type, 400
 *   {@code validation_error}; a database of several data sources as the parent, 400.</li>
 *   <li>{@code GET} and {@code PATCH /v1/pages/{id}}: the page; an update changes only the properties
 *   it sends, and {@code in_trash} moves it to the trash or back; 404 {@code object_not_found}.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code rate_limited} with
 *   {@code Retry-After} (seconds).</li>
 *   <li>Webhooks: {@link #event} writes an event as a subscription posts it, and {@link #sign} its
 *   {@code X-Notion-Signature}: {@code sha256=} and the hex HMAC-SHA256 of the body keyed with the
 *   subscription's verification token.</li>
 * </ul>
 */
public final class NotionStub extends LoopbackStub {

    public static final String BASE = "/v1";
    public static final String PAGES = BASE + "/pages";
    private static final Pattern PAGE = Pattern.compile(PAGES + "/([0-9a-f-]+)");
    private static final Pattern DATABASE = Pattern.compile(BASE + "/databases/([0-9a-f-]+)");
    private static final Pattern DATA_SOURCE = Pattern.compile(BASE + "/data_sources/([0-9a-f-]+)");
    private static final Pattern QUERY = Pattern.compile(BASE + "/data_sources/([0-9a-f-]+)/query");
    private static final int MAX_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    /** Each database's data sources. */
    private final Map<String, List<String>> databases = new ConcurrentHashMap<>();
    /** Each data source's properties: name to type. */
    private final Map<String, Map<String, String>> schemas = new ConcurrentHashMap<>();
    private final Map<String, String> databaseOf = new ConcurrentHashMap<>();
    /** Pages in the order they were created. */
    private final Map<String, Map<String, Object>> pages = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> cursors = new ConcurrentHashMap<>();

    private NotionStub(String token) {
        this.authorization = "Bearer " + token;
        serve(this::handle, BASE + "/");
    }

    /** A workspace whose integration's token is {@code token}. */
    public static NotionStub start(String token) {
        return new NotionStub(token);
    }

    /** A database with one data source of these properties (name to type: {@code title}, {@code email}, …); the data source's id. */
    public String addDatabase(String database, Map<String, String> properties) {
        String dataSource = UUID.randomUUID().toString();
        databases.computeIfAbsent(database, id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(dataSource);
        schemas.put(dataSource, new LinkedHashMap<>(properties));
        databaseOf.put(dataSource, database);
        return dataSource;
    }

    /** The data sources of the database {@code database}, oldest first. */
    public List<String> dataSources(String database) {
        return List.copyOf(databases.getOrDefault(database, List.of()));
    }

    /** A page the data source has already, of these plain values (a title's text, an e-mail); its id. */
    public String add(String dataSource, Map<String, Object> values) {
        Map<String, Object> properties = new LinkedHashMap<>();
        values.forEach((name, value) -> properties.put(name, property(schemas.get(dataSource).get(name), value)));
        return page(dataSource, properties);
    }

    /** The page {@code id}; null when the workspace has none. */
    public Map<String, Object> page(String id) {
        return pages.get(id);
    }

    /** The plain value of the page's property {@code name}: a title's or text's content, an e-mail, a select's name. */
    @SuppressWarnings("unchecked")
    public Object value(String id, String name) {
        Map<String, Object> property = (Map<String, Object>) ((Map<String, Object>) pages.get(id).get("properties")).get(name);
        if (property == null) {
            return null;
        }
        Object value = property.get(property.get("type"));
        if (value instanceof List<?> items) {
            StringBuilder text = new StringBuilder();
            items.forEach(item -> text.append(((Map<String, Object>) item).get("plain_text")));
            return text.toString();
        }
        return value instanceof Map<?, ?> option ? option.get("name") : value;
    }

    /** Changes the page as a user's edit in Notion does: the plain values of its properties, and its {@code last_edited_time}. */
    @SuppressWarnings("unchecked")
    public void edit(String id, Map<String, Object> values) {
        Map<String, Object> page = pages.get(id);
        String dataSource = (String) ((Map<String, Object>) page.get("parent")).get("data_source_id");
        Map<String, Object> properties = (Map<String, Object>) page.get("properties");
        values.forEach((name, value) -> properties.put(name, property(schemas.get(dataSource).get(name), value)));
        page.put("last_edited_time", now());
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} keyed with {@code token}: an event's {@code X-Notion-Signature}. */
    public static String sign(String token, String body) {
        return "sha256=" + StubHttp.hexHmacSha256(token, body);
    }

    /**
     * An event of {@code type} ({@code page.created}, {@code page.properties_updated}) on the page
     * {@code page} of {@code database}, as a subscription posts it: {@code {"id", "timestamp",
     * "workspace_id", "subscription_id", "integration_id", "type", "authors", "attempt_number",
     * "entity": {"id", "type": "page"}, "data": {"parent": {"id", "type": "database"}}}}.
     */
    public static String event(String id, String type, String page, String database) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("timestamp", now());
        event.put("workspace_id", "13950b26-c203-4f3b-b97d-93ec06319565");
        event.put("workspace_name", "Syncline tests");
        event.put("subscription_id", "29d75c0d-5546-4414-8459-7b7a92f1fc4b");
        event.put("integration_id", "0ef2e755-4912-8096-91c1-00376a88a5ca");
        event.put("type", type);
        event.put("authors", List.of(Map.of("id", "c7c11cca-1d73-471d-9b6e-bdef51470190", "type", "person")));
        event.put("attempt_number", 1);
        event.put("entity", Map.of("id", page, "type", "page"));
        event.put("data", Map.of("parent", Map.of("id", database, "type", "database")));
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Notion's error body: {@code {"object": "error", "status", "code", "message"}}. */
    public static Map<String, Object> error(int status, String code, String message) {
        return Map.of("object", "error", "status", status, "code", code, "message", message);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, error(401, "unauthorized", "API token is invalid."))) {
                return;
            }
            if (request.header("Notion-Version") == null) {
                StubHttp.sendJson(exchange, 400, error(400, "missing_version", "Notion-Version header failed validation:"
                        + " Notion-Version should be defined."), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, error(429, "rate_limited", "You have been rate limited. Please try again"
                    + " in a few minutes."), () -> Map.of("Retry-After", "1"))) {
                return;
            }
            Matcher query = QUERY.matcher(path);
            Matcher dataSource = DATA_SOURCE.matcher(path);
            Matcher database = DATABASE.matcher(path);
            Matcher page = PAGE.matcher(path);
            if (query.matches() && method.equals("POST") && schemas.containsKey(query.group(1))) {
                query(exchange, query.group(1), body(request.body()));
            } else if (dataSource.matches() && method.equals("GET") && schemas.containsKey(dataSource.group(1))) {
                StubHttp.sendJson(exchange, 200, dataSource(dataSource.group(1)), Map.of());
            } else if (database.matches() && method.equals("GET") && databases.containsKey(database.group(1))) {
                StubHttp.sendJson(exchange, 200, database(database.group(1)), Map.of());
            } else if (path.equals(PAGES) && method.equals("POST")) {
                create(exchange, body(request.body()));
            } else if (page.matches() && pages.containsKey(page.group(1)) && method.equals("GET")) {
                StubHttp.sendJson(exchange, 200, pages.get(page.group(1)), Map.of());
            } else if (page.matches() && pages.containsKey(page.group(1)) && method.equals("PATCH")) {
                update(exchange, pages.get(page.group(1)), body(request.body()));
            } else {
                StubHttp.sendJson(exchange, 404, error(404, "object_not_found", "Could not find object. Make sure the relevant"
                        + " pages and databases are shared with your integration."), Map.of());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String body) throws IOException {
        return body == null || body.isBlank() ? Map.of() : JSON.readValue(body, Map.class);
    }

    private Map<String, Object> database(String id) {
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("object", "database");
        database.put("id", id);
        database.put("title", List.of(text("Contacts")));
        database.put("parent", Map.of("type", "workspace", "workspace", true));
        database.put("is_inline", false);
        database.put("in_trash", false);
        List<Map<String, Object>> sources = new ArrayList<>();
        databases.get(id).forEach(source -> sources.add(Map.of("id", source, "name", "Contacts")));
        database.put("data_sources", sources);
        return database;
    }

    private Map<String, Object> dataSource(String id) {
        Map<String, Object> properties = new LinkedHashMap<>();
        schemas.get(id).forEach((name, type) -> properties.put(name, Map.of("id", propertyId(name), "name", name, "type", type,
                type, Map.of())));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("object", "data_source");
        source.put("id", id);
        source.put("title", List.of(text("Contacts")));
        source.put("parent", Map.of("type", "database_id", "database_id", databaseOf.get(id)));
        source.put("properties", properties);
        return source;
    }

    private void query(HttpExchange exchange, String dataSource, Map<String, Object> body) throws IOException {
        Object size = body.getOrDefault("page_size", MAX_PAGE);
        if (!(size instanceof Integer pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
            StubHttp.sendJson(exchange, 400, error(400, "validation_error", "body failed validation: body.page_size should be"
                    + " less than or equal to " + MAX_PAGE + ", instead was `" + size + "`."), Map.of());
            return;
        }
        int from = 0;
        if (body.get("start_cursor") != null) {
            Integer given = cursors.get(body.get("start_cursor").toString());
            if (given == null) {
                StubHttp.sendJson(exchange, 400, error(400, "validation_error", "The start_cursor provided is invalid: "
                        + body.get("start_cursor")), Map.of());
                return;
            }
            from = given;
        }
        List<Map<String, Object>> listed;
        synchronized (pages) {
            listed = pages.values().stream().filter(page -> dataSource.equals(dataSourceOf(page)))
                    .filter(page -> !Boolean.TRUE.equals(page.get("in_trash"))).toList();
        }
        int to = Math.min(listed.size(), from + pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("object", "list");
        answer.put("results", listed.subList(Math.min(from, to), to));
        String next = null;
        if (to < listed.size()) {
            next = UUID.randomUUID().toString();
            cursors.put(next, to);
        }
        answer.put("next_cursor", next);
        answer.put("has_more", next != null);
        answer.put("type", "page_or_data_source");
        answer.put("page_or_data_source", Map.of());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static String dataSourceOf(Map<String, Object> page) {
        return (String) ((Map<String, Object>) page.get("parent")).get("data_source_id");
    }

    @SuppressWarnings("unchecked")
    private void create(HttpExchange exchange, Map<String, Object> body) throws IOException {
        Map<String, Object> parent = body.get("parent") instanceof Map<?, ?> given ? (Map<String, Object>) given : Map.of();
        String dataSource = (String) parent.get("data_source_id");
        if (dataSource == null && parent.get("database_id") != null) {
            List<String> sources = databases.getOrDefault(parent.get("database_id").toString(), List.of());
            if (sources.size() > 1) {
                StubHttp.sendJson(exchange, 400, error(400, "validation_error", "Database with ID " + parent.get("database_id")
                        + " has multiple data sources; provide a data_source_id parent instead."), Map.of());
                return;
            }
            dataSource = sources.isEmpty() ? null : sources.get(0);
        }
        if (dataSource == null || !schemas.containsKey(dataSource)) {
            StubHttp.sendJson(exchange, 404, error(404, "object_not_found", "Could not find database with ID: " + parent), Map.of());
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        String refused = properties(dataSource, (Map<String, Object>) body.getOrDefault("properties", Map.of()), properties);
        if (refused != null) {
            StubHttp.sendJson(exchange, 400, error(400, "validation_error", refused), Map.of());
            return;
        }
        StubHttp.sendJson(exchange, 200, pages.get(page(dataSource, properties)), Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void update(HttpExchange exchange, Map<String, Object> page, Map<String, Object> body) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        String refused = properties(dataSourceOf(page), (Map<String, Object>) body.getOrDefault("properties", Map.of()), properties);
        if (refused != null) {
            StubHttp.sendJson(exchange, 400, error(400, "validation_error", refused), Map.of());
            return;
        }
        ((Map<String, Object>) page.get("properties")).putAll(properties);
        if (body.get("in_trash") instanceof Boolean trashed) {
            page.put("in_trash", trashed);
            page.put("archived", trashed);
        }
        page.put("last_edited_time", now());
        StubHttp.sendJson(exchange, 200, page, Map.of());
    }

    /** The sent property values as the page keeps them; null when all are the data source's, of their types, else why not. */
    @SuppressWarnings("unchecked")
    private String properties(String dataSource, Map<String, Object> sent, Map<String, Object> kept) {
        Map<String, String> schema = schemas.get(dataSource);
        for (Map.Entry<String, Object> property : sent.entrySet()) {
            String type = schema.get(property.getKey());
            if (type == null) {
                return property.getKey() + " is not a property that exists.";
            }
            if (!(property.getValue() instanceof Map<?, ?> value) || value.size() != 1 || !value.containsKey(type)) {
                return "body failed validation: body.properties." + property.getKey() + "." + type + " should be defined.";
            }
            Object given = value.get(type);
            Object plain = switch (type) {
                case "title", "rich_text" -> {
                    StringBuilder text = new StringBuilder();
                    for (Object item : (Collection<Object>) given) {
                        text.append(((Map<String, Object>) ((Map<String, Object>) item).get("text")).get("content"));
                    }
                    yield text.toString();
                }
                case "select", "status" -> given == null ? null : ((Map<String, Object>) given).get("name");
                default -> given;
            };
            if (type.equals("email") && plain != null && !(plain instanceof String)) {
                return "body failed validation: body.properties." + property.getKey() + ".email should be a string or `null`.";
            }
            kept.put(property.getKey(), property(type, plain));
        }
        return null;
    }

    private String page(String dataSource, Map<String, Object> properties) {
        String id = UUID.randomUUID().toString();
        String at = now();
        Map<String, String> schema = schemas.get(dataSource);
        Map<String, Object> all = new LinkedHashMap<>();
        schema.forEach((name, type) -> all.put(name, property(type, null)));
        all.putAll(properties);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "page");
        page.put("id", id);
        page.put("created_time", at);
        page.put("last_edited_time", at);
        page.put("created_by", Map.of("object", "user", "id", "c7c11cca-1d73-471d-9b6e-bdef51470190"));
        page.put("last_edited_by", Map.of("object", "user", "id", "c7c11cca-1d73-471d-9b6e-bdef51470190"));
        page.put("cover", null);
        page.put("icon", null);
        page.put("parent", Map.of("type", "data_source_id", "data_source_id", dataSource, "database_id", databaseOf.get(dataSource)));
        page.put("archived", false);
        page.put("in_trash", false);
        page.put("properties", all);
        page.put("url", "https://www.notion.so/" + id.replace("-", ""));
        pages.put(id, page);
        return id;
    }

    /** A property value object of {@code type} holding the plain {@code value}. */
    private static Map<String, Object> property(String type, Object value) {
        Object typed = switch (type) {
            case "title", "rich_text" -> value == null || value.toString().isEmpty() ? List.of() : List.of(text(value.toString()));
            case "select", "status" -> value == null ? null : Map.of("id", propertyId(value.toString()), "name", value, "color", "default");
            default -> value;
        };
        Map<String, Object> property = new LinkedHashMap<>();
        property.put("id", propertyId(type));
        property.put("type", type);
        property.put(type, typed);
        return property;
    }

    private static Map<String, Object> text(String content) {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("type", "text");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("content", content);
        inner.put("link", null);
        text.put("text", inner);
        text.put("annotations", Map.of("bold", false, "italic", false, "strikethrough", false, "underline", false, "code", false,
                "color", "default"));
        text.put("plain_text", content);
        text.put("href", null);
        return text;
    }

    private static String propertyId(String name) {
        return Integer.toHexString(name.hashCode() & 0xfff);
    }
}
