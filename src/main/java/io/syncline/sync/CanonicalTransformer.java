package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.drift.SchemaWatch;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordTransformer;
import io.syncline.metrics.SchemaDrift;
import io.syncline.sensitive.SensitiveValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * The transformer stage of an apply route, always on the model in force: turns the exchange's
 * source record (its body, a JSON object), or each of its batch's ({@link ApplyEvents}), into the
 * canonical record that becomes its body. The entity and the source system are the route's
 * (exchange properties {@value ExchangeContract#ENTITY} and {@value ExchangeContract#SOURCE_SYSTEM},
 * which the apply templates set). Each payload also counts towards {@link SchemaDrift}, and passes
 * {@link SchemaWatch}, which keeps it waiting while a schema drift pauses its mapping. The values of
 * sensitive fields the inbox keeps encrypted are read in clear here ({@link SensitiveValues}).
 */
@ApplicationScoped
@Named("CanonicalTransformer")
@RegisterForReflection
public class CanonicalTransformer implements Processor {

    @Inject
    SyncModelRegistry registry;
    @Inject
    SchemaDrift drift;
    @Inject
    SchemaWatch watch;
    @Inject
    SensitiveValues sensitive;

    @Override
    public void process(Exchange exchange) throws Exception {
        String entity = RouteContext.require(exchange, ExchangeContract.ENTITY);
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        RecordTransformer transformer = registry.current().transformer();
        ApplyEvents.forEach(exchange, event -> {
            if (event.getMessage().getBody() instanceof CanonicalRecord) {
                return; // transformed already: a mapping's own route repeating the stage (apply-route)
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> source = event.getMessage().getMandatoryBody(Map.class);
            // the inbox holds sensitive values encrypted: in clear from here on, the exchange's alone
            source = sensitive.decryptAll(source);
            @SuppressWarnings("unchecked")
            Map<String, Object> supplied = event.getProperty(ExchangeContract.SUPPLIED_VALUES, Map.class);
            if (supplied == null) {
                // a resolution of a held record replays an earlier payload: no news of the source's schema
                FieldContract contract = transformer.contract(entity, system);
                if (!RecordTransformer.isDeletion(contract, source)) {
                    // a mapping paused by a drift keeps the event waiting; an accepted rename is read here
                    source = watch.admit(contract, transformer.entity(entity).mappings().get(system), source);
                    drift.observe(contract, source);
                }
            }
            CanonicalRecord record = transformer.toCanonical(entity, system, source, supplied == null ? Map.of() : supplied);
            event.getMessage().setBody(record);
            event.setProperty(ExchangeContract.SOURCE_ID, record.sourceId());
        });
    }
}
