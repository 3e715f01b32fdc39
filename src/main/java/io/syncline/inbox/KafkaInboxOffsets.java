package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads, through an Admin client, the inbox topic's partitions with their first and last offsets
 * and the consumer group's committed ones ({@link KafkaInboxProbe}'s question to the brokers).
 * Every call is bounded by the probe's timeout. The client is made at the first read and connects
 * as the inbox's consumers do: with the connection settings (security protocol, TLS, SASL, …) of
 * Camel's Kafka component. Not thread-safe: one probe thread reads.
 */
final class KafkaInboxOffsets implements AutoCloseable {

    /** One answer: whether the topic exists, and per partition where the group reads from next and the end. */
    record Reading(boolean topicExists, Map<Integer, KafkaInboxProgress.Offsets> partitions) {
    }

    private final SynclineConfig.Inbox.KafkaInbox settings;
    private final KafkaConfiguration component;
    private Admin admin;

    /** {@code component}: the Kafka component's configuration, whose connection settings the client takes. */
    KafkaInboxOffsets(SynclineConfig.Inbox.KafkaInbox settings, KafkaConfiguration component) {
        this.settings = settings;
        this.component = component;
    }

    /** Asks the brokers; waits at most the probe's timeout in all. */
    Reading read() throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + settings.probeTimeout().toNanos();
        Admin brokers = admin();
        String topic = settings.topic();
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committed = brokers.listConsumerGroupOffsets(settings.groupId())
                .partitionsToOffsetAndMetadata();
        TopicDescription description;
        try {
            description = brokers.describeTopics(List.of(topic)).allTopicNames().get(left(deadline), TimeUnit.NANOSECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return new Reading(false, Map.of());
            }
            throw e;
        }
        List<TopicPartition> all = description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> ends = brokers.listOffsets(
                all.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all();
        KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> starts = brokers.listOffsets(
                all.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.earliest()))).all();
        Map<TopicPartition, OffsetAndMetadata> group = committed.get(left(deadline), TimeUnit.NANOSECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = ends.get(left(deadline), TimeUnit.NANOSECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = starts.get(left(deadline), TimeUnit.NANOSECONDS);
        Map<Integer, KafkaInboxProgress.Offsets> offsets = new HashMap<>();
        for (TopicPartition partition : all) {
            long first = start.get(partition).offset();
            OffsetAndMetadata done = group.get(partition);
            // no commit yet, or one before what retention kept: the consumers read from the first record kept
            long next = done == null ? first : Math.max(done.offset(), first);
            offsets.put(partition.partition(), new KafkaInboxProgress.Offsets(next, end.get(partition).offset()));
        }
        return new Reading(true, offsets);
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> client = new HashMap<>();
            component.copy().createConsumerProperties().forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains((String) key)) {
                    client.put((String) key, value);
                }
            });
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
            // a little below the probe's own bound, so that a probe gets the client's reason rather than its own timeout
            int timeout = (int) Math.max(1, settings.probeTimeout().toMillis() * 9 / 10);
            client.put(AdminClientConfig.CLIENT_ID_CONFIG, "syncline-inbox-probe");
            client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
            admin = Admin.create(client);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
