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
import io.syncline.testsupport.KafkaBroker;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import static org.assertj.core.api.Assertions.tuple;

/**
 * Camel-endpoint systems on real servers: contacts consumed from a queue of the machine's RabbitMQ
 * broker are stored in the inbox (a message id sent twice stored once, a message that is not JSON a
 * dead letter with its reason while the next message is taken) and written to another queue as
 * JSON messages carrying the write's key as their message id; CSV files dropped in a folder are read
 * by Camel's file component and CSV data format, each row an inbox event, the file moved to
 * {@code done} once its rows are stored, the same file dropped again stored nothing more, and the
 * rows appended to a CSV file, a malformed row a dead letter naming the file and line, kept once;
 * leads consumed from a topic of a real Kafka broker are stored once
 * (by the {@code eventId} header, else their topic, partition and offset) and written to another topic
 * keyed by their id with the write's key as a header, and a record the store refused is not committed
 * past, nor is any later record of its partition stored before it.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class CamelEndpointTest {

    /** The Kafka broker of {@link CamelEndpointResource}. */
    KafkaBroker kafka;

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
            refuse(statement, "refuse_c3", "msg-c-3");
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
        assertThat(rows("SELECT record_key FROM inbox WHERE source_system = 'erp-files' AND record_key LIKE 'A-%' ORDER BY record_key"))
                .extracting(row -> row.get("record_key")).containsExactly("A-1", "A-2");
        assertThat(rows("SELECT event_id FROM inbox WHERE source_system = 'erp-files' AND record_key LIKE 'A-%' ORDER BY event_id"))
                .extracting(row -> row.get("event_id").toString()).allMatch(id -> id.matches("[0-9a-f]{32}:[23]"));

        Path ledger = CamelEndpointResource.FOLDER_OUT.resolve("accounts.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ledger)
                && accounts(ledger, "A-").size() == 2);
        assertThat(accounts(ledger, "A-")).containsExactlyInAnyOrder("A-1,Acme", "A-2,Globex");

        // the same file again: moved, nothing more stored
        drop("accounts-1-again.csv", csv);
        Path doneAgain = CamelEndpointResource.FOLDER_IN.resolve("done").resolve("accounts-1-again.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(doneAgain));
        assertThat(rows("SELECT id FROM inbox WHERE source_system = 'erp-files' AND record_key LIKE 'A-%'")).hasSize(2);
    }

    @Test
    void aMalformedCsvRowIsADeadLetterNamingTheFileAndLineWhileTheGoodRowsAreStored() throws Exception {
        String csv = "number,name\nB-1,Initech\nB-2,Hooli,extra\nB-3,Umbrella\n";
        drop("billing-2.csv", csv);
        Path dropped = CamelEndpointResource.FOLDER_IN.resolve("billing-2.csv");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(dropped));
        assertThat(rows("SELECT record_key, event_id FROM inbox WHERE record_key LIKE 'B-%' ORDER BY record_key"))
                .extracting(row -> row.get("record_key"), row -> row.get("event_id").toString().replaceAll("^.*:", ""))
                .containsExactly(tuple("B-1", "2"), tuple("B-3", "4"));
        String letters = "SELECT reason, payload FROM dead_letter WHERE source_system = 'erp-files'";
        assertThat(rows(letters)).singleElement().satisfies(letter -> {
            assertThat(letter.get("reason").toString()).contains("billing-2.csv").contains("line 3 has 3 values");
            assertThat(letter).containsEntry("payload", "B-2,Hooli,extra");
        });

        // the same file again: nothing more stored, nor a second dead letter
        drop("billing-2.csv", csv);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(dropped));
        assertThat(rows("SELECT id FROM inbox WHERE record_key LIKE 'B-%'")).hasSize(2);
        assertThat(rows(letters)).hasSize(1);
    }

    @Test
    void aTopicsRecordsAreStoredOnceAndWrittenToAnotherTopicKeyedByTheirId() throws Exception {
        String body = "{\"id\": \"l-1\", \"email\": \"Lea@Example.COM\", \"name\": \"Lea\"}";
        send("l-1", "evt-l-1", body);
        send("l-1", "evt-l-1", body);
        RecordMetadata unnamed = send("l-2", null, "{\"id\": \"l-2\", \"email\": \"max@example.com\", \"name\": \"Max\"}");

        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT id FROM inbox WHERE event_id = 'evt-l-1' AND status = 'done'")).hasSize(1);
        // a record without an eventId header: its place in the topic is its id
        String place = CamelEndpointResource.TOPIC_IN + "/" + unnamed.partition() + "/" + unnamed.offset();
        assertThat(TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT record_key FROM inbox WHERE event_id = '" + place + "' AND status = 'done'"))
                .extracting(row -> row.get("record_key")).containsExactly("l-2");
        assertThat(rows("SELECT id FROM inbox WHERE source_system = 'crm-topic' AND record_key = 'l-1'")).hasSize(1);

        List<ConsumerRecord<String, String>> written = topic(CamelEndpointResource.TOPIC_OUT, Duration.ofSeconds(3));
        List<ConsumerRecord<String, String>> l1 = written.stream().filter(r -> "l-1".equals(r.key())).toList();
        assertThat(l1).hasSize(1);
        assertThat(l1.get(0).value()).contains("\"id\":\"l-1\"").contains("\"email\":\"lea@example.com\"");
        assertThat(l1.get(0).headers().lastHeader(ExchangeContract.MESSAGE_ID_HEADER)).isNotNull();
        assertThat(new String(l1.get(0).headers().lastHeader(ExchangeContract.MESSAGE_ID_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("syncline-");
        assertThat(written).filteredOn(r -> "l-2".equals(r.key())).hasSize(1);
    }

    @Test
    void aRecordTheStoreRefusedIsNotCommittedPastNorOvertakenInItsPartition() throws Exception {
        try (java.sql.Connection connection = TestDatabase.connect(CamelEndpointResource.DATABASE_URL);
                java.sql.Statement statement = connection.createStatement()) {
            refuse(statement, "refuse_l3", "evt-l-3");
            // one Kafka key: both in one partition, l-4 after l-3
            RecordMetadata refused = send("partition-key", "evt-l-3", "{\"id\": \"l-3\", \"email\": \"l3@example.com\"}");
            RecordMetadata after = send("partition-key", "evt-l-4", "{\"id\": \"l-4\", \"email\": \"l4@example.com\"}");
            TopicPartition partition = new TopicPartition(CamelEndpointResource.TOPIC_IN, refused.partition());
            assertThat(after.partition()).isEqualTo(refused.partition());
            Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(200)), "l-3 refused: nothing committed past it",
                    Duration.ofSeconds(3), () -> {
                        assertThat(rows("SELECT id FROM inbox WHERE event_id IN ('evt-l-3', 'evt-l-4')")).isEmpty();
                        assertThat(committed(partition)).isLessThanOrEqualTo(refused.offset());
                    });
            statement.execute("DROP TRIGGER refuse_l3 ON inbox");
            // polled again from l-3: both stored, in their order, and committed past both
            assertThat(Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                    () -> rows("SELECT event_id FROM inbox WHERE event_id IN ('evt-l-3', 'evt-l-4') ORDER BY id"),
                    stored -> stored.size() == 2)).extracting(row -> row.get("event_id")).containsExactly("evt-l-3", "evt-l-4");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> committed(partition) == after.offset() + 1);
        }
    }

    /** The store away for one event: a trigger named {@code trigger} refuses the inbox row of {@code eventId}. */
    private static void refuse(java.sql.Statement statement, String trigger, String eventId) throws Exception {
        statement.execute("CREATE OR REPLACE FUNCTION " + trigger + "() RETURNS trigger AS $$ BEGIN IF NEW.event_id = '" + eventId
                + "' THEN RAISE EXCEPTION 'store away'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        statement.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION " + trigger + "()");
    }

    private RecordMetadata send(String key, String eventId, String body) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(CamelEndpointResource.TOPIC_IN, key, body);
            if (eventId != null) {
                record.headers().add("eventId", eventId.getBytes(StandardCharsets.UTF_8));
            }
            return producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The offset the source's consumer group committed on {@code partition}; 0 where it committed none. */
    private long committed(TopicPartition partition) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(CamelEndpointResource.TOPIC_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, java.util.concurrent.TimeUnit.SECONDS).get(partition);
            return offset == null ? 0 : offset.offset();
        }
    }

    /** Every record of {@code topic} from its beginning, read throughout {@code window}. */
    private List<ConsumerRecord<String, String>> topic(String topic, Duration window) {
        List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(50)), "reading " + topic, window,
                    () -> consumer.poll(Duration.ofMillis(200)).forEach(found::add));
        }
        return found;
    }

    /** The lines of the ledger file whose account number starts with {@code prefix}: other tests' rows are appended too. */
    private static List<String> accounts(Path ledger, String prefix) throws Exception {
        return Files.readAllLines(ledger).stream().filter(line -> line.startsWith(prefix)).toList();
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
