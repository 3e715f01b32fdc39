package io.syncline.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same console pages, in a real browser, on the packaged application. */
@QuarkusIntegrationTest
class ConsoleIT extends ConsoleTest {
}
