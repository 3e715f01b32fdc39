package io.syncline.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class WebhookErrorsIT extends WebhookErrorsTest {
}
