package io.syncline.connector.salesforce;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link SalesforceScenarioTest}, run against the packaged application (a configuration of its own: see pom.xml). */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
class SalesforceScenarioIT extends SalesforceScenarioTest {
}
