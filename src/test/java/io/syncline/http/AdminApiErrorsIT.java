package io.syncline.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class AdminApiErrorsIT extends AdminApiErrorsTest {
}
