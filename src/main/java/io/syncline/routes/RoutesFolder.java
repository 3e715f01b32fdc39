package io.syncline.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder of the model files ({@code *.syncline.yaml}) and route files ({@code *.camel.yaml})
 * and its files of either kind, sorted by name.
 *
 * <p>The folder is the configured {@code syncline.routes.location}; with none configured, the
 * working directory's {@code routes/} (the project's, in dev mode), and when that does not exist
 * either, the files packaged in the application (the demo). A configured folder is never swapped
 * for the packaged files: when it does not exist, or holds neither kind of file, nothing is served
 * and {@link #problem} says why, which readiness reports.
 */
public final class RoutesFolder {

    public static final String MODEL_FILE_SUFFIX = ".syncline.yaml";
    public static final String ROUTE_FILE_SUFFIX = ".camel.yaml";
    static final Path UNCONFIGURED = Path.of("routes");

    private static final Logger LOG = Logger.getLogger(RoutesFolder.class);

    private RoutesFolder() {
    }

    /** The folder in use; empty when nothing is configured and there is no {@code routes/}: the packaged files. */
    public static Optional<Path> inUse(Optional<Path> configured) {
        if (configured.isPresent()) {
            return configured;
        }
        return Files.isDirectory(UNCONFIGURED) ? Optional.of(UNCONFIGURED) : Optional.empty();
    }

    /** Why the folder serves nothing (it does not exist, or holds neither kind of file); empty when it serves. */
    public static Optional<String> problem(Optional<Path> folder) throws IOException {
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        Path path = folder.get().toAbsolutePath();
        if (!Files.isDirectory(path)) {
            return Optional.of("the routes folder " + path + " does not exist, so nothing is served. Fix: mount the model"
                    + " and route files there, or set SYNCLINE_ROUTES_LOCATION (syncline.routes.location) to their folder");
        }
        if (list(path, MODEL_FILE_SUFFIX).isEmpty() && list(path, ROUTE_FILE_SUFFIX).isEmpty()) {
            return Optional.of("the routes folder " + path + " holds no model file (*" + MODEL_FILE_SUFFIX
                    + ") and no route file (*" + ROUTE_FILE_SUFFIX + "), so nothing is served. Fix: put the files"
                    + " there (a Kubernetes ConfigMap lists each file), or point SYNCLINE_ROUTES_LOCATION at their folder");
        }
        return Optional.empty();
    }

    public static List<Resource> files(CamelContext context, Optional<Path> folder, String suffix) throws Exception {
        if (folder.isEmpty()) {
            LOG.debugf("No routes folder: using the packaged %s files", suffix);
            List<Resource> packaged = new ArrayList<>(PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("classpath:routes/*" + suffix));
            packaged.sort(Comparator.comparing(Resource::getLocation));
            return packaged;
        }
        List<Resource> resources = new ArrayList<>();
        if (Files.isDirectory(folder.get())) {
            for (Path file : list(folder.get(), suffix)) {
                resources.add(file(context, folder.get(), file.getFileName().toString()));
            }
        }
        LOG.debugf("%d %s files from folder %s", resources.size(), suffix, folder.get().toAbsolutePath());
        return resources;
    }

    /** One file of the folder, named as it is at start-up (its location keys readiness data). */
    public static Resource file(CamelContext context, Path folder, String name) {
        return PluginHelper.getResourceLoader(context).resolveResource("file:" + folder.resolve(Path.of(name).getFileName()));
    }

    /** Whether two resources are the same file, however their locations spell its path. */
    static boolean sameFile(Resource a, Resource b) {
        return a.getLocation().equals(b.getLocation()) || pathOf(a).equals(pathOf(b));
    }

    private static Path pathOf(Resource resource) {
        String location = resource.getLocation();
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static List<Path> list(Path folder, String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(path -> path.getFileName().toString().endsWith(suffix))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
