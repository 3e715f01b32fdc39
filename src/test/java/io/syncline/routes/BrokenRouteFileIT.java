package io.syncline.routes;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class BrokenRouteFileIT extends BrokenRouteFileTest {
}
