package io.syncline.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link WebhookEventsTest}, run against the packaged application (a configuration of its own: see pom.xml). */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
@TestProfile(WebhookEventsTest.Secrets.class)
class WebhookEventsIT extends WebhookEventsTest {
}
