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
import java.util.stream.Stream;

/**
 * The files of the routes folder with a given suffix ({@code .camel.yaml} routes,
 * {@code .syncline.yaml} model), sorted by name; the packaged {@code routes/} when the folder
 * does not exist.
 */
public final class RoutesFolder {

    private static final Logger LOG = Logger.getLogger(RoutesFolder.class);

    private RoutesFolder() {
    }

    public static List<Resource> files(CamelContext context, Path folder, String suffix) throws Exception {
        if (Files.isDirectory(folder)) {
            List<Resource> resources = new ArrayList<>();
            for (Path file : list(folder, suffix)) {
                resources.add(file(context, folder, file.getFileName().toString()));
            }
            LOG.debugf("%d %s files from folder %s", resources.size(), suffix, folder.toAbsolutePath());
            return resources;
        }
        LOG.debugf("Folder %s does not exist: using the packaged %s files", folder.toAbsolutePath(), suffix);
        List<Resource> packaged = new ArrayList<>(PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/*" + suffix));
        packaged.sort(Comparator.comparing(Resource::getLocation));
        return packaged;
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
