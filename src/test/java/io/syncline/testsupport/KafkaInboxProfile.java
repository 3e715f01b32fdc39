package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The inbox in Kafka mode ({@code syncline.inbox.mode=kafka}) on a real KRaft broker of the test's own. */
public class KafkaInboxProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // retries as FastRetriesProfile's, so that the dead-letter tests play out as quickly in this mode
        return Map.of("syncline.inbox.mode", "kafka", "syncline.inbox.retry-delay", "200ms",
                "syncline.inbox.max-retry-delay", "500ms", "syncline.inbox.max-attempts", "4");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaInboxResource.class));
    }
}
