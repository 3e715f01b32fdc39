package io.syncline.reconcile.bisect;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemMapping;
import io.syncline.model.TransformSpec;

import java.sql.Connection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of the checksum tests' tables ({@code id, email, points, score, updated_at}): it
 * trims and lower-cases the e-mail and reads the rest as it is.
 */
final class MemberContract {

    private MemberContract() {
    }

    /** The checksum form of {@code table} as {@code system} reads it, comparing {@code compare}. */
    static ChecksumForm form(String system, Connection connection, String table, List<String> compare) throws Exception {
        List<FieldMapping> fields = List.of(field("id", "id"), field("email", "email", "trim", "lowercase"),
                field("points", "points"), field("score", "score"), field("updatedAt", "updated_at"));
        SystemMapping mapping = SystemMapping.of("id", fields, null, Map.of("table", table));
        Map<String, CanonicalField> declared = new LinkedHashMap<>();
        for (FieldMapping field : fields) {
            declared.put(field.field(), new CanonicalField(CanonicalField.Type.STRING, null));
        }
        EntityDefinition entity = new EntityDefinition("id", null, null, declared, Map.of(system, mapping), null, null, null, null, null);
        return ChecksumBisection.form(system, connection, entity, mapping, table, compare);
    }

    private static FieldMapping field(String field, String path, String... transforms) {
        return new FieldMapping(field, path, null, Arrays.stream(transforms).map(t -> new TransformSpec(t, null)).toList(), null);
    }
}
