package io.syncline.exchange;

import org.apache.camel.Exchange;

/** The exchange properties a route sets for its stages: which entity, from which system, to which target. */
public final class RouteContext {

    private RouteContext() {
    }

    /** The property's value; a clear error naming it when the route did not set it. */
    public static String require(Exchange exchange, String property) {
        String value = exchange.getProperty(property, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Route " + exchange.getFromRouteId() + " did not set exchange property " + property
                    + ": apply routes start with setProperty steps for SynclineEntity, SynclineSourceSystem and"
                    + " SynclineTarget (see the templates in docs/reference/routes.md)");
        }
        return value;
    }
}
