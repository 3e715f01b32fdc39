package io.syncline.routes;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the route files ({@code *.camel.yaml}) from the routes folder ({@link RoutesFolder}). A
 * folder that serves nothing (it does not exist, or holds no model or route file) is recorded in
 * {@link RouteFileProblems} under its path: readiness is DOWN naming it.
 *
 * <p>Each file is loaded on its own, once the Camel context has started, so that its routes are
 * created and started right away: a file that does not parse, or whose route cannot be created
 * (an unknown step, a bean that does not exist), is recorded in {@link RouteFileProblems}
 * (readiness turns DOWN naming it) while every other route runs. Camel's
 * {@code routes-include-pattern} would instead abort the whole context on the first such file.
 *
 * <p>With {@code syncline.routes.reload} (dev mode) an edited file is loaded again the same way:
 * its routes are replaced and every other file's keep running. Camel's own reload strategy
 * removes every route before it loads the edited file, which left the other files' routes gone.
 */
@ApplicationScoped
public class RouteFileLoader {

    private static final Logger LOG = Logger.getLogger(RouteFileLoader.class);

    @Inject
    SynclineConfig config;
    @Inject
    RouteFileProblems problems;
    @Inject
    Event<RouteFilesLoaded> loaded;
    @Inject
    ModelRoutes modelRoutes;
    @Inject
    SyncModelRegistry registry;

    void onAfterStart(@Observes AfterStart event) throws Exception {
        CamelContext context = event.getCamelContext();
        problems.clear();
        Optional<Path> folder = RoutesFolder.inUse(config.routes().location());
        Optional<String> empty = RoutesFolder.problem(folder);
        if (empty.isPresent()) {
            problems.record(folder.orElseThrow().toAbsolutePath().toString(), empty.get());
            LOG.errorf("Not ready: %s", empty.get());
        }
        List<Resource> files = RoutesFolder.files(context, folder, RoutesFolder.ROUTE_FILE_SUFFIX);
        for (Resource file : files) {
            load(context, file);
        }
        LOG.infof("Loaded %d of %d route files", files.size() - problems.snapshot().size(), files.size());
        // after the route files: a mapping's hooks and replacing routes are theirs
        modelRoutes.create(context, registry.current().model());
        loaded.fire(new RouteFilesLoaded(context));
        if (config.routes().reload() && folder.filter(Files::isDirectory).isPresent()) {
            Path watched = folder.get();
            FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(watched.toString());
            watcher.setFileFilter(file -> file.getName().endsWith(RoutesFolder.ROUTE_FILE_SUFFIX));
            watcher.setResourceReload((name, resource) -> reload(context, RoutesFolder.file(context, watched, name)));
            context.addService(watcher);
        }
    }

    /**
     * Loads an edited file again: routes of the same id are replaced, routes the file no longer
     * declares are removed. A file that fails keeps readiness DOWN until an edit loads.
     */
    void reload(CamelContext context, Resource file) throws Exception {
        Set<String> before = routesOf(context, file);
        Set<String> loaded = load(context, file);
        if (loaded == null) {
            return;
        }
        problems.remove(file.getLocation());
        before.removeAll(loaded);
        for (String gone : before) {
            context.getRouteController().stopRoute(gone);
            context.removeRoute(gone);
        }
        LOG.infof("Reloaded route file %s: routes %s", file.getLocation(), loaded);
    }

    /** @return the ids of the routes the file added or replaced, null when it failed (recorded) */
    private Set<String> load(CamelContext context, Resource file) {
        try {
            // updateRoutes adds and starts the routes (loadRoutes would leave them stopped after
            // start-up) and replaces a route of the same id.
            Set<String> ids = PluginHelper.getRoutesLoader(context).updateRoutes(List.of(file));
            LOG.debugf("Loaded route file %s", file.getLocation());
            return ids;
        } catch (Exception e) {
            String reason = describe(e);
            problems.record(file.getLocation(), reason);
            LOG.errorf("Route file %s was not loaded: %s", file.getLocation(), reason);
            return null;
        }
    }

    private static Set<String> routesOf(CamelContext context, Resource file) {
        Set<String> ids = new HashSet<>();
        for (Route route : context.getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && RoutesFolder.sameFile(source, file)) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
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
