package io.syncline.ops;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class OpsEndpointsIT extends OpsEndpointsTest {
}
