package io.syncline.connector.salesforce;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link SalesforceBulkIngestFlowTest}, run against the packaged application (a configuration of its own: see pom.xml). */
@QuarkusIntegrationTest
@ResourceLock(PackagedArtifact.LAUNCHER)
@TestProfile(SalesforceBulkIngestFlowTest.LargeBatches.class)
class SalesforceBulkIngestFlowIT extends SalesforceBulkIngestFlowTest {
}
