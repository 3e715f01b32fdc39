package io.syncline.demo;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class DemoContactMatchingIT extends DemoContactMatchingTest {
}
