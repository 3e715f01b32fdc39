package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The transformer stage for YAML routes, always on the model in force:
 * {@code bean: {ref: syncTransformer, method: "toCanonical('contact', 'crm', ${body})"}}.
 * Camel binds the exchange itself (the route names only the first three arguments).
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

    @SuppressWarnings("unchecked")
    public CanonicalRecord toCanonical(String entity, String system, Map<String, Object> source, Exchange exchange) {
        Map<String, Object> supplied = exchange == null ? null : exchange.getProperty(SUPPLIED_VALUES, Map.class);
        return registry.current().transformer().toCanonical(entity, system, source, supplied == null ? Map.of() : supplied);
    }

    public Map<String, Object> toSystem(String entity, String system, CanonicalRecord record) {
        return registry.current().transformer().toSystem(entity, system, record.fields());
    }
}
