package io.syncline.connector.endpoint;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;

import java.util.List;
import java.util.Map;

/**
 * What Syncline sets on a Kafka topic's endpoint ({@code kafka:<topic>?brokers=…}). Its consumer
 * commits a record's offset only after the record's events are stored: no automatic commits in the
 * background ({@code autoCommitEnable=false}); Camel's synchronous commit manager
 * ({@code allowManualCommit} with {@link DefaultKafkaManualCommitFactory}) commits, after each
 * partition's records of a poll, the offset of the last one processed without failure; and
 * {@code breakOnFirstError} makes a failed record (the store away) the place its partition is
 * polled from again, so that no later offset is committed before it is stored. A consumer group of
 * the system's own ({@code syncline-<system>}) and a first start from the topic's beginning are the
 * defaults a URI may change.
 */
final class KafkaTopics {

    static final String SCHEME = "kafka";
    /** The options Syncline owns on a source's URI: an integrator's value would break "stored before committed". */
    static final List<String> OWNED = List.of("autoCommitEnable", "allowManualCommit", "breakOnFirstError",
            "kafkaManualCommitFactory");
    private static final Map<String, String> COMMIT_AFTER_STORED = Map.of("autoCommitEnable", "false", "allowManualCommit",
            "true", "breakOnFirstError", "true", "kafkaManualCommitFactory",
            "#class:" + DefaultKafkaManualCommitFactory.class.getName());

    private KafkaTopics() {
    }

    static boolean is(String uri) {
        return uri != null && SCHEME.equals(EndpointSettings.scheme(uri));
    }

    /** {@code uri} as the consumer of {@code system}'s topic: its options, with Syncline's commit options and defaults. */
    static String consumer(String system, String uri) {
        Map<String, String> options = EndpointUris.options(uri);
        options.putAll(COMMIT_AFTER_STORED);
        options.putIfAbsent("groupId", "syncline-" + system);
        options.putIfAbsent("autoOffsetReset", "earliest");
        StringBuilder built = new StringBuilder(EndpointUris.path(uri));
        char separator = '?';
        for (Map.Entry<String, String> option : options.entrySet()) {
            built.append(separator).append(option.getKey()).append('=').append(option.getValue());
            separator = '&';
        }
        return built.toString();
    }

    /** The first of the options Syncline owns that {@code uri} writes itself; null where it writes none. */
    static String ownedOption(String uri) {
        Map<String, String> options = EndpointUris.options(uri);
        return OWNED.stream().filter(options::containsKey).findFirst().orElse(null);
    }

    /** A consumed record's place, {@code <topic>/<partition>/<offset>}: the event's id where the record has none of its own. */
    static String place(Message message) {
        Object topic = message.getHeader(KafkaConstants.TOPIC);
        Object partition = message.getHeader(KafkaConstants.PARTITION);
        Object offset = message.getHeader(KafkaConstants.OFFSET);
        return topic == null || partition == null || offset == null ? null : topic + "/" + partition + "/" + offset;
    }

    /** The header whose value a producer sends as the record's key. */
    static String keyHeader() {
        return KafkaConstants.KEY;
    }
}
