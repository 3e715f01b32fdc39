package io.syncline.connector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.spi.TargetStages;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

/**
 * The apply route's target match stage ({@code bean: {ref: TargetMatcher, method: match}}),
 * whatever the target's type: the type's {@link TargetStages#match}.
 */
@ApplicationScoped
@Named("TargetMatcher")
@RegisterForReflection
public class TargetMatcher {

    private final SystemTypes types;

    public TargetMatcher(SystemTypes types) {
        this.types = types;
    }

    public void match(Exchange exchange) throws Exception {
        types.stages(RouteContext.require(exchange, ExchangeContract.TARGET)).match(exchange);
    }
}
