package io.syncline.demo;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same example sync, against the packaged application. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class DemoContactSyncIT extends DemoContactSyncTest {
}
