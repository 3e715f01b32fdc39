package io.syncline.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the engine's timer routes that read or write the state store (tombstone
 * reloads, erasures, clean-ups, the backfill runner): a run that failed because the store cannot
 * be reached is dropped with a DEBUG line, and the next tick tries again. The store's probe
 * reports the outage once ({@link StateStoreProbe}); a stack trace every tick would bury it.
 * Any other failure goes to Camel's default error handler, logged as before.
 */
@ApplicationScoped
public class StoreOutageRouteConfiguration extends RouteConfigurationBuilder {

    /** The route configuration id for {@code .routeConfigurationId(...)}. */
    public static final String ID = "store-timers";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .onWhen(exchange -> StoreOutage.isOutage(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)))
                .handled(true)
                .log(LoggingLevel.DEBUG, "io.syncline.store.StoreOutage",
                        "${routeId}: skipped, the state store is unreachable: ${exception.message}");
    }
}
