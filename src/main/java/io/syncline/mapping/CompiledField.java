package io.syncline.mapping;

import io.syncline.mapping.transform.TransformChain;
import io.syncline.model.FieldMapping;
import io.syncline.model.RequiredPolicy;

/**
 * A field contract ready to run: canonical field, system path, direction, transform chain and
 * required policy. {@code computed} fields (a constant or an expression) take no input value.
 */
public record CompiledField(String field, String path, FieldMapping.Direction direction, TransformChain transforms,
                            RequiredPolicy required, boolean computed) {
}
