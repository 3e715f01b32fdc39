package io.syncline.routes;

import org.apache.camel.CamelContext;

/** Fired once the route files have been loaded at start-up (each loaded, or recorded as a problem). */
public record RouteFilesLoaded(CamelContext context) {
}
