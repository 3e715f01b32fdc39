package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Inbox retries in fractions of a second and four attempts, so that outages play out quickly.
 * Contacts' personal data is kept thirty days and other entities' four hundred
 * (PersonalDataRetentionTest): no other test's data is old enough to meet either.
 */
public class FastRetriesProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "500ms",
                "syncline.inbox.max-attempts", "4",
                "syncline.privacy.retention", "400d", "syncline.privacy.retention-per-entity.contact", "30d");
    }
}
