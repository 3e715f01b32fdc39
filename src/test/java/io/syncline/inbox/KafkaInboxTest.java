package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.KafkaInboxProfile;
import io.syncline.testsupport.KafkaInboxResource;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The inbox in Kafka mode on a real KRaft broker: the webhook's 202 comes once the topic holds the
 * event, keyed by its record; the consumer applies it through the inbox's apply path and commits
 * its offset after; a redelivered event id is applied once. (Order, exactly-once and dead letters
 * with replay through the topic: the Kafka subclasses of InboxParallelOrderTest, ExactlyOnceTest
 * and DeadLetterAdminTest.)
 */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class KafkaInboxTest {

    @Test
    void theAnswerComesOnceTheTopicHoldsTheEventKeyedByItsRecordAndTheConsumerAppliesIt() {
        String id = "k-" + UUID.randomUUID();
        String eventId = given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", id + "@example.com", "lastName", "Kafka"))
                .when().post(DemoWebhook.PATH)
                .then().statusCode(202)
                .body("status", equalTo("accepted"))
                .extract().path("eventId");

        // acks=all: once answered, the event is in the topic, under its record's key
        List<ConsumerRecord<String, String>> sent = topic().stream()
                .filter(record -> record.value().contains("\"eventId\":\"" + eventId + "\"")).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).key()).isEqualTo("contact/crm/" + id);

        long inboxId = ((Number) TestDatabase.awaitRows("SELECT id FROM inbox WHERE event_id = ?", eventId).get(0).get("id"))
                .longValue();
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("last_name", "Kafka"));
        // the offset is committed once the apply committed
        KafkaInboxResource.awaitConsumed();
    }

    @Test
    void anEventIdDeliveredTwiceIsAppliedOnce() {
        String id = "k-" + UUID.randomUUID();
        String eventId = "evt-" + id;
        for (int delivery = 0; delivery < 2; delivery++) {
            assertThat(DemoWebhook.deliver(Map.of("id", id, "email", id + "@example.com", "lastName", "Once"), eventId))
                    .isEqualTo("accepted");
        }
        DemoWebhook.awaitDrained(id);

        assertThat(TestDatabase.query("SELECT status FROM inbox WHERE event_id = ?", eventId))
                .containsExactly(Map.of("status", "done"));
        assertThat(TestDatabase.query("SELECT action FROM audit_log WHERE source_id = ? ORDER BY id", id))
                .extracting(row -> row.get("action"))
                .containsExactlyInAnyOrder("created", "skipped-duplicate");
    }

    @Test
    void recordsThatAreNoInboxEventsAreDeadLettersAndTheEventsAfterThemInTheirPartitionApply() throws Exception {
        String id = "k-" + UUID.randomUUID();
        // written by something else than Syncline, under the key of the event that follows, so in its partition:
        // one is no JSON, the other an envelope the inbox cannot hold (it names no route, entity or system)
        String noEvent = "not an inbox event " + id;
        String noRoute = "{\"eventId\":\"poison-" + id + "\",\"payload\":\"{\\\"id\\\":\\\"" + id + "\\\"}\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty(KafkaInboxResource.BROKERS),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(KafkaInboxResource.TOPIC, "contact/crm/" + id, noEvent)).get(20, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(KafkaInboxResource.TOPIC, "contact/crm/" + id, noRoute)).get(20, TimeUnit.SECONDS);
        }
        assertThat(DemoWebhook.deliver(Map.of("id", id, "email", id + "@example.com", "lastName", "After"), "evt-" + id))
                .isEqualTo("accepted");

        DemoWebhook.awaitDrained(id);
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("last_name", "After"));
        // the partition is not held up: its offset moves past the three records
        KafkaInboxResource.awaitConsumed();
        assertThat(TestDatabase.query("SELECT payload, reason FROM dead_letter WHERE route_id = 'inbox-kafka' AND payload LIKE ?"
                + " ORDER BY id", "%" + id + "%")).satisfiesExactly(
                        first -> {
                            assertThat(first).containsEntry("payload", noEvent);
                            assertThat((String) first.get("reason")).startsWith("inbox topic partition ").contains("no inbox event");
                        },
                        second -> {
                            assertThat(second).containsEntry("payload", "{\"id\":\"" + id + "\"}");
                            assertThat((String) second.get("reason")).contains("the inbox cannot hold this event: SQLSTATE 23502")
                                    .as("the refused row's values stay out of the reason").doesNotContain(id);
                        });
    }

    private static List<ConsumerRecord<String, String>> topic() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty(KafkaInboxResource.BROKERS),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaInboxResource.TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }
}
