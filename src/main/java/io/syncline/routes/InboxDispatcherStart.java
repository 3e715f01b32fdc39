package io.syncline.routes;

import io.syncline.inbox.InboxRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts the inbox's dispatcher once the route files are loaded: the apply routes its events go
 * to exist from then on. The wiring lives here, above the engine, so that the inbox knows nothing
 * of how routes are loaded.
 */
@ApplicationScoped
public class InboxDispatcherStart {

    @Inject
    InboxRoutes inboxRoutes;

    void onRouteFilesLoaded(@Observes RouteFilesLoaded loaded) throws Exception {
        inboxRoutes.startDispatcher(loaded.context());
    }
}
