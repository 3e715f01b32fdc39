package io.syncline.connector.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link HttpTargetFlowTest}, run against the packaged application (a configuration of its own: see pom.xml). */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
@TestProfile(HttpTargetFlowTest.QuickRetries.class)
class HttpTargetFlowIT extends HttpTargetFlowTest {
}
