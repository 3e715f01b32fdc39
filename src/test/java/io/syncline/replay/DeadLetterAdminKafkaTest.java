package io.syncline.replay;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.KafkaInboxProfile;

/**
 * {@link DeadLetterAdminTest} with the inbox in Kafka: an event read from the topic that keeps
 * failing is a dead letter as before, and its replay goes back through the topic.
 */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
class DeadLetterAdminKafkaTest extends DeadLetterAdminTest {
}
