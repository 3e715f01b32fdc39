package io.syncline.plan;

import io.syncline.model.SystemMapping;
import io.syncline.routes.ModelRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply routes a plan sends its records down: the running route of each (entity, source,
 * target), or, for a pair the running model makes no route for (a new sync, a source without
 * webhook), one made from the {@code apply} template for the plan and removed when it ends. Such a
 * route is called by the plan only: no webhook, poll or inbox event names it.
 */
@ApplicationScoped
public class PlanRoutes {

    private static final Logger LOG = Logger.getLogger(PlanRoutes.class);

    private final CamelContext camel;

    public PlanRoutes(CamelContext camel) {
        this.camel = camel;
    }

    /** The routes one plan made, removed by {@link #close}. */
    public final class Made implements AutoCloseable {

        private final List<String> routeIds = new ArrayList<>();

        /** The endpoint of the pair's apply route, made now if none runs. */
        public synchronized String endpoint(String entity, String source, String target, SystemMapping mapping) throws Exception {
            String routeId = entity + "-" + source + "-to-" + target;
            if (camel.getRoute(routeId) == null) {
                Map<String, Object> parameters = new LinkedHashMap<>(Map.of("entity", entity, "source", source, "target", target));
                parameters.putAll(mapping.hooks());
                ModelRoutes.loadTemplates(camel);
                TemplatedRouteBuilder.builder(camel, "apply").routeId(routeId).parameters(parameters).add();
                camel.getRouteController().startRoute(routeId);
                routeIds.add(routeId);
            }
            return "direct:" + routeId;
        }

        @Override
        public synchronized void close() {
            for (String routeId : routeIds) {
                try {
                    camel.getRouteController().stopRoute(routeId);
                    camel.removeRoute(routeId);
                } catch (Exception e) {
                    LOG.warnf("The plan's route %s was not removed: %s", routeId, e.getMessage());
                }
            }
            routeIds.clear();
        }
    }

    public Made open() {
        return new Made();
    }
}
