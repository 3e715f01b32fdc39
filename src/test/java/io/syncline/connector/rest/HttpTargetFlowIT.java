package io.syncline.connector.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same flows against the packaged application; the HubSpot stub stays in the test JVM. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class HttpTargetFlowIT extends HttpTargetFlowTest {
}
