package io.syncline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies of route folders: the shipped {@code routes/}, for tests that edit files while the
 * application runs, and test folders whose models name a stub by a placeholder address.
 */
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

    /**
     * {@code folder} made anew with every file of the source folders: one application for the
     * models of several folders, whose declarations have names of their own. Two files of one
     * name would hide one another, so that fails.
     */
    public static Path merged(Path folder, Path... sources) {
        try {
            if (Files.exists(folder)) {
                delete(folder);
            }
            Files.createDirectories(folder);
            for (Path source : sources) {
                try (Stream<Path> files = Files.list(source)) {
                    for (Path file : files.toList()) {
                        Path copy = folder.resolve(file.getFileName());
                        if (Files.exists(copy)) {
                            throw new IllegalStateException(file + " has the name of a file of another folder merged into " + folder);
                        }
                        Files.copy(file, copy);
                    }
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh temporary copy of {@code template} with {@code address} written over {@code placeholder} in every file. */
    public static Path copyWithAddress(Path template, String placeholder, String address) {
        return copyWithAddresses(template, Map.of(placeholder, address));
    }

    /** A fresh temporary copy of {@code template} with each address written over its placeholder in every file. */
    public static Path copyWithAddresses(Path template, Map<String, String> addresses) {
        try (Stream<Path> files = Files.list(template)) {
            Path routes = Files.createTempDirectory("syncline-routes");
            for (Path file : files.toList()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                for (Map.Entry<String, String> address : addresses.entrySet()) {
                    content = content.replace(address.getKey(), address.getValue());
                }
                Files.writeString(routes.resolve(file.getFileName()), content, StandardCharsets.UTF_8);
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a folder and everything in it. */
    public static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
