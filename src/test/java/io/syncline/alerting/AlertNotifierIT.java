package io.syncline.alerting;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link AlertNotifierTest}, run against the packaged application (a configuration of its own: see pom.xml),
 * on the test database itself.
 */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
@ResourceLock(TestDatabase.MAIN)
class AlertNotifierIT extends AlertNotifierTest {
}
