package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Inbox retries in fractions of a second and four attempts, so that outages play out quickly. */
public class FastRetriesProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "500ms",
                "syncline.inbox.max-attempts", "4");
    }
}
