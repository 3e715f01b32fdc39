package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The world of the camel-endpoint systems' flows: the routes of {@code src/test/resources/endpoint-routes}
 * with queue names of their own on the machine's RabbitMQ broker (127.0.0.1:5672, guest/guest), topics
 * of their own on a real Kafka broker forked for the class ({@link KafkaBroker}, injected into a test's
 * field of its type) and folders of their own written over the placeholders, and a fresh PostgreSQL
 * database of its own.
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
    public static final Path FILES = files();
    public static final Path FOLDER_IN = FILES.resolve("in");
    public static final Path FOLDER_OUT = FILES.resolve("out");

    private Path routes;
    private KafkaBroker kafka;

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
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of("amq.direct", EXCHANGE,
                "QUEUE_IN", QUEUE_IN, "QUEUE_OUT", QUEUE_OUT, "TOPIC_IN", TOPIC_IN, "TOPIC_OUT", TOPIC_OUT,
                "KAFKA_BROKERS", kafka.bootstrapServers(), "FOLDER_IN", FOLDER_IN.toString(), "FOLDER_OUT",
                FOLDER_OUT.toString()));
        return Map.of("syncline.routes.location", routes.toString(), "RABBITMQ_PASSWORD", "guest",
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.MatchesType(KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        RouteFolders.delete(routes);
        RouteFolders.delete(FILES);
    }
}
