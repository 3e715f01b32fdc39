package io.syncline.mapping;

import io.syncline.mapping.transform.TransformChain;
import io.syncline.model.FieldMapping;
import io.syncline.model.RequiredPolicy;

import java.util.List;

/**
 * A field contract ready to run: canonical field, system path (and its steps, split once here
 * rather than for every record), direction, transform chain and required policy.
 * {@code computed} fields (a constant or an expression) take no input value. A list field says
 * how its elements are read: {@code shape} {@link Shape#VALUES} runs the transforms on each value,
 * {@link Shape#RECORDS} reads each element through {@code items} (paths relative to the element),
 * its lines sorted by the element field {@code itemKey} where the model names one.
 */
public record CompiledField(String field, String path, String[] steps, FieldMapping.Direction direction,
        TransformChain transforms, RequiredPolicy required, boolean computed, Shape shape, List<CompiledField> items,
        String itemKey) {

    /** What the field holds: one value, a list of values, or a list of child records. */
    public enum Shape {
        VALUE, VALUES, RECORDS
    }

    public CompiledField(String field, String path, FieldMapping.Direction direction, TransformChain transforms,
            RequiredPolicy required, boolean computed) {
        this(field, path, direction, transforms, required, computed, Shape.VALUE, List.of(), null);
    }

    public CompiledField(String field, String path, FieldMapping.Direction direction, TransformChain transforms,
            RequiredPolicy required, boolean computed, Shape shape, List<CompiledField> items, String itemKey) {
        this(field, path, path == null ? null : FieldPaths.steps(path), direction, transforms, required, computed, shape,
                items, itemKey);
    }
}
