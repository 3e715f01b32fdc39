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
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

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
        return SystemMapping.of("id", fields, delete, Map.of("table", "member"));
    }

    private static ChecksumForm form(List<FieldMapping> fields, List<String> compare) throws ChecksumForm.NotExpressible {
        return ChecksumForm.of("erp", entity(fields), mapping(fields, null), "member", compare, COLUMNS, Set.of("id"));
    }

    @Test
    void columnsReadAsTheyAreAndTextTransformsBecomeSqlThatIsNeverCoarserThanJava() throws Exception {
        ChecksumForm form = form(base(), List.of("updatedAt", "email", "name", "points", "balance", "active", "born", "ref"));

        assertThat(form.table()).isEqualTo("member");
        assertThat(form.keyColumn()).isEqualTo("\"id\"");
        assertThat(form.keyUnique()).isTrue();
        assertThat(form.keyText()).isEqualTo("(\"id\")::text");
        // compared fields in sorted order, each value's hash seeded with the one before (the key's first) and a
        // constant: text in the "C" collation, numbers as text, times and dates as their binary form
        assertThat(form.rowHash().replaceAll("'-?[0-9]+'::int8", "C")).isEqualTo(
                "hashtextextended(COALESCE(encode(timestamptz_send(\"updated_at\"), 'escape'), ''), ("
                        + "uuid_hash_extended(COALESCE(\"ref\", '00000000-0000-0000-0000-000000000000'::uuid), ("
                        + "hashtextextended(COALESCE(((\"points\")::int8)::text, ''), ("
                        + "hashtextextended(COALESCE((" + trimmed("name") + ")::text COLLATE \"C\", ''), ("
                        + "hashtextextended(COALESCE((lower((" + trimmed("email") + ")::text COLLATE \"C\"))::text COLLATE \"C\", ''), ("
                        + "hashtextextended(COALESCE(encode(date_send(\"born\"), 'escape'), ''), ("
                        + "hashtextextended(COALESCE((\"balance\")::text, ''), ("
                        + "hashint4extended(COALESCE((\"active\")::int4, 0), (syncline_hk"
                        + " # CASE WHEN \"active\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"balance\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"born\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"email\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"name\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"points\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"ref\" IS NULL THEN C ELSE C END))"
                        + " # CASE WHEN \"updated_at\" IS NULL THEN C ELSE C END))");
        // a constant for each value and for its NULL, all different
        assertThat(constants(form)).hasSize(16).doesNotHaveDuplicates();
    }

    @Test
    void theConstantsAreTheSameForTheSameColumnTypesAndDifferOtherwise() throws Exception {
        List<FieldMapping> plainEmail = with(field("email", "email"));
        List<FieldMapping> pointsAsText = with(field("points", "name"));

        List<String> constants = constants(form(base(), List.of("email", "points")));
        assertThat(constants(form(plainEmail, List.of("email", "points")))).isEqualTo(constants);
        // the same numbers as text on one side: a difference to pull, never a coincidence of two hashes
        assertThat(constants(form(pointsAsText, List.of("email", "points")))).doesNotContainAnyElementsOf(constants);
    }

    /** trim of a column: btrim only when the value holds a space at all (without one, btrim changes nothing). */
    private static String trimmed(String column) {
        return "CASE WHEN strpos((\"" + column + "\")::text COLLATE \"C\", ' ') = 0 THEN (\"" + column + "\")::text"
                + " ELSE btrim(\"" + column + "\") END";
    }

    @Test
    void aTrimAfterAnotherTransformTrimsItsResult() throws Exception {
        ChecksumForm form = form(with(field("email", "email", "lowercase", "trim")), List.of("email"));

        assertThat(form.rowHash()).contains("COALESCE((btrim(lower((\"email\")::text COLLATE \"C\")))::text COLLATE \"C\", '')");
    }

    private static List<String> constants(ChecksumForm form) {
        return Pattern.compile("'-?[0-9]+'::int8").matcher(form.rowHash()).results().map(MatchResult::group).toList();
    }

    @Test
    void aKeyWithATransformOrWithoutAUniqueIndexIsCheckedForRepeats() throws Exception {
        List<FieldMapping> fields = base();
        fields.set(0, field("id", "id", "trim"));

        assertThat(form(fields, List.of("email")).keyText()).isEqualTo("COALESCE((" + trimmed("id") + ")::text, (\"id\")::text)");
        assertThat(form(fields, List.of("email")).keyUnique()).isFalse();
        assertThat(ChecksumForm.of("erp", entity(base()), mapping(base(), null), "member", List.of("email"), COLUMNS, Set.of()).keyUnique())
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
                "member", List.of("email"), COLUMNS, Set.of("id")))
                .isInstanceOf(ChecksumForm.NotExpressible.class)
                .hasMessage("erp marks deletions with 'archived', which only the contract reads");
    }

    @Test
    void linesAreComparedInJavaSinceTheirReferencesCompareByCanonicalId() {
        Map<String, CanonicalField> declared = new LinkedHashMap<>();
        declared.put("id", new CanonicalField(CanonicalField.Type.STRING, null));
        declared.put("lines", new CanonicalField(CanonicalField.Type.LIST, null, null, null, null, null,
                Map.of("product", new CanonicalField(CanonicalField.Type.STRING, null, "product", null, null)), null));
        List<FieldMapping> fields = List.of(field("id", "id"),
                new FieldMapping("lines", "name", null, null, null, List.of(field("product", "product_code")), true));
        EntityDefinition entity = new EntityDefinition("id", null, null, declared, Map.of("erp", mapping(fields, null)), null, null,
                null, null, null);

        // the same JSON text on both sides may name different products: only the ID map can tell
        assertThatThrownBy(() -> ChecksumForm.of("erp", entity, mapping(fields, null), "member", List.of("lines"), COLUMNS, Set.of("id")))
                .isInstanceOf(ChecksumForm.NotExpressible.class)
                .hasMessage("erp field lines holds lines, compared in Java (their references by canonical id)");
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
