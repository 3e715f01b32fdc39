package io.syncline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the shipped {@code routes/} folder, for tests that edit files while the application runs. */
public final class RouteFolders {

    private RouteFolders() {
    }

    /** Copies every file of {@code routes/} into {@code folder}, replacing what is there. */
    public static void copyShippedRoutes(Path folder) {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            Files.createDirectories(folder);
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
