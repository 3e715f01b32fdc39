package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.load.SyncModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * The transformer stage of an apply route, always on the model in force: turns the exchange's
 * source record (its body, a JSON object), or each of its batch's ({@link ApplyEvents}), into the
 * canonical record that becomes its body. The entity and the source system are the route's
 * (exchange properties {@value InboxRepository#ENTITY} and {@value InboxRepository#SOURCE_SYSTEM},
 * which the apply templates set).
 */
@ApplicationScoped
@Named("CanonicalTransformer")
@RegisterForReflection
public class CanonicalTransformer implements Processor {

    /**
     * Exchange property: values a person supplied (canonical, by field) for the fields a
     * required-field policy {@code hold} held, set by the resolution of a held record.
     */
    public static final String SUPPLIED_VALUES = "SynclineSuppliedValues";

    private final SyncModelRegistry registry;

    public CanonicalTransformer(SyncModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String entity = RouteContext.require(exchange, InboxRepository.ENTITY);
        String system = RouteContext.require(exchange, InboxRepository.SOURCE_SYSTEM);
        RecordTransformer transformer = registry.current().transformer();
        ApplyEvents.forEach(exchange, event -> {
            if (event.getMessage().getBody() instanceof CanonicalRecord) {
                return; // transformed already: a mapping's own route repeating the stage (apply-route)
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> source = event.getMessage().getMandatoryBody(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> supplied = event.getProperty(SUPPLIED_VALUES, Map.class);
            event.getMessage().setBody(transformer.toCanonical(entity, system, source, supplied == null ? Map.of() : supplied));
        });
    }
}
