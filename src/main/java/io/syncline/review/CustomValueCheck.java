package io.syncline.review;

import io.syncline.mapping.CompiledField;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformContext;
import io.syncline.mapping.transform.TransformException;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.CanonicalField;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A value a person writes into a record (a custom value for a conflicting field, a value for a
 * held field), checked before anything is written: it must be of the canonical field's type
 * (read as the {@code integer}, {@code date}, … transforms read a system's value, so {@code "42"}
 * is the integer 42 and a timestamp with an offset becomes UTC), and the target's mapping of
 * that field must accept it (an {@code email} transform refuses what is not an address); a held
 * record, whose target is not known until its route runs, is checked against every mapping of
 * the entity but its source's.
 * Refusals are {@link IllegalArgumentException}s naming the field, the value and what was
 * expected: the API answers 400 and writes nothing.
 */
final class CustomValueCheck {

    private final RecordTransformer transformer;
    private final String entity;
    private final Collection<String> targetSystems;

    CustomValueCheck(RecordTransformer transformer, String entity, Collection<String> targetSystems) {
        this.transformer = transformer;
        this.entity = entity;
        this.targetSystems = List.copyOf(targetSystems);
    }

    /** Checked against the mappings of every system of the entity but {@code source}. */
    static CustomValueCheck towardsAllBut(RecordTransformer transformer, String entity, String source) {
        List<String> targets = transformer.entity(entity).mappings().keySet().stream()
                .filter(system -> !system.equals(source)).sorted().toList();
        return new CustomValueCheck(transformer, entity, targets);
    }

    /** The value in canonical form; null stays null (whether null is allowed is the caller's rule). */
    Object canonical(String field, Object value) {
        CanonicalField declared = transformer.entity(entity).fields().get(field);
        if (declared == null) {
            throw new IllegalArgumentException(entity + " has no field " + field);
        }
        if (value == null) {
            return null;
        }
        String type = declared.type().name().toLowerCase(Locale.ROOT);
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            throw refused(field, value, "a single " + type + " value");
        }
        TransformContext context = new TransformContext(entity, "review", field, Map.of());
        Object typed;
        try {
            typed = declared.type() == CanonicalField.Type.DECIMAL ? decimal(value)
                    : TransformRegistry.builtIn().create(type, null).toCanonical(value, context);
        } catch (TransformException e) {
            throw refused(field, value, expected(declared.type()));
        }
        if (typed == null && declared.type() != CanonicalField.Type.STRING) {
            // Blank text reads as "no value" in a system's record; typed by a person it is a mistake.
            throw refused(field, value, expected(declared.type()));
        }
        for (String target : targetSystems) {
            for (CompiledField mapped : transformer.contract(entity, target).fields()) {
                if (mapped.field().equals(field) && mapped.direction().writes() && !mapped.computed()) {
                    try {
                        mapped.transforms().toSystem(typed, new TransformContext(entity, target, field, Map.of()));
                    } catch (TransformException e) {
                        throw new IllegalArgumentException("The value for " + field + ", '" + value + "', is refused by "
                                + target + "'s mapping: " + e.reason());
                    }
                }
            }
        }
        return typed;
    }

    /** The exact number (the {@code decimal} transform needs a scale, which a canonical field does not declare). */
    private static BigDecimal decimal(Object value) {
        try {
            if (value instanceof Number number) {
                return new BigDecimal(number.toString());
            }
            if (value instanceof CharSequence text && !text.toString().isBlank()) {
                return new BigDecimal(text.toString().strip());
            }
        } catch (NumberFormatException notANumber) {
            return null;
        }
        return null;
    }

    private IllegalArgumentException refused(String field, Object value, String expected) {
        return new IllegalArgumentException("The value for " + field + ", '" + value + "', is not " + expected
                + " (" + entity + "." + field + " is of type "
                + transformer.entity(entity).fields().get(field).type().name().toLowerCase(Locale.ROOT) + ")");
    }

    private static String expected(CanonicalField.Type type) {
        return switch (type) {
            case STRING -> "text";
            case INTEGER -> "an integer";
            case DECIMAL -> "a decimal number";
            case BOOLEAN -> "true or false";
            case DATE -> "a date (ISO-8601, e.g. 2024-05-01)";
            case TIMESTAMP -> "a timestamp (ISO-8601 with an offset, e.g. 2024-05-01T09:00:00Z)";
            case LIST -> "a list of records";
        };
    }
}
