package io.syncline.connector.salesforce;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/**
 * The same flows against the packaged application in JVM mode (Camel's Salesforce component and
 * its Jetty client as the jar ships them); the Salesforce stub stays in the test JVM.
 */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class SalesforceTargetFlowIT extends SalesforceTargetFlowTest {
}
