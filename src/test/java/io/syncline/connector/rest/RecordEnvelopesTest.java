package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelReader;
import io.syncline.model.SyncModel;
import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records wrapped in envelopes, as a system's {@code objects} (or the mapping) say: writes wrap
 * the record, create answers and reads unwrap it, and the new id is read inside the answer's
 * envelope. Against a server in the test JVM that answers in the three shapes APIs use: an object
 * envelope both ways ({@code {"user": {…}}}), an array envelope with the create {@code PUT} on the
 * collection ({@code {"Contacts": [{…}]}}), and an envelope of answers only ({@code {"data": {…}}}).
 */
class RecordEnvelopesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the server got it. */
    record Received(String method, String path, Object body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpTargetClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/users",
                exchange -> answer(exchange, (method, body) -> method.equals("POST") ? Map.of("user", withId(body, "user", "id", 901))
                        : Map.of("user", method.equals("GET") ? Map.of("id", 901, "email", "ada@example.com")
                                : withId(body, "user", "id", 901))));
        server.createContext("/Contacts", exchange -> answer(exchange, (method, body) -> method.equals("POST")
                && exchange.getRequestURI().getPath().equals("/Contacts") ? null
                        : Map.of("Id", "f1", "Status", "OK", "Contacts", List.of(method.equals("GET")
                                ? Map.of("ContactID", "c-77", "Name", "Ada") : withId(firstOf(body), null, "ContactID", "c-77")))));
        server.createContext("/v1/persons", exchange -> answer(exchange, (method, body) -> Map.of("success", true, "data", withId(body, null, "id", 42))));
        server.createContext("/empty", exchange -> answer(exchange, (method, body) -> Map.of("user", Map.of())));
        server.start();
        client = new HttpTargetClient(Duration.ofSeconds(2), Duration.ofSeconds(5), name -> null, JSON, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private interface Answer {

        Object of(String method, Object body);
    }

    private void answer(HttpExchange exchange, Answer answer) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Object body = text.isEmpty() ? null : JSON.readValue(text, Object.class);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
        Object reply = answer.of(exchange.getRequestMethod(), body);
        byte[] bytes = JSON.writeValueAsBytes(reply == null ? Map.of("Message", "method not allowed") : reply);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply == null ? 405 : exchange.getRequestMethod().equals("POST") ? 201 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withId(Object body, String envelope, String key, Object id) {
        Map<String, Object> record = new LinkedHashMap<>(envelope == null ? (Map<String, Object>) body
                : (Map<String, Object>) ((Map<String, Object>) body).get(envelope));
        record.put(key, id);
        return record;
    }

    @SuppressWarnings("unchecked")
    private static Object firstOf(Object body) {
        return ((List<Object>) ((Map<String, Object>) body).get("Contacts")).get(0);
    }

    private SyncModel model(String objects, String mapping) {
        ModelReader.Result result = new ModelReader().read(List.of(file(objects, mapping)));
        assertThat(result.problems().problems()).isEmpty();
        return result.model();
    }

    private ModelFile file(String objects, String mapping) {
        String yaml = """
                systems:
                  api:
                    type: rest
                    baseUrl: %s
                %s
                entities:
                  person:
                    key: id
                    fields: {id: {type: string}, email: {type: string}}
                    mappings:
                      api:
                %s
                        fields: [{field: email, path: email}]
                """.formatted(base(), objects.indent(4).stripTrailing(), mapping.indent(8).stripTrailing());
        return new ModelFile("file:api.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RestTarget target(String objects, String mapping) {
        return RestTarget.of(model(objects, mapping), "person", "api");
    }

    @Test
    void anObjectEnvelopeWrapsWritesAndTheNewIdIsReadInsideTheAnswersEnvelope() {
        RestTarget users = target("""
                objects:
                  path: /api/v2/{object}
                  users: {envelope: user}""", """
                key: id
                resource: users
                write: {update: PUT}""");

        HttpWriteResult created = client.create(users, Map.of("email", "ada@example.com"));
        client.update(users, "901", Map.of("email", "ada@example.org"));
        Map<String, Object> read = client.read(users, "901").orElseThrow();

        assertThat(created.targetId()).isEqualTo("901");
        assertThat(received).extracting(Received::method, Received::path, Received::body).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/api/v2/users", Map.of("user", Map.of("email", "ada@example.com"))),
                org.assertj.core.groups.Tuple.tuple("PUT", "/api/v2/users/901", Map.of("user", Map.of("email", "ada@example.org"))),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/v2/users/901", null));
        assertThat(read).isEqualTo(Map.of("id", 901, "email", "ada@example.com"));
    }

    @Test
    void anArrayEnvelopeIsCreatedWithPutOnTheCollectionAndUpdatedWithPostAtTheRecord() {
        RestTarget contacts = target("""
                objects:
                  Contacts:
                    path: /Contacts
                    envelope: "Contacts[0]"
                    write: {create: PUT, createAt: collection, update: POST}""", """
                key: ContactID
                resource: Contacts""");

        String id = client.create(contacts, Map.of("Name", "Ada")).targetId();
        client.update(contacts, id, Map.of("Name", "Ada L."));
        Map<String, Object> read = client.read(contacts, id).orElseThrow();

        assertThat(id).isEqualTo("c-77");
        assertThat(received).extracting(Received::method, Received::path, Received::body).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PUT", "/Contacts", Map.of("Contacts", List.of(Map.of("Name", "Ada")))),
                org.assertj.core.groups.Tuple.tuple("POST", "/Contacts/c-77", Map.of("Contacts", List.of(Map.of("Name", "Ada L.")))),
                org.assertj.core.groups.Tuple.tuple("GET", "/Contacts/c-77", null));
        assertThat(read).containsEntry("ContactID", "c-77").containsEntry("Name", "Ada");
    }

    @Test
    void anAnswerEnvelopeAloneSendsTheRecordBareAndTheMappingMayOverrideTheObjects() {
        RestTarget persons = target("""
                objects: {envelope: record}""", """
                key: id
                resource: /v1/persons
                envelope: {answer: data}""");

        String id = client.create(persons, Map.of("email", "ada@example.com")).targetId();

        assertThat(id).isEqualTo("42");
        assertThat(received).singleElement().extracting(Received::body).isEqualTo(Map.of("email", "ada@example.com"));
    }

    @Test
    void createAtTheRecordStaysPutsDefaultAndTheTableCarriesEveryObjectsSharedMethods() {
        RestTarget users = target("""
                objects:
                  path: /api/v2/{object}
                  envelope: user
                  write: {create: PUT}""", """
                key: id
                resource: users""");

        client.create(users, Map.of("id", "u-1", "email", "ada@example.com"));

        assertThat(users.write().createAt()).isEqualTo(Write.CreateAt.RECORD);
        assertThat(received).extracting(Received::method, Received::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PUT", "/api/v2/users/u-1"));
    }

    @Test
    void anAnswerWithoutTheRecordInItsEnvelopeIsRejectedNamingThePath() {
        RestTarget users = target("""
                objects:
                  empty: {path: /empty, envelope: user}""", """
                key: id
                resource: empty""");

        assertThatThrownBy(() -> client.create(users, Map.of("email", "x@example.com")))
                .isInstanceOfSatisfying(TargetRejectedException.class, e -> assertThat(e.getMessage())
                        .contains("without the new record's id").contains("'user.id'"));
        assertThat(new ArrayList<>(received)).hasSize(1);
    }

    /**
     * An object a search lists (Jira's {@code /rest/api/3/search/jql?jql=…}) is created at its item's
     * collection and written at its item; without an item its list's query would be taken for a record's path.
     */
    @Test
    void anObjectListedByAQueryIsCreatedAtItsItemsCollectionAndNeedsItsItem() {
        RestTarget people = target("""
                objects:
                  people: {path: "/v1/search?q=team%3Dsales&fields=*all", item: "/v1/persons/{id}", envelope: {answer: data}}""", """
                key: id
                resource: people""");

        HttpWriteResult created = client.create(people, Map.of("email", "ada@example.com"));
        client.update(people, "42", Map.of("email", "ada@example.org"));

        assertThat(people.collection().getRawQuery()).isEqualTo("q=team%3Dsales&fields=*all");
        assertThat(created.targetId()).isEqualTo("42");
        assertThat(received).extracting(Received::method, Received::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/v1/persons"), org.assertj.core.groups.Tuple.tuple("PATCH", "/v1/persons/42"));
        assertThat(ModelProblems.of(name -> null, file("""
                objects:
                  people: {path: "/v1/search?q=team%3Dsales"}""", """
                key: id
                resource: people""")))
                .anySatisfy(problem -> assertThat(problem.toString()).contains("api.objects.people.item")
                        .contains("lists the records by a query")
                        .contains("item: /rest/api/3/issue/{id}"));
    }
}
