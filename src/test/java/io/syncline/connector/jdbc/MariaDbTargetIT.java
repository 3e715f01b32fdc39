package io.syncline.connector.jdbc;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same MariaDB target flow, against the packaged application. */
@QuarkusIntegrationTest
class MariaDbTargetIT extends MariaDbTargetTest {
}
