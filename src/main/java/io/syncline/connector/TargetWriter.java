package io.syncline.connector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.spi.TargetStages;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.sync.DryRunWrite;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

/**
 * The apply route's target write stage ({@code bean: {ref: TargetWriter, method: write}}),
 * whatever the target's type: the type's {@link TargetStages#write}; in a dry run, nothing but the
 * decision what the write would be ({@link DryRunWrite}).
 */
@ApplicationScoped
@Named("TargetWriter")
@RegisterForReflection
public class TargetWriter {

    private final SystemTypes types;

    public TargetWriter(SystemTypes types) {
        this.types = types;
    }

    public void write(Exchange exchange) throws Exception {
        if (DryRunWrite.active(exchange)) {
            DryRunWrite.decide(exchange);
            return;
        }
        types.stages(RouteContext.require(exchange, ExchangeContract.TARGET)).write(exchange);
    }
}
