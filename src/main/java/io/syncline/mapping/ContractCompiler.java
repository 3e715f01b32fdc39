package io.syncline.mapping;

import io.syncline.mapping.transform.FieldTransform;
import io.syncline.mapping.transform.InvalidTransformSpecException;
import io.syncline.mapping.transform.TransformChain;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.CanonicalField;
import io.syncline.model.CaptureSpec;
import io.syncline.model.DeleteSpec;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.ProblemReporter;
import io.syncline.model.Suggestions;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.model.SystemTypeRules;
import io.syncline.model.TransformSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the declared field contracts into runnable ones, reporting every mistake: unknown
 * fields and transforms, bad transform parameters, a field mapped twice, a path written twice.
 */
public final class ContractCompiler {

    private static final Set<String> COMPUTING_TRANSFORMS = Set.of("constant", "expression");

    private final TransformRegistry transforms;

    /** The table a mapping names, for a type whose systems are SQL databases, is the type's to read ({@link SystemTypeRules#table}). */
    private final SystemTypeCatalog types;

    public ContractCompiler(TransformRegistry transforms, SystemTypeCatalog types) {
        this.transforms = transforms;
        this.types = types;
    }

    /** Entity, then system, to its contract. Contracts with problems are left out. */
    public Map<String, Map<String, FieldContract>> compile(SyncModel model, ProblemReporter problems) {
        Map<String, Map<String, FieldContract>> contracts = new LinkedHashMap<>();
        model.entities().forEach((entity, definition) -> {
            Map<String, FieldContract> bySystem = new LinkedHashMap<>();
            definition.mappings().forEach((system, mapping) -> {
                String path = "entities." + entity + ".mappings." + system;
                int before = problems.problems().size();
                if (mapping.key() == null) {
                    problems.report(path, "no key path", "add key: <path of the system's own id, e.g. id>");
                }
                DeleteSpec delete = capturedDelete(definition, system, mapping.delete());
                if (delete != null && delete.mode() == DeleteSpec.Mode.SOFT && delete.column() == null) {
                    problems.report(path + ".delete", "a soft delete needs the column it stamps", "add column: <e.g. deleted_at>");
                }
                String table = table(model, system, mapping);
                List<CompiledField> fields = compileFields(path + ".fields", definition.fields(), mapping.fields(), table, problems);
                if (problems.problems().size() == before) {
                    bySystem.put(system, new FieldContract(entity, system, mapping.key(), table, fields, delete));
                }
            });
            contracts.put(entity, bySystem);
        });
        return contracts;
    }

    /** The table the mapping names, where its system's type has tables; null where it has none. */
    private String table(SyncModel model, String system, SystemMapping mapping) {
        SystemDefinition definition = model.systems().get(system);
        return definition == null || definition.type() == null ? null : types.rulesOf(definition.type()).table(mapping);
    }

    /**
     * A captured system's deletions arrive as deletions of rows, not as a flag the rows carry:
     * unless the mapping names a flag of its own, the capture marks them with
     * {@link CaptureSpec#DELETED_FLAG}, which the contract then reads as a deletion.
     */
    private static DeleteSpec capturedDelete(EntityDefinition entity, String system, DeleteSpec delete) {
        if (!entity.captures().containsKey(system) || delete != null && delete.flag() != null) {
            return delete;
        }
        return new DeleteSpec(CaptureSpec.DELETED_FLAG, delete == null ? null : delete.mode(), delete == null ? null : delete.column());
    }

    /**
     * @param path     where the list of mappings is in the model ({@code entities.invoice.mappings.erp.fields})
     * @param declared the canonical fields the mappings may name: the entity's, or a list's element fields
     * @param table    the SQL table the mapping names; null where its system has none
     */
    private List<CompiledField> compileFields(String path, Map<String, CanonicalField> declared, List<FieldMapping> mappings,
            String table, ProblemReporter problems) {
        List<CompiledField> compiled = new ArrayList<>();
        Set<String> read = new HashSet<>();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < mappings.size(); i++) {
            FieldMapping mapping = mappings.get(i);
            String at = path + "[" + i + "]";
            if (mapping.field() == null || !declared.containsKey(mapping.field())) {
                problems.report(at, mapping.field() == null ? "no canonical field" : "field '" + mapping.field() + "' is not a declared field",
                        Suggestions.oneOf(mapping.field(), declared.keySet()));
                continue;
            }
            boolean computed = mapping.transforms().stream().anyMatch(t -> COMPUTING_TRANSFORMS.contains(t.name()));
            // Lines kept as rows of a child table travel in the record under the list's own name.
            // A reference by the parent's external id is read and written at the relationship's field.
            String systemPath = mapping.path() != null || mapping.rows() == null ? mapping.valuePath() : mapping.field();
            if (systemPath == null && !(computed && mapping.direction() == FieldMapping.Direction.IN)) {
                problems.report(at, "no system path for " + mapping.field(), "add path: <field in the system, dotted for nested values>");
            }
            if (mapping.direction().reads() && !read.add(mapping.field())) {
                problems.report(at, "field '" + mapping.field() + "' is mapped twice from this system",
                        "keep one mapping, or make one of them direction: out");
            }
            if (mapping.direction().writes() && mapping.path() != null && !written.add(mapping.path())) {
                problems.report(at + ".path", "path '" + mapping.path() + "' is written twice in this system",
                        "keep one mapping, or make one of them direction: in");
            }
            if (table != null && mapping.path() != null && FieldPaths.indexed(mapping.path())) {
                problems.report(at + ".path", "path '" + mapping.path() + "' names an element of a list, and a column of table "
                        + table + " holds one value", "name the column itself");
            }
            if (mapping.required() != null && mapping.required().kind() == null) {
                problems.report(at + ".required", "required policy " + mapping.required().written() + " is unknown",
                        "write required: reject, required: hold or required: {default: <value>}");
            }
            TransformChain chain = compileChain(at, mapping.transforms(), problems);
            CanonicalField canonical = declared.get(mapping.field());
            CompiledField.Shape shape = canonical == null ? CompiledField.Shape.VALUE : canonical.records() ? CompiledField.Shape.RECORDS
                    : canonical.list() ? CompiledField.Shape.VALUES : CompiledField.Shape.VALUE;
            ListContracts.check(at, mapping, canonical, shape, table, problems);
            List<CompiledField> items = shape == CompiledField.Shape.RECORDS
                    ? compileFields(at + ".items", canonical.items(), mapping.items(), null, problems) : List.of();
            compiled.add(new CompiledField(mapping.field(), systemPath, mapping.direction(), chain, mapping.required(), computed,
                    shape, items, canonical == null ? null : canonical.key()));
        }
        // Computed fields last: an expression reads the canonical fields mapped before it.
        compiled.sort(Comparator.comparing(CompiledField::computed));
        return List.copyOf(compiled);
    }

    private TransformChain compileChain(String path, List<TransformSpec> specs, ProblemReporter problems) {
        List<FieldTransform> steps = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            TransformSpec spec = specs.get(i);
            String at = path + ".transforms[" + i + "]";
            if (spec.name() == null) {
                problems.report(at, "a transform is a name or a single-key map", "write trim, or {phone: {region: GB}}");
                continue;
            }
            try {
                steps.add(transforms.create(spec.name(), spec.parameters()));
            } catch (InvalidTransformSpecException e) {
                problems.report(at, "transform '" + e.transform() + "': " + e.problem(), e.fix());
            }
        }
        return new TransformChain(steps);
    }
}
