package io.syncline.status;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same record-status flows against the packaged application. */
@QuarkusIntegrationTest
class RecordStatusApiIT extends RecordStatusApiTest {
}
