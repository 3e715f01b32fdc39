package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The routes of src/test/resources/mariadb-routes: the Quickstart's CRM webhook and inbox, with
 * the contacts applied to an ERP on MariaDB ({@link MariaDbTargetResource}) instead of billing,
 * and leads into the same table through an afterWrite hook that fails a "crash-" lead's first
 * attempt (ReplayedWriteTest).
 * syncline.inbox.apply-batch.routes lists an id no route has (readiness names it), and a refused
 * event is a dead letter after two quick attempts.
 */
public class ErpOnMariaDbProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("syncline.routes.location", "src/test/resources/mariadb-routes",
                "syncline.inbox.apply-batch.routes", "demo-contacts-aply",
                "syncline.inbox.max-attempts", "2",
                "syncline.inbox.retry-delay", "100ms");
    }
}
