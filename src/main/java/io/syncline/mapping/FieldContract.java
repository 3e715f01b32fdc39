package io.syncline.mapping;

import io.syncline.model.DeleteSpec;

import java.util.List;

/**
 * How one system holds one entity, compiled: the path of the system's own id (and its steps, split
 * once here rather than for every record read), its table (JDBC), the field contracts with
 * computed fields last, so that expressions see every input, and how the system shows and takes
 * deletions. {@code hashOrder} is the sorted canonical fields it reads, so that the version hash
 * of each record it produces needs no sorting. {@code keySteps} is handed out as it is, not
 * copied for each record: read it, never write to it.
 */
public record FieldContract(String entity, String system, String keyPath, String[] keySteps, String table,
        List<CompiledField> fields, DeleteSpec delete, VersionHasher.KeyOrder hashOrder) {

    public FieldContract(String entity, String system, String keyPath, String table, List<CompiledField> fields,
            DeleteSpec delete) {
        this(entity, system, keyPath, FieldPaths.steps(keyPath), table, fields, delete,
                VersionHasher.KeyOrder.of(fields.stream().filter(f -> f.direction().reads()).map(CompiledField::field).toList()));
    }
}
