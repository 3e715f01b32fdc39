package io.syncline.routes;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Loads the route files ({@code *.camel.yaml}) from the configured folder, or from the
 * packaged {@code routes/} when that folder does not exist.
 *
 * <p>Each file is loaded on its own, once the Camel context has started, so that its routes are
 * created and started right away: a file that does not parse, or whose route cannot be created
 * (an unknown step, a bean that does not exist), is recorded in {@link RouteFileProblems}
 * (readiness turns DOWN naming it) while every other route runs. Camel's
 * {@code routes-include-pattern} would instead abort the whole context on the first such file.
 */
@ApplicationScoped
public class RouteFileLoader {

    static final String ROUTE_FILE_SUFFIX = ".camel.yaml";
    private static final Logger LOG = Logger.getLogger(RouteFileLoader.class);

    private final SynclineConfig config;
    private final RouteFileProblems problems;

    public RouteFileLoader(SynclineConfig config, RouteFileProblems problems) {
        this.config = config;
        this.problems = problems;
    }

    void onAfterStart(@Observes AfterStart event) throws Exception {
        CamelContext context = event.getCamelContext();
        problems.clear();
        List<Resource> files = RoutesFolder.files(context, config.routes().location(), ROUTE_FILE_SUFFIX);
        var loader = PluginHelper.getRoutesLoader(context);
        for (Resource file : files) {
            try {
                // updateRoutes adds and starts the routes (loadRoutes would leave them stopped after start-up).
                loader.updateRoutes(List.of(file));
                LOG.debugf("Loaded route file %s", file.getLocation());
            } catch (Exception e) {
                String reason = describe(e);
                problems.record(file.getLocation(), reason);
                LOG.errorf("Route file %s was not loaded: %s", file.getLocation(), reason);
            }
        }
        LOG.infof("Loaded %d of %d route files", files.size() - problems.snapshot().size(), files.size());
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
