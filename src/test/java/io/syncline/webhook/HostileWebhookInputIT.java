package io.syncline.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class HostileWebhookInputIT extends HostileWebhookInputTest {
}
