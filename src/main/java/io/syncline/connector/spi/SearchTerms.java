package io.syncline.connector.spi;

import io.syncline.compiled.CompiledModel;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.EntityDefinition;
import io.syncline.model.MatchRuleSpec;
import io.syncline.model.SystemMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider's search API is asked for to match a record: for each match rule of the entity
 * that compares one field by equality ({@code email}, {@code phone}, {@code externalId}), the
 * system's path of that field and the record's value there, in the system's shape. A rule whose
 * field the mapping does not write, or the record lacks, asks nothing; each term once. A provider
 * whose search filters nested members too (QuickBooks' {@code PrimaryEmailAddr} for
 * {@code PrimaryEmailAddr.Address}) asks for {@link #nested} terms.
 */
public final class SearchTerms {

    /** One equality to search by: the system's field (a path of one step, or of several: {@link #nested}) and its value. */
    public record Term(String path, String value) {

        /** Whether the field is inside a nested object ({@code metadata.crm_id}), not a top-level one. */
        public boolean nested() {
            return path.contains(".");
        }
    }

    /** The match rules that compare one canonical field by equality, and that field. */
    private static final Map<String, String> EQUALITY_RULES = Map.of("email", "email", "phone", "phone");

    private SearchTerms() {
    }

    /** The terms for a record of {@code entity} in {@code system}, its fields canonical, whose paths are of one step. */
    public static List<Term> of(CompiledModel model, String entity, String system, Map<String, Object> fields) {
        return nested(model, entity, system, fields).stream().filter(term -> !term.nested()).toList();
    }

    /** The terms for a record of {@code entity} in {@code system}, its fields canonical, at any path. */
    public static List<Term> nested(CompiledModel model, String entity, String system, Map<String, Object> fields) {
        EntityDefinition definition = model.model().entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        if (mapping == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system + "' in the sync model");
        }
        // a reference holds the canonical id of the record it names, no value of the system's: left
        // out, it is neither searched by nor put through the target's transforms (an integer id's)
        Map<String, Object> values = new LinkedHashMap<>(fields);
        definition.fields().forEach((name, field) -> {
            if (field.reference()) {
                values.remove(name);
            }
        });
        Map<String, Object> row = model.transformer().toSystem(entity, system, values);
        List<Term> terms = new ArrayList<>();
        for (MatchRuleSpec rule : definition.match()) {
            String field = "externalId".equals(rule.rule()) ? rule.field() : EQUALITY_RULES.get(rule.rule());
            Optional<String> path = field == null ? Optional.empty() : mapping.pathOf(field);
            Object value = path.map(at -> FieldPaths.get(row, at)).orElse(null);
            if (value == null || value instanceof Map || value instanceof List || value.toString().isBlank()) {
                continue;
            }
            Term term = new Term(path.get(), value.toString());
            if (!terms.contains(term)) {
                terms.add(term);
            }
        }
        return terms;
    }
}
