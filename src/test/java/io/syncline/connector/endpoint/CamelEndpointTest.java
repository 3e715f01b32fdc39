package io.syncline.connector.endpoint;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.exchange.ExchangeContract;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel-endpoint systems on real servers: contacts consumed from a queue of the machine's RabbitMQ
 * broker are stored in the inbox (a message id sent twice stored once, a message that is not JSON a
 * dead letter with its reason while the next message is taken) and written to another queue as
 * JSON messages carrying the write's key as their message id; CSV files dropped in a folder are read
 * by Camel's file component and CSV data format, each row an inbox event, the file moved to
 * {@code done} once its rows are stored, the same file dropped again stored nothing more, and the
 * rows appended to a CSV file.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class CamelEndpointTest {

    private static Connection rabbit;
    private static Channel channel;

    @BeforeAll
    static void queues() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        rabbit = factory.newConnection();
        channel = rabbit.createChannel();
        channel.exchangeDeclare(CamelEndpointResource.EXCHANGE, "direct", true);
        channel.queueDeclare(CamelEndpointResource.QUEUE_OUT, false, false, true, null);
        channel.queueBind(CamelEndpointResource.QUEUE_OUT, CamelEndpointResource.EXCHANGE, CamelEndpointResource.QUEUE_OUT);
    }

    @AfterAll
    static void close() throws Exception {
        channel.queueDelete(CamelEndpointResource.QUEUE_IN);
        channel.queueDelete(CamelEndpointResource.QUEUE_OUT);
        rabbit.close();
    }

    @Test
    void aQueuesMessagesAreStoredOnceAndWrittenToAnotherQueueWithTheirKey() throws Exception {
        String body = "{\"id\": \"c-1\", \"email\": \"Ada@Example.COM\", \"name\": \"Ada\"}";
        publish("msg-c-1", body);
        publish("msg-c-1", body);

        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE event_id = 'msg-c-1' AND status = 'done'")).hasSize(1);
        assertThat(rows("SELECT event_id, record_key FROM inbox WHERE source_system = 'crm-queue' AND event_id = 'msg-c-1'"))
                .hasSize(1).first().satisfies(row -> assertThat(row).containsEntry("record_key", "c-1"));
        // the duplicate was dropped at the inbox: one write of c-1 only
        List<GetResponse> written = written("\"id\":\"c-1\"", Duration.ofSeconds(2));
        assertThat(written).hasSize(1);
        assertThat(new String(written.get(0).getBody(), StandardCharsets.UTF_8)).contains("\"email\":\"ada@example.com\"");
        String key = written.get(0).getProps().getHeaders().get(ExchangeContract.MESSAGE_ID_HEADER).toString();
        assertThat(key).startsWith("syncline-");
        assertThat(written.get(0).getProps().getMessageId()).isEqualTo(key);
    }

    @Test
    void aMessageThatIsNoJsonIsADeadLetterAndTheNextIsTaken() throws Exception {
        publish("msg-broken", "{not json");
        publish("msg-c-2", "{\"id\": \"c-2\", \"email\": \"bob@example.com\", \"name\": \"Bob\"}");

        List<Map<String, Object>> letters = TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT reason, payload FROM dead_letter WHERE source_system = 'crm-queue'");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("reason").toString()).contains("not valid JSON");
        assertThat(letters.get(0)).containsEntry("payload", "{not json");
        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE event_id = 'msg-c-2'")).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queued(CamelEndpointResource.QUEUE_IN) == 0);
    }

    @Test
    void aMessageIsNotAcknowledgedUntilItIsStored() throws Exception {
        try (java.sql.Connection connection = TestDatabase.connect(CamelEndpointResource.DATABASE_URL);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION refuse_c3() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.event_id = 'msg-c-3' THEN RAISE EXCEPTION 'store away'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            statement.execute("CREATE TRIGGER refuse_c3 BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION refuse_c3()");
            publish("msg-c-3", "{\"id\": \"c-3\", \"email\": \"cy@example.com\", \"name\": \"Cy\"}");
            // refused by the store: neither stored nor dropped as a dead letter, and still in the broker's hands
            Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(100)), "msg-c-3 neither stored nor dead",
                    Duration.ofSeconds(2), () -> {
                        assertThat(rows("SELECT id FROM inbox WHERE event_id = 'msg-c-3'")).isEmpty();
                        assertThat(rows("SELECT id FROM dead_letter WHERE payload LIKE '%c-3%'")).isEmpty();
                    });
            statement.execute("DROP TRIGGER refuse_c3 ON inbox");
        }
        // redelivered by the broker and stored now
        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE event_id = 'msg-c-3'")).hasSize(1);
    }

    @Test
    void aDroppedCsvFilesRowsAreStoredThenTheFileIsMovedAndItsRowsAppended() throws Exception {
        String csv = "number,name\nA-1,Acme\nA-2,Globex\n";
        drop("accounts-1.csv", csv);
        Path done = CamelEndpointResource.FOLDER_IN.resolve("done").resolve("accounts-1.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(done));
        assertThat(rows("SELECT record_key FROM inbox WHERE source_system = 'erp-files' ORDER BY record_key"))
                .extracting(row -> row.get("record_key")).containsExactly("A-1", "A-2");
        assertThat(rows("SELECT event_id FROM inbox WHERE source_system = 'erp-files' ORDER BY event_id"))
                .extracting(row -> row.get("event_id").toString()).allMatch(id -> id.matches("[0-9a-f]{32}:[23]"));

        Path ledger = CamelEndpointResource.FOLDER_OUT.resolve("accounts.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ledger)
                && Files.readAllLines(ledger).size() == 2);
        assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("A-1,Acme", "A-2,Globex");

        // the same file again: moved, nothing more stored
        drop("accounts-1-again.csv", csv);
        Path doneAgain = CamelEndpointResource.FOLDER_IN.resolve("done").resolve("accounts-1-again.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(doneAgain));
        assertThat(rows("SELECT id FROM inbox WHERE source_system = 'erp-files'")).hasSize(2);
    }

    /** Writes the file aside, then renames it into the folder, as a sender that writes whole files does. */
    private static void drop(String name, String content) throws Exception {
        Files.createDirectories(CamelEndpointResource.FOLDER_IN);
        Path aside = CamelEndpointResource.FILES.resolve(name + ".part");
        Files.writeString(aside, content, StandardCharsets.UTF_8);
        Files.move(aside, CamelEndpointResource.FOLDER_IN.resolve(name));
    }

    private static void publish(String messageId, String body) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId).contentType("application/json")
                .build();
        channel.basicPublish(CamelEndpointResource.EXCHANGE, CamelEndpointResource.QUEUE_IN, properties,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The messages written to the output queue whose body holds {@code text}, taken throughout {@code window}; others are left. */
    private static List<GetResponse> written(String text, Duration window) {
        List<GetResponse> found = new java.util.ArrayList<>();
        Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(50)), "taking the written messages", window, () -> {
            for (GetResponse response = channel.basicGet(CamelEndpointResource.QUEUE_OUT, false); response != null;
                    response = channel.basicGet(CamelEndpointResource.QUEUE_OUT, false)) {
                if (new String(response.getBody(), StandardCharsets.UTF_8).contains(text)) {
                    found.add(response);
                    channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                } else {
                    channel.basicNack(response.getEnvelope().getDeliveryTag(), false, true);
                }
            }
        });
        return found;
    }

    private static long queued(String queue) throws Exception {
        return channel.messageCount(queue);
    }

    private static List<Map<String, Object>> rows(String sql) {
        return TestDatabase.queryOn(CamelEndpointResource.DATABASE_URL, sql);
    }
}
