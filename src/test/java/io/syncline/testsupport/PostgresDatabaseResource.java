package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the application under test at the real PostgreSQL, creating the test database when it
 * is missing. Quarkus passes the returned settings to the packaged application in {@code …IT}.
 */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        return Map.of(
                "quarkus.datasource.jdbc.url", TestDatabase.url(),
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void stop() {
        // The database outlives the test run so that a failure can be inspected.
    }
}
