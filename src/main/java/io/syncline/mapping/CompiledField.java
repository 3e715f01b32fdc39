package io.syncline.mapping;

import io.syncline.mapping.transform.TransformChain;
import io.syncline.model.FieldMapping;
import io.syncline.model.RequiredPolicy;

/**
 * A field contract ready to run: canonical field, system path (and its steps, split once here
 * rather than for every record), direction, transform chain and required policy.
 * {@code computed} fields (a constant or an expression) take no input value.
 */
public record CompiledField(String field, String path, String[] steps, FieldMapping.Direction direction,
        TransformChain transforms, RequiredPolicy required, boolean computed) {

    public CompiledField(String field, String path, FieldMapping.Direction direction, TransformChain transforms,
            RequiredPolicy required, boolean computed) {
        this(field, path, path == null ? null : FieldPaths.steps(path), direction, transforms, required, computed);
    }
}
