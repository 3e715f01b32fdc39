package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Map;

/**
 * The transformer stage for YAML routes, always on the model in force:
 * {@code bean: {ref: syncTransformer, method: "toCanonical('contact', 'crm', ${body})"}}.
 */
@ApplicationScoped
@Named("syncTransformer")
@RegisterForReflection
public class SyncTransformerBean {

    private final SyncModelRegistry registry;

    public SyncTransformerBean(SyncModelRegistry registry) {
        this.registry = registry;
    }

    public CanonicalRecord toCanonical(String entity, String system, Map<String, Object> source) {
        return registry.current().transformer().toCanonical(entity, system, source);
    }

    public Map<String, Object> toSystem(String entity, String system, CanonicalRecord record) {
        return registry.current().transformer().toSystem(entity, system, record.fields());
    }
}
