package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * Dev mode's reloading on a copy of the shipped routes ({@link #FOLDER}): edited model files and
 * edited route files are both reloaded in place. Each test puts back what it edits.
 */
public class ReloadingRoutesProfile implements QuarkusTestProfile {

    public static final Path FOLDER = Path.of("target", "reloading-routes");

    @Override
    public Map<String, String> getConfigOverrides() {
        RouteFolders.copyShippedRoutes(FOLDER);
        return Map.of("syncline.routes.location", FOLDER.toString(), "syncline.model.reload", "true",
                "syncline.routes.reload", "true");
    }
}
