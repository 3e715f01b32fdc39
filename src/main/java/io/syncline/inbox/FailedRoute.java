package io.syncline.inbox;

import io.syncline.exchange.ExchangeContract;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Names the route an inbox event failed in, for its dead letter: the innermost route of
 * configuration {@code inbox-apply} (an apply route, or a fan-out) whose exchange ended with an
 * exception. A fan-out applies each target on a copy of the event, so its own failure takes the
 * name from the copy its recipient list reports as failed: the target's apply route.
 */
public final class FailedRoute implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition)
                || !InboxRouteConfiguration.APPLY.equals(definition.getRouteConfigurationId())) {
            return null;
        }
        // One policy per route: a route removed stops its policy, which must not stop the others'.
        return new RoutePolicySupport() {

            @Override
            public void onExchangeDone(Route done, Exchange exchange) {
                if (exchange.getException() != null && exchange.getProperty(ExchangeContract.FAILED_ROUTE) == null) {
                    exchange.setProperty(ExchangeContract.FAILED_ROUTE, innermost(exchange.getException(), done.getRouteId()));
                }
            }
        };
    }

    private static String innermost(Throwable failure, String here) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CamelExchangeException reported && reported.getExchange() != null
                    && reported.getExchange().getProperty(ExchangeContract.FAILED_ROUTE) != null) {
                return reported.getExchange().getProperty(ExchangeContract.FAILED_ROUTE, String.class);
            }
        }
        return here;
    }
}
