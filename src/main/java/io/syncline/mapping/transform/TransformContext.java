package io.syncline.mapping.transform;

import java.util.Map;

/**
 * Where a value is being transformed: names for error messages, and the canonical record for
 * expressions.
 *
 * @param entity the entity, e.g. {@code contact}
 * @param system the system the value comes from or goes to, e.g. {@code crm}
 * @param field  the field, e.g. {@code phone}
 * @param record the canonical record the field belongs to (read by {@code expression})
 */
public record TransformContext(String entity, String system, String field, Map<String, Object> record) {
}
