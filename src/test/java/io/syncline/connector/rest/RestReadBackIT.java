package io.syncline.connector.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link RestReadBackTest}, run against the packaged application (a configuration of its own: see pom.xml). */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
class RestReadBackIT extends RestReadBackTest {
}
