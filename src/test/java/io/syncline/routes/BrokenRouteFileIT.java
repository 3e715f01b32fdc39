package io.syncline.routes;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PackagedArtifact;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link BrokenRouteFileTest}, run against the packaged application (a configuration of its own: see pom.xml),
 * on the test database itself.
 */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
@TestProfile(BrokenRouteFileTest.BrokenRoutesFolder.class)
@ResourceLock(TestDatabase.MAIN)
class BrokenRouteFileIT extends BrokenRouteFileTest {
}
