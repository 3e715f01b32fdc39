package io.syncline.routes;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.AfterConfigure;
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
 * Loads the route files ({@code *.camel.yaml}) from the configured folder, or from the
 * packaged {@code routes/} when that folder does not exist.
 *
 * <p>Each file is loaded on its own: a file that does not parse is recorded in
 * {@link RouteFileProblems} (readiness turns DOWN naming it) while every other route runs.
 * Camel's {@code routes-include-pattern} would instead abort the whole context on the first
 * broken file.
 */
@ApplicationScoped
public class RouteFileLoader {

    static final String ROUTE_FILE_SUFFIX = ".camel.yaml";
    private static final String PACKAGED_ROUTES = "classpath:routes/*" + ROUTE_FILE_SUFFIX;
    private static final Logger LOG = Logger.getLogger(RouteFileLoader.class);

    private final SynclineConfig config;
    private final RouteFileProblems problems;

    public RouteFileLoader(SynclineConfig config, RouteFileProblems problems) {
        this.config = config;
        this.problems = problems;
    }

    void onAfterConfigure(@Observes AfterConfigure event) throws Exception {
        CamelContext context = event.getCamelContext();
        problems.clear();
        List<Resource> files = routeFiles(context, config.routes().location());
        var loader = PluginHelper.getRoutesLoader(context);
        for (Resource file : files) {
            try {
                loader.loadRoutes(file);
                LOG.debugf("Loaded route file %s", file.getLocation());
            } catch (Exception e) {
                String reason = describe(e);
                problems.record(file.getLocation(), reason);
                LOG.errorf("Route file %s was not loaded: %s", file.getLocation(), reason);
            }
        }
        LOG.infof("Loaded %d of %d route files", files.size() - problems.snapshot().size(), files.size());
    }

    static List<Resource> routeFiles(CamelContext context, Path folder) throws Exception {
        if (Files.isDirectory(folder)) {
            List<Resource> resources = new ArrayList<>();
            for (Path file : listRouteFiles(folder)) {
                resources.add(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
            }
            LOG.infof("Route files from folder %s", folder.toAbsolutePath());
            return resources;
        }
        LOG.infof("Folder %s does not exist: using the packaged route files", folder.toAbsolutePath());
        List<Resource> packaged = new ArrayList<>(PluginHelper.getPackageScanResourceResolver(context)
                .findResources(PACKAGED_ROUTES));
        packaged.sort(Comparator.comparing(Resource::getLocation));
        return packaged;
    }

    private static List<Path> listRouteFiles(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(path -> path.getFileName().toString().endsWith(ROUTE_FILE_SUFFIX))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    /** The innermost messages usually carry the line and the offending key; keep them all. */
    private static String describe(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && reason.indexOf(message) < 0) {
                if (!reason.isEmpty()) {
                    reason.append(" | caused by: ");
                }
                reason.append(message.strip());
            }
        }
        return reason.isEmpty() ? e.getClass().getName() : reason.toString();
    }
}
