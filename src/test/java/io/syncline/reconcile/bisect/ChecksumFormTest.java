package io.syncline.reconcile.bisect;

import io.syncline.model.CanonicalField;
import io.syncline.model.DeleteSpec;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.RequiredPolicy;
import io.syncline.model.SystemMapping;
import io.syncline.model.TransformSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which contracts PostgreSQL can checksum, and the SQL it gets: exactly the forms that cannot make
 * two different canonical records look alike; every other contract is refused, naming the reason.
 */
class ChecksumFormTest {

    private static final Map<String, ChecksumForm.Column> COLUMNS = columns(
            "id", "varchar", "email", "varchar", "name", "text", "points", "int4", "balance", "numeric",
            "active", "bool", "updated_at", "timestamptz", "born", "date", "ref", "uuid", "tags", "jsonb", "code", "bpchar");

    private static Map<String, ChecksumForm.Column> columns(String... pairs) {
        Map<String, ChecksumForm.Column> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put(pairs[i], new ChecksumForm.Column(pairs[i], pairs[i + 1]));
        }
        return columns;
    }

    private static FieldMapping field(String field, String path, String... transforms) {
        return new FieldMapping(field, path, null, java.util.Arrays.stream(transforms).map(t -> new TransformSpec(t, null)).toList(), null);
    }

    private static List<FieldMapping> base() {
        return new ArrayList<>(List.of(field("id", "id"), field("email", "email", "trim", "lowercase"), field("name", "name", "trim"),
                field("points", "points"), field("balance", "balance"), field("active", "active"), field("updatedAt", "updated_at"),
                field("born", "born"), field("ref", "ref")));
    }

    private static EntityDefinition entity(List<FieldMapping> fields) {
        Map<String, CanonicalField> declared = new LinkedHashMap<>();
        for (String name : List.of("id", "email", "name", "points", "balance", "active", "updatedAt", "born", "ref", "tags", "code", "phone")) {
            declared.put(name, new CanonicalField(CanonicalField.Type.STRING, null));
        }
        return new EntityDefinition("id", null, null, declared, Map.of("erp", mapping(fields, null)), null, null, null, null, null);
    }

    private static SystemMapping mapping(List<FieldMapping> fields, DeleteSpec delete) {
        return new SystemMapping("id", "member", null, null, fields, delete);
    }

    private static ChecksumForm form(List<FieldMapping> fields, List<String> compare) throws ChecksumForm.NotExpressible {
        return ChecksumForm.of("erp", entity(fields), mapping(fields, null), compare, COLUMNS, Set.of("id"));
    }

    @Test
    void columnsReadAsTheyAreAndTextTransformsBecomeSqlThatIsNeverCoarserThanJava() throws Exception {
        ChecksumForm form = form(base(), List.of("updatedAt", "email", "name", "points", "balance", "active", "born", "ref"));

        assertThat(form.table()).isEqualTo("member");
        assertThat(form.keyColumn()).isEqualTo("\"id\"");
        assertThat(form.keyUnique()).isTrue();
        assertThat(form.keyText()).isEqualTo("(\"id\")::text");
        // compared fields in sorted order, text in the "C" collation, numbers as text, the rest as their own type
        assertThat(form.rowHash()).startsWith("hash_record_extended(ROW(syncline_hk, \"active\", (\"balance\")::text, \"born\","
                + " (lower((btrim(\"email\"))::text COLLATE \"C\"))::text COLLATE \"C\", (btrim(\"name\"))::text COLLATE \"C\","
                + " (\"points\")::int8, \"ref\", \"updated_at\"), ");
    }

    @Test
    void theSeedIsTheSameForTheSameColumnTypesAndDiffersOtherwise() throws Exception {
        List<FieldMapping> plainEmail = with(field("email", "email"));
        List<FieldMapping> pointsAsText = with(field("points", "name"));

        String seed = seed(form(base(), List.of("email", "points")));
        assertThat(seed(form(plainEmail, List.of("email", "points")))).isEqualTo(seed);
        // the same numbers as text on one side: a difference to pull, never a coincidence of two hashes
        assertThat(seed(form(pointsAsText, List.of("email", "points")))).isNotEqualTo(seed);
    }

    private static String seed(ChecksumForm form) {
        return form.rowHash().substring(form.rowHash().lastIndexOf(", ") + 2);
    }

    @Test
    void aKeyWithATransformOrWithoutAUniqueIndexIsCheckedForRepeats() throws Exception {
        List<FieldMapping> fields = base();
        fields.set(0, field("id", "id", "trim"));

        assertThat(form(fields, List.of("email")).keyText()).isEqualTo("COALESCE((btrim(\"id\"))::text, (\"id\")::text)");
        assertThat(form(fields, List.of("email")).keyUnique()).isFalse();
        assertThat(ChecksumForm.of("erp", entity(base()), mapping(base(), null), List.of("email"), COLUMNS, Set.of()).keyUnique())
                .isFalse();
    }

    @Test
    void whatOnlyJavaComputesIsRefusedWithTheReason() {
        assertRefused(with(field("phone", "email", "phone")), "erp field phone uses the phone transform, which only Java computes");
        assertRefused(with(new FieldMapping("name", null, FieldMapping.Direction.IN,
                List.of(new TransformSpec("expression", "${email}")), null)), "erp field name is computed by expression in Java");
        assertRefused(with(new FieldMapping("name", "name", null, List.of(), new RequiredPolicy(RequiredPolicy.Kind.REJECT, null, "reject"))),
                "erp field name has a required policy, which only Java applies");
        assertRefused(with(field("name", "profile.name")), "erp field name reads 'profile.name', which is not a column of member");
        assertRefused(with(field("tags", "tags")), "erp field tags reads tags of type jsonb, which bisection cannot checksum");
        assertRefused(with(field("code", "code")), "erp field code reads code of type bpchar, which bisection cannot checksum");
        assertRefused(with(field("points", "points", "trim")), "erp field points applies trim to points of type int4, which the contract rejects");
        assertThatThrownBy(() -> ChecksumForm.of("erp", entity(base()), mapping(base(), new DeleteSpec("archived", null, null)),
                List.of("email"), COLUMNS, Set.of("id")))
                .isInstanceOf(ChecksumForm.NotExpressible.class)
                .hasMessage("erp marks deletions with 'archived', which only the contract reads");
    }

    /** The base contract with one field mapped differently (a field not compared still counts: it could reject the record). */
    private static List<FieldMapping> with(FieldMapping changed) {
        List<FieldMapping> fields = base();
        fields.removeIf(f -> f.field().equals(changed.field()));
        fields.add(changed);
        return fields;
    }

    private static void assertRefused(List<FieldMapping> fields, String reason) {
        assertThatThrownBy(() -> form(fields, List.of("email"))).isInstanceOf(ChecksumForm.NotExpressible.class).hasMessage(reason);
    }
}
