package io.syncline.routes;

import io.syncline.backfill.BackfillRunner;
import io.syncline.inbox.InboxRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts the routes that apply records once the route files are loaded, since the apply routes
 * they send records to exist from then on: the inbox's dispatcher, and the backfill runner, whose
 * runs apply their pages down those routes. The wiring lives here, above the engine, so that
 * neither knows how routes are loaded.
 */
@ApplicationScoped
public class ApplyingRoutesStart {

    @Inject
    InboxRoutes inboxRoutes;
    @Inject
    BackfillRunner backfillRunner;

    void onRouteFilesLoaded(@Observes RouteFilesLoaded loaded) throws Exception {
        inboxRoutes.startDispatcher(loaded.context());
        backfillRunner.applyRoutesLoaded();
    }
}
