package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.Map;

/**
 * A real KRaft broker ({@link KafkaBroker}) for the inbox in Kafka mode: the application under
 * test sends its webhook events to it and consumes them from it. {@link #awaitConsumed()} lets a
 * test wait for the topic to be consumed before it looks at the inbox (system property
 * {@value #BROKERS}: the resource's broker, for helpers outside the application's class loader).
 * A test's field of type {@link KafkaBroker} gets the broker, to stop and start it.
 */
public class KafkaInboxResource implements QuarkusTestResourceLifecycleManager {

    /** System property: the running test broker's bootstrap servers, while there is one. */
    public static final String BROKERS = "syncline-test.kafka-brokers";
    public static final String TOPIC = "syncline-inbox-test";
    public static final String GROUP = "syncline-inbox-test";

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.started();
        // readiness is DOWN while the topic does not exist
        broker.createTopic(TOPIC);
        System.setProperty(BROKERS, broker.bootstrapServers());
        return Map.of("syncline.inbox.mode", "kafka",
                "syncline.inbox.kafka.brokers", broker.bootstrapServers(),
                "syncline.inbox.kafka.topic", TOPIC,
                "syncline.inbox.kafka.group-id", GROUP);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker, new TestInjector.MatchesType(KafkaBroker.class));
    }

    @Override
    public void stop() {
        System.clearProperty(BROKERS);
        if (broker != null) {
            broker.close();
        }
    }

    /** Waits for the test broker's inbox topic to be consumed; nothing to wait for without a broker. */
    public static void awaitConsumed() {
        String brokers = System.getProperty(BROKERS);
        if (brokers != null) {
            KafkaBroker.awaitConsumed(brokers, TOPIC, GROUP, Duration.ofSeconds(60));
        }
    }
}
