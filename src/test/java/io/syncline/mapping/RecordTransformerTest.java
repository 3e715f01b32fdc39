package io.syncline.mapping;

import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transformer stage on the shipped example model (routes/contacts.syncline.yaml). */
class RecordTransformerTest {

    private static final RecordTransformer TRANSFORMER = example().transformer();

    static CompiledModel example() {
        try {
            byte[] yaml = Files.readAllBytes(Path.of("routes", "contacts.syncline.yaml"));
            return new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("file:routes/contacts.syncline.yaml", yaml)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> crmContact() {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", "c-1001");
        contact.put("email", "  Ada@Example.COM ");
        contact.put("firstName", " Ada ");
        contact.put("lastName", "Lovelace");
        contact.put("phone", "020 7946 0018");
        contact.put("company", Map.of("name", "Analytical Engines Ltd"));
        contact.put("address", Map.of("city", "London", "street", "ignored"));
        contact.put("lifecycleStage", "customer");
        contact.put("updatedAt", "2024-03-01T10:30:00+01:00");
        contact.put("unmapped", "ignored");
        return contact;
    }

    @Test
    void crmRecordBecomesANormalisedCanonicalRecord() {
        CanonicalRecord record = TRANSFORMER.toCanonical("contact", "crm", crmContact());

        assertThat(record.sourceSystem()).isEqualTo("crm");
        assertThat(record.sourceId()).isEqualTo("c-1001");
        assertThat(record.fields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "id", "c-1001",
                "email", "ada@example.com",
                "firstName", "Ada",
                "lastName", "Lovelace",
                "fullName", "Ada Lovelace",
                "phone", "+442079460018",
                "company", "Analytical Engines Ltd",
                "city", "London",
                "status", "active",
                "updatedAt", "2024-03-01T09:30:00Z"));
        assertThat(record.versionHash()).hasSize(64);
    }

    @Test
    void canonicalRecordBecomesABillingRowWithFlatColumns() {
        CanonicalRecord record = TRANSFORMER.toCanonical("contact", "crm", crmContact());
        Map<String, Object> row = TRANSFORMER.toSystem("contact", "billing", record.fields());

        assertThat(row).containsEntry("external_id", "c-1001")
                .containsEntry("email", "ada@example.com")
                .containsEntry("full_name", "Ada Lovelace")
                .containsEntry("city", "London")
                .containsEntry("status", "active")
                .doesNotContainKey("unmapped");
    }

    @Test
    void roundTripCanonicalToCrmAndBackIsStableForEveryMappedField() {
        CanonicalRecord first = TRANSFORMER.toCanonical("contact", "crm", crmContact());
        Map<String, Object> crm = TRANSFORMER.toSystem("contact", "crm", first.fields());
        CanonicalRecord second = TRANSFORMER.toCanonical("contact", "crm", crm);

        assertThat(crm).containsEntry("company", Map.of("name", "Analytical Engines Ltd"))
                .containsEntry("address", Map.of("city", "London"))
                .containsEntry("lifecycleStage", "customer");
        assertThat(second.fields()).isEqualTo(first.fields());
        assertThat(second.versionHash()).isEqualTo(first.versionHash());
    }

    @Test
    void versionHashIgnoresFieldOrderButNotValues() {
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<Map.Entry<String, Object>> entries = List.copyOf(crmContact().entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            reversed.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        String hash = TRANSFORMER.toCanonical("contact", "crm", crmContact()).versionHash();
        assertThat(TRANSFORMER.toCanonical("contact", "crm", reversed).versionHash()).isEqualTo(hash);

        Map<String, Object> changed = crmContact();
        changed.put("lastName", "King");
        assertThat(TRANSFORMER.toCanonical("contact", "crm", changed).versionHash()).isNotEqualTo(hash);
    }

    @Test
    void rejectedRecordListsEveryFieldProblem() {
        Map<String, Object> bad = crmContact();
        bad.remove("email");
        bad.put("phone", "12ab");
        bad.put("updatedAt", "yesterday-ish");

        assertThatThrownBy(() -> TRANSFORMER.toCanonical("contact", "crm", bad))
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("required field email"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("phone").contains("12ab"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("updatedAt").contains("yesterday-ish"));
                });
    }

    @Test
    void aHeldRecordAsReceivedHoldsNoFieldComputedWithoutTheHeldOne() {
        Map<String, Object> contact = crmContact();
        contact.remove("lastName");

        assertThatThrownBy(() -> TRANSFORMER.toCanonical("contact", "crm", contact))
                .isInstanceOfSatisfying(RecordHeldException.class, e -> assertThat(e.received().fields())
                        .containsEntry("firstName", "Ada").containsEntry("email", "ada@example.com")
                        .doesNotContainKeys("fullName", "lastName"));
    }

    @Test
    void missingHoldFieldHoldsTheRecordNamingTheFieldUnlessAPersonSuppliedIt() {
        Map<String, Object> contact = crmContact();
        contact.remove("lastName");

        assertThatThrownBy(() -> TRANSFORMER.toCanonical("contact", "crm", contact))
                .isInstanceOfSatisfying(RecordHeldException.class, e -> assertThat(e.fields()).containsExactly("lastName"));
        CanonicalRecord resolved = TRANSFORMER.toCanonical("contact", "crm", contact, Map.of("lastName", "Hopper"));
        // The supplied value counts as the source's: computed fields and the version hash include it.
        assertThat(resolved.fields()).containsEntry("lastName", "Hopper").containsEntry("fullName", "Ada Hopper");
        contact.put("lastName", "Hopper");
        assertThat(resolved.versionHash()).isEqualTo(TRANSFORMER.toCanonical("contact", "crm", contact).versionHash());
    }

    @Test
    void unknownPicklistValueFallsBackToItsDefault() {
        Map<String, Object> contact = crmContact();
        contact.put("lifecycleStage", "evangelist");
        assertThat(TRANSFORMER.toCanonical("contact", "crm", contact).fields()).containsEntry("status", "prospect");
    }

    @Test
    void fieldsTheSourceDidNotSendAreNotWrittenAsNulls() {
        Map<String, Object> partial = new LinkedHashMap<>(Map.of("id", "c-2", "email", "b@example.com", "lastName", "Babbage"));
        CanonicalRecord record = TRANSFORMER.toCanonical("contact", "crm", partial);
        Map<String, Object> row = TRANSFORMER.toSystem("contact", "billing", record.fields());
        assertThat(row).containsOnlyKeys("external_id", "email", "last_name", "full_name");
    }

    @Test
    void nestedPathsFlattenAndExpand() {
        Map<String, Object> record = new LinkedHashMap<>();
        FieldPaths.set(record, "address.geo.lat", 51.5);
        FieldPaths.set(record, "address.city", "London");
        assertThat(record).isEqualTo(Map.of("address", Map.of("geo", Map.of("lat", 51.5), "city", "London")));
        assertThat(FieldPaths.get(record, "address.geo.lat")).isEqualTo(51.5);
        assertThat(FieldPaths.get(record, "address.city.name")).isNull();
        assertThat(FieldPaths.has(record, "address.zip")).isFalse();
    }
}
