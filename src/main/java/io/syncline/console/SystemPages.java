package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.connector.SystemChecks;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * Every system of the model with its status, as {@code GET /admin/check} and {@code bin/syncline check}
 * find it: each system checked when the page is asked for (its credentials, that it answers, the
 * objects and fields its mappings name, its webhook), each problem with its fix. Nothing is written.
 */
@ApplicationScoped
public class SystemPages {

    @Inject
    SystemChecks checks;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/systems", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) {
        Map<String, Object> data = new HashMap<>();
        data.put("report", checks.run());
        responder.page(rc, 200, "systems", "systems", data);
    }
}
