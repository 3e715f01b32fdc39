package io.syncline.mapping.transform;

import java.util.Map;

/** Builds transforms the way the model does, by name and YAML parameters, for tests. */
final class Transforms {

    /** The context every test value is read in: messages name "contact.<field> from crm". */
    static final TransformContext CRM_CONTACT = context("value");

    private Transforms() {
    }

    static TransformContext context(String field) {
        return new TransformContext("contact", "crm", field, Map.of());
    }

    static FieldTransform transform(String name, Object parameters) {
        return TransformRegistry.builtIn().create(name, parameters);
    }

    static Object toCanonical(FieldTransform transform, Object value) {
        return transform.toCanonical(value, CRM_CONTACT);
    }

    static Object toSystem(FieldTransform transform, Object value) {
        return transform.toSystem(value, CRM_CONTACT);
    }
}
