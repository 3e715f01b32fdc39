package io.syncline.review;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same review-queue flows against the packaged application. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class ReviewQueueApiIT extends ReviewQueueApiTest {
}
