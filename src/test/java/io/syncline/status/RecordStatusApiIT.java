package io.syncline.status;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same record-status flows against the packaged application. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class RecordStatusApiIT extends RecordStatusApiTest {
}
