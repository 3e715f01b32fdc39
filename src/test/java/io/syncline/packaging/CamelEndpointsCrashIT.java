package io.syncline.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.syncline.exchange.ExchangeContract;
import io.syncline.testsupport.KafkaBroker;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.S3Server;
import io.syncline.testsupport.SftpServer;
import io.syncline.testsupport.SqsServer;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Camel-endpoint systems through a crash (issue 57, must show 1): the packaged application takes
 * 1,000 records from three sources on real servers or independent implementations (contacts from a
 * RabbitMQ queue on the machine's broker, leads from a Kafka topic on a forked KRaft broker, members
 * from an SQS FIFO queue on ElasticMQ, customers as rows of CSV files dropped on an SFTP server of
 * Apache MINA SSHD), each created, updated and a tenth deleted, and writes them to PostgreSQL tables
 * and to an S3 bucket (S3Proxy), an SQS queue, a Kafka topic, a MongoDB collection
 * (mongo-java-server, wire-compatible) and an export's snapshot file. It is killed with SIGKILL mid-stream, the second
 * half is sent while it is down, and it is started again. Afterwards every table, the bucket and the
 * collection and the export's file hold each live record once with its last values and none of the deleted; the queue and topic written to hold each record's last values, every redelivered write
 * with the same key and body as its first; no dead letter, nothing left in the inbox.
 */
class CamelEndpointsCrashIT {

    private static final int RECORDS = 1_000;
    /** How many CSV rows each file dropped on the SFTP server holds. */
    private static final int ROWS_PER_FILE = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Change(String entity, String id, int version, boolean delete) {

        String body() {
            return delete ? "{\"id\":\"" + id + "\",\"deleted\":true}"
                    : "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"name\":\"" + id + " v" + version + "\"}";
        }
    }

    @Test
    void everyRecordOfEverySourceIsAppliedOnceThoughTheApplicationIsKilledMidStream() throws Exception {
        TestSeed seed = TestSeed.of("CamelEndpointsCrashIT");
        Random random = seed.random();
        String context = seed.context();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String url = TestDatabase.siblingUrl("_endpoint_crash");
        TestDatabase.ensureDatabase(url, true);
        for (String table : List.of("crash_contact", "crash_lead", "crash_member", "crash_customer")) {
            TestDatabase.updateOn(url, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100))");
        }
        String exchange = "syncline-crash-" + run;
        String queueIn = "syncline-crash-contacts-" + run;
        String topicIn = "syncline-crash-leads-" + run;
        String topicOut = "syncline-crash-members-out-" + run;
        String sqsIn = "syncline-crash-members-" + run + ".fifo";
        String sqsOut = "syncline-crash-leads-out-" + run;
        String bucket = "syncline-crash-" + run;
        List<Change> changes = changes(random);

        MongoServer mongo = new MongoServer(new MemoryBackend());
        String mongoUri = "mongodb://127.0.0.1:" + mongo.bind().getPort();
        Path exports = Files.createTempDirectory("syncline-crash-exports");
        try (KafkaBroker kafka = KafkaBroker.started(); SqsServer sqs = SqsServer.started(); S3Server s3 = S3Server.started();
                SftpServer sftp = SftpServer.started(); Connection rabbit = rabbit(); Channel channel = rabbit.createChannel();
                MongoClient mongoClient = MongoClients.create(mongoUri)) {
            kafka.createTopic(topicIn);
            kafka.createTopic(topicOut);
            sqs.createFifoQueue(sqsIn, 2);
            sqs.createQueue(sqsOut, 30);
            s3.createBuckets(List.of(bucket));
            // durable, as the application's consumer declares it; the consumer declares and binds the queue
            channel.exchangeDeclare(exchange, "direct", true);
            Map<String, String> addresses = new HashMap<>(Map.of(
                    "EXCHANGE", exchange, "QUEUE_IN", queueIn, "TOPIC_IN", topicIn, "TOPIC_OUT", topicOut, "KAFKA_BROKERS",
                    kafka.bootstrapServers(), "SQS_IN", sqsIn, "SQS_OUT", sqsOut, "SQS_ENDPOINT", sqs.endpoint(), "BUCKET", bucket,
                    "S3_ENDPOINT", s3.endpoint()));
            addresses.putAll(Map.of("SFTP_PORT", String.valueOf(sftp.port()), "SFTP_KNOWN_HOSTS", sftp.knownHostsFile().toString(),
                    "EXPORT_FOLDER", exports.toString()));
            Path routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources/endpoint-crash-routes"), addresses);
            Map<String, String> environment = new HashMap<>(Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                    "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                    "SYNCLINE_ADMIN_PASSWORD", "crash-it-password",
                    "SYNCLINE_ROUTES_LOCATION", routes.toString(),
                    "SYNCLINE_INBOX_LEASE", "3s",
                    "RABBITMQ_PASSWORD", "guest",
                    "AWS_ACCESS_KEY", S3Server.ACCESS_KEY,
                    "AWS_SECRET_KEY", S3Server.SECRET_KEY,
                    "MONGODB_URI", mongoUri));
            environment.put("SFTP_PASSWORD", SftpServer.PASSWORD);
            PackagedApplication app = PackagedApplication.start("endpoints-crash-it-0", environment,
                    List.of("-Xmx384m", "-Dcamel.component.kafka.session-timeout-ms=10000"));
            try (KafkaProducer<String, String> producer = producer(kafka); SqsClient sqsClient = sqs.client()) {
                app.awaitReady(context);
                String sqsInUrl = sqsClient.getQueueUrl(request -> request.queueName(sqsIn)).queueUrl();
                int half = changes.size() / 2;
                CsvFiles files = new CsvFiles(sftp);
                for (Change change : changes.subList(0, half)) {
                    send(change, channel, exchange, queueIn, producer, topicIn, sqsClient, sqsInUrl, files);
                }
                files.drop();
                long killAt = half / 3;
                await(context + ": " + killAt + " events applied").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                        .until(() -> count(url, "SELECT count(*) AS n FROM inbox WHERE status = 'done'") >= killAt);
                int exit = app.kill();
                for (Change change : changes.subList(half, changes.size())) {
                    send(change, channel, exchange, queueIn, producer, topicIn, sqsClient, sqsInUrl, files);
                }
                files.drop();
                app = app.restart("endpoints-crash-it-1");
                app.awaitReady(context);
                assertThat(exit).as("%s: exit code of the killed application (137 = SIGKILL)", context).isEqualTo(137);

                Map<String, Map<String, String>> live = lastValues(changes);
                await(context + ": every table holds its live records").atMost(Duration.ofSeconds(300))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> tables(url).equals(live));
                await(context + ": nothing left in the inbox").atMost(Duration.ofSeconds(60)).until(() -> count(url,
                        "SELECT count(*) AS n FROM inbox WHERE status <> 'done'") == 0);
                assertThat(TestDatabase.queryOn(url, "SELECT reason FROM dead_letter")).as(context).isEmpty();

                Map<String, Map<String, String>> contacts = byEntity(live, "contact");
                await(context + ": the bucket holds the live contacts").atMost(Duration.ofSeconds(60))
                        .until(() -> objects(s3, bucket).equals(contacts));
                MongoCollection<Document> members = mongoClient.getDatabase("crash").getCollection("members");
                await(context + ": the collection holds the live members").atMost(Duration.ofSeconds(60))
                        .until(() -> documents(members).equals(byEntity(live, "member")));
                assertWrittenOnce(context, sqsMessages(sqs, sqsOut), byEntity(live, "lead"), deleted(changes, "lead"));
                assertWrittenOnce(context, topicMessages(kafka, topicOut), byEntity(live, "member"), deleted(changes, "member"));
                // every kept write exactly once: the export's snapshot is the live customers
                String file = given().auth().preemptive().basic("admin", "crash-it-password")
                        .when().post(app.url("/admin/exports/customer-export/runs"))
                        .then().statusCode(200).extract().path("entities[0].fileName");
                assertThat(exported(exports.resolve(file))).as(context).isEqualTo(byEntity(live, "customer"));
                System.out.printf(
                        "%s: %d changes of %d records from RabbitMQ, Kafka, SQS and SFTP files, into PostgreSQL, S3, SQS, Kafka, MongoDB and an export, one SIGKILL after %d applied%n",
                        context, changes.size(), RECORDS, killAt);
            } finally {
                app.close();
                channel.queueDelete(queueIn);
                channel.exchangeDelete(exchange);
                RouteFolders.delete(routes);
            }
        } finally {
            mongo.shutdownNow();
            RouteFolders.delete(exports);
        }
    }

    /** Each record created, updated, and a tenth deleted; records interleaved, each one's changes in order. */
    private static List<Change> changes(Random random) {
        List<List<Change>> records = new ArrayList<>();
        String[] entities = {"contact", "lead", "member", "customer"};
        for (int i = 0; i < RECORDS; i++) {
            String entity = entities[i % entities.length];
            String id = (entity.equals("customer") ? 'u' : entity.charAt(0)) + "-" + i;
            List<Change> record = new ArrayList<>(List.of(new Change(entity, id, 1, false), new Change(entity, id, 2, false)));
            if (random.nextInt(10) == 0) {
                record.add(new Change(entity, id, 3, true));
            }
            records.add(record);
        }
        List<Change> changes = new ArrayList<>();
        List<List<Change>> open = new ArrayList<>(records);
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            changes.add(open.get(pick).remove(0));
            if (open.get(pick).isEmpty()) {
                Collections.swap(open, pick, open.size() - 1);
                open.remove(open.size() - 1);
            }
        }
        return changes;
    }

    private static void send(Change change, Channel channel, String exchange, String queue, KafkaProducer<String, String> producer,
            String topic, SqsClient sqs, String sqsUrl, CsvFiles files) throws Exception {
        String eventId = change.id() + "-v" + change.version();
        switch (change.entity()) {
            case "customer" -> files.add(change);
            case "contact" -> channel.basicPublish(exchange, queue, new AMQP.BasicProperties.Builder().messageId(eventId).build(),
                    change.body().getBytes(StandardCharsets.UTF_8));
            case "lead" -> {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, change.id(), change.body());
                record.headers().add("eventId", eventId.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
            default -> sqs.sendMessage(request -> request.queueUrl(sqsUrl).messageBody(change.body()).messageGroupId(change.id())
                    .messageDeduplicationId(eventId));
        }
    }

    /** Entity and id to the live record's values: what every target must hold at the end. */
    private static Map<String, Map<String, String>> lastValues(List<Change> changes) {
        Map<String, Map<String, String>> live = new TreeMap<>();
        for (Change change : changes) {
            String key = change.entity() + "/" + change.id();
            if (change.delete()) {
                live.remove(key);
            } else {
                live.put(key, Map.of("email", change.id() + "@example.com", "name", change.id() + " v" + change.version()));
            }
        }
        return live;
    }

    private static Map<String, Map<String, String>> byEntity(Map<String, Map<String, String>> live, String entity) {
        Map<String, Map<String, String>> records = new TreeMap<>();
        live.forEach((key, values) -> {
            if (key.startsWith(entity + "/")) {
                records.put(key.substring(entity.length() + 1), values);
            }
        });
        return records;
    }

    private static List<String> deleted(List<Change> changes, String entity) {
        return changes.stream().filter(change -> change.delete() && change.entity().equals(entity)).map(Change::id).toList();
    }

    private static Map<String, Map<String, String>> tables(String url) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (String entity : List.of("contact", "lead", "member", "customer")) {
            for (Map<String, Object> row : TestDatabase.queryOn(url, "SELECT id, email, name FROM crash_" + entity)) {
                rows.put(entity + "/" + row.get("id"), Map.of("email", (String) row.get("email"), "name", (String) row.get("name")));
            }
        }
        return rows;
    }

    private static Map<String, Map<String, String>> objects(S3Server s3, String bucket) throws Exception {
        Map<String, Map<String, String>> records = new TreeMap<>();
        try (S3Client client = s3.client()) {
            for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix("contacts/")).contents()) {
                JsonNode record = JSON.readTree(client.getObjectAsBytes(request -> request.bucket(bucket).key(object.key())).asUtf8String());
                records.put(record.path("id").asText(), Map.of("email", record.path("email").asText(), "name",
                        record.path("name").asText()));
            }
        }
        return records;
    }

    private static Map<String, Map<String, String>> documents(MongoCollection<Document> collection) {
        Map<String, Map<String, String>> records = new TreeMap<>();
        for (Document document : collection.find()) {
            records.put(document.getString("_id"), Map.of("email", document.getString("email"), "name", document.getString("name")));
        }
        return records;
    }

    /** A write received: its key (SynclineMessageId) and body. */
    private record Written(String key, String body) {
    }

    /**
     * Each live record's last values were written (the last write of the record received), each
     * deleted record's delete was, and a key received more than once came with the same body each
     * time: a receiver that drops keys it has seen applies each write once.
     */
    private static void assertWrittenOnce(String context, List<Written> written, Map<String, Map<String, String>> live,
            List<String> deleted) throws Exception {
        Map<String, String> bodies = new HashMap<>();
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (Written write : written) {
            String before = bodies.putIfAbsent(write.key(), write.body());
            assertThat(before == null || before.equals(write.body())).as("%s: %s sent twice with other bodies", context, write.key())
                    .isTrue();
            JsonNode record = JSON.readTree(write.body());
            last.put(record.path("id").asText(), record);
        }
        for (Map.Entry<String, Map<String, String>> record : live.entrySet()) {
            JsonNode values = last.get(record.getKey());
            assertThat(values).as("%s: %s written", context, record.getKey()).isNotNull();
            assertThat(Map.of("email", values.path("email").asText(), "name", values.path("name").asText()))
                    .as("%s: %s's last write", context, record.getKey()).isEqualTo(record.getValue());
        }
        for (String id : deleted) {
            assertThat(last.get(id)).as("%s: %s's delete written", context, id).isNotNull();
            assertThat(last.get(id).has("email")).as("%s: %s's last write is its delete", context, id).isFalse();
        }
    }

    private static List<Written> sqsMessages(SqsServer sqs, String queue) {
        List<Written> written = new ArrayList<>();
        try (SqsClient client = sqs.client()) {
            String url = client.getQueueUrl(request -> request.queueName(queue)).queueUrl();
            int empty = 0;
            while (empty < 3) {
                List<Message> messages = client.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                        .messageAttributeNames("All").waitTimeSeconds(1)).messages();
                empty = messages.isEmpty() ? empty + 1 : 0;
                for (Message message : messages) {
                    written.add(new Written(message.messageAttributes().get(ExchangeContract.MESSAGE_ID_HEADER).stringValue(),
                            message.body()));
                    client.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            }
        }
        return written;
    }

    private static List<Written> topicMessages(KafkaBroker kafka, String topic) {
        List<Written> written = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofSeconds(2));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, String> record : records) {
                    Header key = record.headers().lastHeader(ExchangeContract.MESSAGE_ID_HEADER);
                    written.add(new Written(new String(key.value(), StandardCharsets.UTF_8), record.value()));
                }
            }
        }
        // one record's writes are in order within its partition; across partitions, order by record is all that counts
        return written;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static Connection rabbit() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory.newConnection();
    }

    /**
     * Customers' changes as CSV files on the SFTP server, {@value #ROWS_PER_FILE} rows each, named in
     * the order they are dropped (the source reads them in the order of their names).
     */
    private static final class CsvFiles {

        private final SftpServer sftp;
        private final StringBuilder rows = new StringBuilder();
        private int lines;
        private int dropped;

        CsvFiles(SftpServer sftp) {
            this.sftp = sftp;
        }

        void add(Change change) {
            rows.append(change.id()).append(',');
            if (change.delete()) {
                rows.append(",,true\n");
            } else {
                rows.append(change.id()).append("@example.com,").append(change.id()).append(" v").append(change.version())
                        .append(",\n");
            }
            if (++lines == ROWS_PER_FILE) {
                drop();
            }
        }

        /** Drops the rows added since the last file as a file of their own. */
        void drop() {
            if (lines > 0) {
                sftp.drop("customers", String.format("customers-%05d.csv", ++dropped),
                        ("id,email,name,deleted\n" + rows).getBytes(StandardCharsets.UTF_8));
                rows.setLength(0);
                lines = 0;
            }
        }
    }

    /** An export's CSV file as id to the record's values. */
    private static Map<String, Map<String, String>> exported(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("id,email,name");
        Map<String, Map<String, String>> records = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            records.put(values[0], Map.of("email", values[1], "name", values[2]));
        }
        return records;
    }

    private static long count(String url, String sql) {
        return ((Number) TestDatabase.queryOn(url, sql).get(0).get("n")).longValue();
    }
}
