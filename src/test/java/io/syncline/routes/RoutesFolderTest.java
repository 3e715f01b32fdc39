package io.syncline.routes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesFolderTest {

    @TempDir
    Path folder;

    @Test
    void unconfiguredIsTheWorkingDirectorysRoutesFolder() {
        // the tests run in the project, which has routes/
        assertThat(RoutesFolder.inUse(Optional.empty())).contains(Path.of("routes"));
        assertThat(RoutesFolder.inUse(Optional.of(folder))).contains(folder);
    }

    @Test
    void aMissingFolderIsAProblemNamingIt() throws IOException {
        Path missing = folder.resolve("not-mounted");
        assertThat(RoutesFolder.problem(Optional.of(missing))).hasValueSatisfying(problem -> assertThat(problem)
                .contains(missing.toString()).contains("does not exist").contains("SYNCLINE_ROUTES_LOCATION"));
    }

    @Test
    void aFolderWithNeitherKindOfFileIsAProblemNamingIt() throws IOException {
        Files.writeString(folder.resolve("README.md"), "not a model");
        Files.createDirectory(folder.resolve("a-folder.syncline.yaml"));
        assertThat(RoutesFolder.problem(Optional.of(folder))).hasValueSatisfying(problem -> assertThat(problem)
                .contains(folder.toString()).contains("holds no model file"));
    }

    @Test
    void eitherKindOfFileServes() throws IOException {
        Path routeOnly = Files.createDirectory(folder.resolve("route-only"));
        Files.writeString(routeOnly.resolve("ping.camel.yaml"), "- route: {}");
        Path modelOnly = Files.createDirectory(folder.resolve("model-only"));
        Files.writeString(modelOnly.resolve("contacts.syncline.yaml"), "systems: {}");

        assertThat(RoutesFolder.problem(Optional.of(routeOnly))).isEmpty();
        assertThat(RoutesFolder.problem(Optional.of(modelOnly))).isEmpty();
        assertThat(RoutesFolder.problem(Optional.empty())).as("the packaged files").isEmpty();
    }
}
