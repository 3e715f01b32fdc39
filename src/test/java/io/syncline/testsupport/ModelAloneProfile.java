package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A routes folder ({@link #FOLDER}) holding the Quickstart's model alone, no route file, with
 * billing's last name upper-cased by its mapping (the README's dev-mode edit), and an inbox polled
 * every ten minutes: an event is applied because its arrival wakes the dispatcher
 * (InboxWakeUpTest), which is how every event of these tests is applied.
 */
public class ModelAloneProfile implements QuarkusTestProfile {

    public static final Path FOLDER = Path.of("target", "model-alone");
    static final String ORIGINAL = "{field: lastName, path: last_name}";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            String model = Files.readString(Path.of("routes", "contacts.syncline.yaml"));
            if (!model.contains(ORIGINAL)) {
                throw new IllegalStateException("The Quickstart's model no longer maps " + ORIGINAL);
            }
            Files.createDirectories(FOLDER);
            Files.writeString(FOLDER.resolve("contacts.syncline.yaml"),
                    model.replace(ORIGINAL, "{field: lastName, path: last_name, transforms: [uppercase]}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("syncline.routes.location", FOLDER.toString(), "syncline.inbox.poll-interval", "10m");
    }
}
