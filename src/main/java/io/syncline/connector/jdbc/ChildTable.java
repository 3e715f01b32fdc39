package io.syncline.connector.jdbc;

import io.syncline.compiled.CompiledModel;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemMapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A document's lines kept as rows of a table of their own ({@code rows:} on a list's field
 * contract, docs/model.md "Documents with lines"), as the JDBC type reads and writes them: the
 * record carries the lines under {@code path}, each a map of the child table's columns.
 *
 * @param path       where the record read from or written to the parent table carries the lines
 * @param table      the child table
 * @param parent     its column holding the parent row's key
 * @param position   its column holding a line's place from 1, or null
 * @param keyColumn  its column holding the list's key (the line's identity), or null for a list without one
 * @param columns    the columns a line's fields are written to, in the order of {@code items}
 * @param types      the canonical type of each of {@code columns}, for binding (null where unknown)
 */
record ChildTable(String field, String path, String table, String parent, String position, String keyColumn,
        List<String> columns, List<CanonicalField.Type> types) {

    ChildTable {
        columns = List.copyOf(columns);
        types = Collections.unmodifiableList(new ArrayList<>(types));
    }

    /** The child tables of the mapping of {@code entity} in {@code system}; empty for none, as mostly. */
    static List<ChildTable> of(CompiledModel model, String entity, String system) {
        EntityDefinition definition = model.model().entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        return mapping == null ? List.of() : of(mapping, definition);
    }

    /**
     * The child tables of {@code mapping}; without the entity ({@code null}: a pull, which reads
     * and does not write) their key column and types are unknown.
     */
    static List<ChildTable> of(SystemMapping mapping, EntityDefinition entity) {
        List<ChildTable> tables = null;
        for (FieldMapping field : mapping.fields()) {
            if (field.rows() == null) {
                continue;
            }
            CanonicalField list = entity == null ? null : entity.fields().get(field.field());
            String keyColumn = null;
            List<String> columns = new ArrayList<>();
            List<CanonicalField.Type> types = new ArrayList<>();
            for (FieldMapping item : field.items()) {
                if (item.path() == null) {
                    continue;
                }
                if (list != null && item.field().equals(list.key())) {
                    keyColumn = item.path();
                }
                if (item.direction().writes()) {
                    columns.add(item.path());
                    CanonicalField declared = list == null ? null : list.items().get(item.field());
                    types.add(declared == null ? null : declared.type());
                }
            }
            if (tables == null) {
                tables = new ArrayList<>();
            }
            tables.add(new ChildTable(field.field(), field.path() != null ? field.path() : field.field(), field.rows().table(),
                    field.rows().parent(), field.rows().position(), keyColumn, columns, types));
        }
        return tables == null ? List.of() : tables;
    }
}
