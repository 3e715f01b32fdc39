package io.syncline.demo;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same example sync, against the packaged application. */
@QuarkusIntegrationTest
class DemoContactSyncIT extends DemoContactSyncTest {
}
