package io.syncline.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Tag;

/** The same console pages, in a real browser, on the packaged application. */
@QuarkusIntegrationTest
@Tag(PackagedArtifact.RERUN)
class ConsoleIT extends ConsoleTest {
}
