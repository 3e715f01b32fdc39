package io.syncline.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class HostileWebhookInputIT extends HostileWebhookInputTest {
}
