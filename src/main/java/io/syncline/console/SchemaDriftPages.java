package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.driftfix.SchemaDriftAdmin;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The overview's buttons for a mapping paused by a schema drift (docs/real-time.md#schema-drift):
 * accept the proposed rename, or resume the mapping as the model now reads it, as
 * {@code /admin/schema-drifts} does them; back to the overview, which says what was done.
 */
@ApplicationScoped
public class SchemaDriftPages {

    private static final Logger LOG = Logger.getLogger(SchemaDriftPages.class);

    @Inject
    SchemaDriftAdmin admin;
    @Inject
    ConsoleResponder responder;

    @Route(regex = "/console/schema-drifts/(?<id>\\d+)/accept", methods = Route.HttpMethod.POST)
    @Blocking
    void accept(RoutingContext rc) {
        long id = ConsoleForms.id(rc);
        act(rc, id, "rename accepted", () -> admin.accept(id, null, responder.user()));
    }

    @Route(regex = "/console/schema-drifts/(?<id>\\d+)/resume", methods = Route.HttpMethod.POST)
    @Blocking
    void resume(RoutingContext rc) {
        long id = ConsoleForms.id(rc);
        act(rc, id, "mapping resumed", () -> admin.resume(id, responder.user()));
    }

    /** What a button asks of the drifts' admin. */
    @FunctionalInterface
    private interface Action {

        Optional<SchemaDriftAdmin.DriftView> apply() throws Exception;
    }

    private void act(RoutingContext rc, long id, String done, Action action) {
        try {
            if (action.apply().isEmpty()) {
                responder.error(rc, 404, "No such drift", "There is no schema drift " + id + ".");
                return;
            }
        } catch (SchemaDriftAdmin.DriftConflictException e) {
            responder.error(rc, 409, "Refused", e.getMessage());
            return;
        } catch (Exception e) {
            LOG.errorf(e, "Schema drift %d: %s by %s failed", id, done, responder.user());
            responder.error(rc, 500, "Failed", "The action on schema drift " + id + " failed: " + e.getMessage());
            return;
        }
        responder.seeOther(rc, "/console?" + ConsoleQuery.of("drift", "Schema drift #" + id + ": " + done));
    }
}
