package io.syncline.review;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same review-queue flows against the packaged application. */
@QuarkusIntegrationTest
class ReviewQueueApiIT extends ReviewQueueApiTest {
}
