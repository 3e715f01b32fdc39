package io.syncline.packaging;

import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged application refuses to start on a model with mistakes. *
 * <p>Runs one at a time with the other integration tests that run an application on the test database itself.
 */
@ResourceLock(TestDatabase.MAIN)
class BadModelStartupIT {

    @Test
    void modelWithThreeMistakesStopsStartUp() throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "bad-model-routes"));
        Files.copy(Path.of("src", "test", "resources", "models", "three-mistakes.syncline.yaml"),
                folder.resolve("three-mistakes.syncline.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        try (PackagedApplication app = PackagedApplication.start("bad-model-startup-it", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.url(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "SYNCLINE_ADMIN_PASSWORD", "packaged-it-password",
                "SYNCLINE_ROUTES_LOCATION", folder.toString()), List.of())) {

            await().atMost(Duration.ofSeconds(90)).until(() -> !app.process().isAlive());
            assertThat(app.process().exitValue()).isNotZero();
            assertThat(app.get("/q/health/live")).isEqualTo(-1);
        }
    }
}
