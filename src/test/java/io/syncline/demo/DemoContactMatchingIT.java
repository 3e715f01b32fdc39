package io.syncline.demo;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class DemoContactMatchingIT extends DemoContactMatchingTest {
}
