package io.syncline.inbox;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.KafkaInboxProfile;

/**
 * {@link InboxParallelOrderTest} with the inbox in Kafka: the topic's partitions are applied side
 * by side by the consumer threads, and each record's events, keyed to one partition, in order.
 */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
class InboxParallelOrderKafkaTest extends InboxParallelOrderTest {
}
