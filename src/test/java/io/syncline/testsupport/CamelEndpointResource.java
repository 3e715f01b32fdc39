package io.syncline.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The world of the camel-endpoint systems' flows: the routes of {@code src/test/resources/endpoint-routes}
 * with queue names of their own on the machine's RabbitMQ broker (127.0.0.1:5672, guest/guest), topics
 * of their own on a real Kafka broker forked for the class ({@link KafkaBroker}, injected into a test's
 * field of its type), SQS queues on ElasticMQ ({@link SqsServer}) and S3 buckets on S3Proxy
 * ({@link S3Server}) and an SFTP server ({@link SftpServer}) started for the class (each injected
 * likewise), a MongoDB server (mongo-java-server, in memory, at {@link #mongoUri()}), the tables
 * {@code sftp_customer} the SFTP files' rows are written to and {@code catalog_product} reconciled
 * with a MongoDB collection, folders of their own written over the placeholders, and a fresh
 * PostgreSQL database of its own.
 */
public class CamelEndpointResource implements QuarkusTestResourceLifecycleManager {

    public static final String FOLDER = "endpoint-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_" + FOLDER.replace('-', '_'));
    public static final String EXCHANGE = "syncline-test";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String QUEUE_IN = "syncline-contacts-in-" + RUN;
    public static final String QUEUE_OUT = "syncline-contacts-out-" + RUN;
    public static final String TOPIC_IN = "syncline-leads-in-" + RUN;
    public static final String TOPIC_OUT = "syncline-leads-out-" + RUN;
    /** The consumer group of the Kafka source {@code crm-topic}: the type's default, {@code syncline-<system>}. */
    public static final String TOPIC_GROUP = "syncline-crm-topic";
    public static final String SQS_IN = "syncline-members-in-" + RUN;
    public static final String SQS_OUT = "syncline-invoices-out-" + RUN;
    public static final String BUCKET_IN = "syncline-drop-" + RUN;
    public static final String BUCKET_OUT = "syncline-archive-" + RUN;
    public static final Path FILES = files();
    public static final Path FOLDER_IN = FILES.resolve("in");
    public static final Path FOLDER_OUT = FILES.resolve("out");
    /** Where a CSV snapshot of products is read whole by a reconciliation. */
    public static final Path FOLDER_SNAPSHOT = FILES.resolve("snapshot");
    /** Where CSV files of suppliers are dropped, to be exported as files per run. */
    public static final Path FOLDER_SUPPLIERS = FILES.resolve("suppliers");
    /** Where the export of the suppliers' changes writes its files. */
    public static final Path FOLDER_CHANGES = FILES.resolve("changes");

    private Path routes;
    private KafkaBroker kafka;
    private SqsServer sqs;
    private S3Server s3;
    private SftpServer sftp;
    private MongoServer mongo;
    private static volatile String mongoUri;

    private static Path files() {
        try {
            return Files.createTempDirectory("syncline-endpoint-files");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        kafka = KafkaBroker.started();
        kafka.createTopic(TOPIC_IN);
        kafka.createTopic(TOPIC_OUT);
        sqs = SqsServer.started();
        sqs.createQueue(SQS_IN, 1);
        sqs.createQueue(SQS_OUT, 30);
        s3 = S3Server.started();
        s3.createBuckets(List.of(BUCKET_IN, BUCKET_OUT));
        Map<String, String> addresses = new HashMap<>(Map.of("amq.direct", EXCHANGE,
                "QUEUE_IN", QUEUE_IN, "QUEUE_OUT", QUEUE_OUT, "TOPIC_IN", TOPIC_IN, "TOPIC_OUT", TOPIC_OUT,
                "KAFKA_BROKERS", kafka.bootstrapServers(), "FOLDER_IN", FOLDER_IN.toString(), "FOLDER_OUT",
                FOLDER_OUT.toString(), "FOLDER_SNAPSHOT", FOLDER_SNAPSHOT.toString()));
        addresses.putAll(Map.of("FOLDER_SUPPLIERS", FOLDER_SUPPLIERS.toString(), "FOLDER_CHANGES", FOLDER_CHANGES.toString()));
        addresses.putAll(Map.of("SQS_IN", SQS_IN, "SQS_OUT", SQS_OUT, "SQS_ENDPOINT", sqs.endpoint(), "BUCKET_IN", BUCKET_IN,
                "BUCKET_OUT", BUCKET_OUT, "S3_ENDPOINT", s3.endpoint()));
        sftp = SftpServer.started();
        addresses.putAll(Map.of("SFTP_PORT", String.valueOf(sftp.port()), "SFTP_KNOWN_HOSTS", sftp.knownHostsFile().toString()));
        TestDatabase.updateOn(DATABASE_URL,
                "CREATE TABLE sftp_customer (number VARCHAR(20) PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))");
        TestDatabase.updateOn(DATABASE_URL, "CREATE TABLE catalog_product (sku VARCHAR(20) PRIMARY KEY, name VARCHAR(100),"
                + " stock INTEGER, updated_at TIMESTAMPTZ)");
        TestDatabase.updateOn(DATABASE_URL, "CREATE TABLE supplier (code VARCHAR(20) PRIMARY KEY, name VARCHAR(100), city VARCHAR(100))");
        mongo = new MongoServer(new MemoryBackend());
        mongoUri = "mongodb://127.0.0.1:" + mongo.bind().getPort();
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), addresses);
        return Map.of("syncline.routes.location", routes.toString(), "RABBITMQ_PASSWORD", "guest",
                "AWS_ACCESS_KEY", S3Server.ACCESS_KEY, "AWS_SECRET_KEY", S3Server.SECRET_KEY,
                "SFTP_PASSWORD", SftpServer.PASSWORD, "MONGODB_URI", mongoUri,
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    /** The connection string of the class's MongoDB server. */
    public static String mongoUri() {
        return mongoUri;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.MatchesType(KafkaBroker.class));
        injector.injectIntoFields(sqs, new TestInjector.MatchesType(SqsServer.class));
        injector.injectIntoFields(s3, new TestInjector.MatchesType(S3Server.class));
        injector.injectIntoFields(sftp, new TestInjector.MatchesType(SftpServer.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sftp != null) {
            sftp.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
        RouteFolders.delete(routes);
        RouteFolders.delete(FILES);
    }
}
