package io.syncline.connector.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same flows against the packaged application; the HubSpot stub stays in the test JVM. */
@QuarkusIntegrationTest
class HttpTargetFlowIT extends HttpTargetFlowTest {
}
