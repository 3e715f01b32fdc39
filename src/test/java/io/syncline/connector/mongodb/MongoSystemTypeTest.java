package io.syncline.connector.mongodb;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mongodb system type against a wire-compatible MongoDB server in the test JVM (mongo-java-server,
 * on a free port), through Camel's MongoDB component: writes by key, each record once, updates and
 * deletes; a collection pulled whole in key order, page by page; changes read after a watermark.
 */
class MongoSystemTypeTest {

    private static MongoServer server;
    private static CamelContext camel;
    private static MongoSystemType type;
    private static SystemDefinition system;

    @BeforeAll
    static void start() throws Exception {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        camel = new DefaultCamelContext();
        camel.start();
        type = new MongoSystemType();
        type.producer = camel.createProducerTemplate();
        type.environment = Map.of("MONGODB_URI", "mongodb://127.0.0.1:" + address.getPort())::get;
        system = SystemDefinition.of("mongodb", Map.of("connection", Map.of("env", "MONGODB_URI"), "database", "shop"));
    }

    @AfterAll
    static void stop() {
        camel.stop();
        server.shutdownNow();
    }

    private static SystemMapping mapping(String collection) {
        return SystemMapping.of("id", List.of(), null, Map.of("collection", collection));
    }

    private static List<Map<String, Object>> pullAll(SystemMapping mapping, int pageSize, PullResult[] result) throws Exception {
        List<Map<String, Object>> read = new ArrayList<>();
        result[0] = type.puller().pull(new PullRequest("contact", "store", system, mapping, pageSize), page -> read.addAll(page));
        return read;
    }

    @Test
    void writesEachRecordOnceThenUpdatesAndDeletes() throws Exception {
        SystemMapping mapping = mapping("contacts_written");
        MongoCollection contacts = type.collection("store", system, mapping);
        for (int i = 0; i < 1000; i++) {
            contacts.save(String.format("c%04d", i), Map.of("id", String.format("c%04d", i), "email", "c" + i + "@example.com"));
        }
        // a redelivered write of the same records changes nothing: the key is the document's _id
        for (int i = 0; i < 100; i++) {
            contacts.save(String.format("c%04d", i), Map.of("id", String.format("c%04d", i), "email", "c" + i + "@example.com"));
        }
        for (int i = 0; i < 1000; i += 10) {
            contacts.save(String.format("c%04d", i), Map.of("id", String.format("c%04d", i), "email", "new" + i + "@example.com"));
        }
        for (int i = 5; i < 1000; i += 50) {
            assertThat(contacts.remove(String.format("c%04d", i))).isTrue();
        }
        assertThat(contacts.remove("c0005")).as("a delete of a record gone already").isFalse();

        PullResult[] result = new PullResult[1];
        List<Map<String, Object>> read = pullAll(mapping, 128, result);
        assertThat(read).hasSize(980);
        assertThat(read.stream().map(r -> r.get("id")).distinct().count()).isEqualTo(980);
        assertThat(result[0].reachedEnd()).isTrue();
        assertThat(result[0].records()).isEqualTo(980);
        assertThat(result[0].pages()).isEqualTo(8);
        assertThat(contacts.find("c0010")).containsEntry("email", "new10@example.com");
        assertThat(contacts.find("c0011")).containsEntry("email", "c11@example.com");
        assertThat(contacts.find("c0055")).isNull();
    }

    @Test
    void pullsTheCollectionWholeInKeyOrder() throws Exception {
        SystemMapping mapping = mapping("contacts_pulled");
        MongoCollection contacts = type.collection("store", system, mapping);
        for (String id : List.of("k3", "k1", "k5", "k2", "k4")) {
            contacts.save(id, Map.of("id", id, "name", "N" + id));
        }
        PullResult[] result = new PullResult[1];
        List<Map<String, Object>> read = pullAll(mapping, 2, result);
        assertThat(read).extracting(r -> r.get("id")).containsExactly("k1", "k2", "k3", "k4", "k5");
        assertThat(read.get(0)).isEqualTo(Map.of("id", "k1", "name", "Nk1"));
        assertThat(result[0].pages()).isEqualTo(3);
        assertThat(result[0].reachedEnd()).isTrue();
        assertThat(type.puller().pull(new PullRequest("contact", "store", system, mapping, 2, List.of("k2", "k5", "k9")),
                page -> read.addAll(page)).records()).isEqualTo(2);
    }

    @Test
    void readsTheChangesAfterAWatermarkByModificationTimeThenKey() throws Exception {
        SystemMapping mapping = mapping("contacts_changed");
        MongoCollection contacts = type.collection("store", system, mapping);
        Instant t1 = Instant.parse("2026-01-01T10:00:00Z");
        Instant t2 = Instant.parse("2026-01-01T11:00:00Z");
        Map<String, Instant> modified = new LinkedHashMap<>();
        modified.put("a", t1);
        modified.put("b", t2);
        modified.put("c", t2);
        modified.put("d", t1);
        modified.forEach((id, at) -> {
            Map<String, Object> row = new HashMap<>();
            row.put("id", id);
            row.put("modifiedAt", java.util.Date.from(at));
            contacts.save(id, row);
        });
        List<Object> read = new ArrayList<>();
        PullRequest changes = new PullRequest("contact", "store", system, mapping, 1, null,
                new PullRequest.Changes("modifiedAt", new Watermark(t1, "a")));
        type.puller().pull(changes, page -> page.forEach(r -> read.add(r.get("id") + "@" + r.get("modifiedAt"))));
        assertThat(read).containsExactly("d@" + t1, "b@" + t2, "c@" + t2);
    }
}
