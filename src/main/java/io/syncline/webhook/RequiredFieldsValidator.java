package io.syncline.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that a parsed payload carries the named fields, all of them, before anything is
 * written: {@code bean: {ref: requiredFields, method: "check(${body}, 'id,email')"}}.
 */
@ApplicationScoped
@Named("requiredFields")
@RegisterForReflection
public class RequiredFieldsValidator {

    public void check(Map<String, Object> payload, String commaSeparatedFields) {
        List<String> missing = new ArrayList<>();
        for (String field : commaSeparatedFields.split(",")) {
            String name = field.strip();
            Object value = payload.get(name);
            if (value == null || value instanceof String text && text.isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingFieldException(missing);
        }
    }
}
