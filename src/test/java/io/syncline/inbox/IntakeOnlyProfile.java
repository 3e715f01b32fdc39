package io.syncline.inbox;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.syncline.testsupport.TestDatabase;

import java.util.List;
import java.util.Map;

/**
 * An intake-only replica ({@code syncline.inbox.apply=false}: no dispatcher runs unless a test
 * starts it) on a database of its own, created afresh at start-up, whose inbox nothing analyses
 * ({@code syncline.inbox.analyze-after=0}). A test that starts the dispatcher stops it again, so
 * that the next test class on this application finds it as configured.
 */
public class IntakeOnlyProfile implements QuarkusTestProfile {

    static final String DATABASE_URL = TestDatabase.siblingUrl("_burst");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("syncline.inbox.analyze-after", "0", "syncline.inbox.apply", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FreshDatabase.class));
    }

    public static class FreshDatabase implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            TestDatabase.ensureDatabase(DATABASE_URL, true);
            return Map.of("quarkus.datasource.jdbc.url", DATABASE_URL,
                    "quarkus.datasource.username", TestDatabase.user(),
                    "quarkus.datasource.password", TestDatabase.password());
        }

        @Override
        public void stop() {
            // The database outlives the run so that a failure can be inspected.
        }
    }
}
