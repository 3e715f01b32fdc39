package io.syncline.console;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.syncline.testsupport.TwoWayContacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The two-way contacts (conflicts, held records, ambiguous matches) with a reconciliation job of
 * the two tables (src/test/resources/console-routes), retries that end in a dead letter quickly,
 * and a fixed session key.
 * The routes folder is conflict-routes' files and that job, copied together under target/.
 */
public class ConsoleProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(new TwoWayContacts.Profile().getConfigOverrides());
        overrides.put("syncline.routes.location", routes().toString());
        overrides.put("syncline.inbox.retry-delay", "200ms");
        overrides.put("syncline.inbox.max-retry-delay", "500ms");
        overrides.put("syncline.inbox.max-attempts", "3");
        // One key for every start of the application, so that the browser's session outlives a restart.
        overrides.put("quarkus.http.auth.session.encryption-key", "console-test-only-session-key");
        return overrides;
    }

    private static Path routes() {
        Path folder = Path.of("target", "console-routes").toAbsolutePath();
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "conflict-routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, folder.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (InputStream job = ConsoleProfile.class.getResourceAsStream("/console-routes/console-reconcile.syncline.yaml")) {
                Files.copy(job, folder.resolve("console-reconcile.syncline.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }
}
