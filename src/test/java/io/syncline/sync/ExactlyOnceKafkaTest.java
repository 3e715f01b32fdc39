package io.syncline.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.KafkaInboxProfile;

/** {@link ExactlyOnceTest} with the inbox in Kafka: duplicates, stale events and the newest values, the same. */
@QuarkusTest
@TestProfile(KafkaInboxProfile.class)
class ExactlyOnceKafkaTest extends ExactlyOnceTest {

    @Override
    boolean duplicatesAnsweredAtTheDoor() {
        return false;
    }
}
