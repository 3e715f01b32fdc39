package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * How an entity's conflicts are decided ({@code conflict:} under the entity): a field changed on
 * both sides since the last sync, to different values, goes to {@code strategy} (default
 * {@code master-always-wins}) unless {@code fields} names another for it:
 * {@code conflict: {strategy: last-write-wins, fields: {phone: review}}}. {@code weights} gives
 * each system of the entity its weight for the {@code weighted} strategy:
 * {@code conflict: {strategy: weighted, weights: {warehouse: 100, shopify: 50}}}. Names and
 * weights are checked when the model is compiled.
 */
@RegisterForReflection
public record ConflictSpec(String strategy, Map<String, String> fields, Map<String, Integer> weights) {

    public ConflictSpec {
        fields = fields == null ? Map.of() : fields;
        weights = weights == null ? Map.of() : weights;
    }

    public ConflictSpec(String strategy, Map<String, String> fields) {
        this(strategy, fields, null);
    }
}
