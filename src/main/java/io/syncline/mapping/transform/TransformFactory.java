package io.syncline.mapping.transform;

/**
 * Builds a transform from its YAML parameters and validates them eagerly, so that a wrong
 * declaration fails when the model is loaded instead of on the first record.
 */
public interface TransformFactory {

    /** The name integrators write in YAML, e.g. {@code phone}. */
    String name();

    /**
     * @param parameters {@code null} when written as a bare name, else a {@code Map<String, Object>},
     *                   or a scalar for {@code constant} and {@code expression}
     * @throws InvalidTransformSpecException when the parameters are missing or wrong
     */
    FieldTransform create(Object parameters);
}
