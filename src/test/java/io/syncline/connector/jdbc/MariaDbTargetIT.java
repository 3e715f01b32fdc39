package io.syncline.connector.jdbc;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same MariaDB target flow, against the packaged application. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class MariaDbTargetIT extends MariaDbTargetTest {
}
