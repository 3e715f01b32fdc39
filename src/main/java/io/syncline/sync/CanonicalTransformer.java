package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import io.syncline.mapping.RecordTransformer;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import java.util.Map;

/**
 * The transformer stage for YAML routes, always on the model in force:
 * {@code bean: {ref: syncTransformer, method: "toCanonical('contact', 'crm', ${exchange})"}}
 * turns the exchange's source record (its body, a JSON object), or each of its batch's
 * ({@link ApplyEvents}), into the canonical record that becomes its body.
 */
@ApplicationScoped
@Named("syncTransformer")
@RegisterForReflection
public class SyncTransformerBean {

    /**
     * Exchange property: values a person supplied (canonical, by field) for the fields a
     * required-field policy {@code hold} held, set by the resolution of a held record.
     */
    public static final String SUPPLIED_VALUES = "SynclineSuppliedValues";

    private final SyncModelRegistry registry;

    public SyncTransformerBean(SyncModelRegistry registry) {
        this.registry = registry;
    }

    public void toCanonical(String entity, String system, Exchange exchange) throws InvalidPayloadException {
        RecordTransformer transformer = registry.current().transformer();
        ApplyEvents.forEach(exchange, event -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> source = event.getMessage().getMandatoryBody(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> supplied = event.getProperty(SUPPLIED_VALUES, Map.class);
            event.getMessage().setBody(transformer.toCanonical(entity, system, source, supplied == null ? Map.of() : supplied));
        });
    }

    public Map<String, Object> toSystem(String entity, String system, CanonicalRecord record) {
        return registry.current().transformer().toSystem(entity, system, record.fields());
    }
}
