package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * References as a run stages and diffs them: each side's ids of the parents become canonical ids
 * (one ID map look-up per referenced entity and chunk), a list's sorted, so that the same parents
 * under two systems' ids hash alike; an id the ID map does not know is a dangling mark that equals
 * nothing, and a differing reference is noted with both parents. The ID map here is a table in
 * memory: the stager asks it through {@link ParentIds}, as it asks the state store's.
 */
class ReferenceStagingTest {

    private static final String MODEL = """
            systems:
              crm: {type: jdbc, datasource: default}
              erp: {type: jdbc, datasource: default}
            entities:
              company:
                key: id
                master: crm
                fields:
                  id: {type: string}
                mappings:
                  crm: {key: id, table: company, fields: [{field: id, path: id}]}
                  erp: {key: code, table: company, fields: [{field: id, path: code}]}
              contact:
                key: id
                master: crm
                fields:
                  id: {type: string}
                  company: {type: string, ref: company}
                  accounts: {type: string, ref: company, many: true, missingParent: empty}
                mappings:
                  crm:
                    key: id
                    table: contact
                    fields:
                      - {field: id, path: id}
                      - {field: company, path: company_id}
                      - {field: accounts, path: account_ids}
                  erp:
                    key: id
                    table: contact
                    fields:
                      - {field: id, path: id}
                      - {field: company, path: company_code}
                      - {field: accounts, path: account_codes}
            reconciliations:
              companies: {entity: company, sideA: crm, sideB: erp, tolerance: 0s}
              contacts: {entity: contact, sideA: crm, sideB: erp, tolerance: 0s}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompiledModel model =
            new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("references", MODEL.getBytes(StandardCharsets.UTF_8))));
    private final ReconciliationJob job = ReconciliationJob.of("contacts", model.model());
    /** Companies c-1 (crm 11, erp ONE) and c-2 (crm 12, erp TWO); the look-ups asked. */
    private final IdMap idMap = new IdMap(Map.of("crm", Map.of("11", "c-1", "12", "c-2"), "erp", Map.of("ONE", "c-1", "TWO", "c-2")));
    private final RecordStager crm = new RecordStager(job, model.transformer(), "crm", MAPPER, idMap);
    private final RecordStager erp = new RecordStager(job, model.transformer(), "erp", MAPPER, idMap);

    /** An ID map in memory: by system, canonical id by the system's id. */
    private static final class IdMap implements ParentIds {

        final Map<String, Map<String, String>> bySystem;
        final List<String> asked = new ArrayList<>();

        IdMap(Map<String, Map<String, String>> bySystem) {
            this.bySystem = bySystem;
        }

        @Override
        public Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds) {
            asked.add(entity + "@" + system + ":" + systemIds.size());
            Map<String, String> found = new HashMap<>();
            systemIds.forEach(id -> Optional.ofNullable(bySystem.get(system).get(id)).ifPresent(c -> found.put(id, c)));
            return found;
        }

        @Override
        public Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system) {
            Map<String, String> found = new HashMap<>();
            bySystem.get(system).forEach((own, canonical) -> {
                if (canonicalIds.contains(canonical)) {
                    found.put(canonical, own);
                }
            });
            return found;
        }
    }

    private static Map<String, Object> contact(String id, Object company, List<?> accounts, boolean erp) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put(erp ? "company_code" : "company_id", company);
        row.put(erp ? "account_codes" : "account_ids", accounts);
        return row;
    }

    private static String json(StagedRecord record) {
        return new String(record.values(), StandardCharsets.UTF_8);
    }

    @Test
    void theSameParentsUnderEachSystemsIdsStageAlikeLookedUpOncePerChunk() throws Exception {
        List<StagedRecord> fromCrm = crm.stage(List.of(contact("p-1", 11, List.of(12, 11), false),
                contact("p-2", "12", List.of(), false), contact("p-3", null, null, false)));
        List<StagedRecord> fromErp = erp.stage(List.of(contact("p-1", "ONE", List.of("ONE", "TWO"), true),
                contact("p-2", "TWO", List.of(), true), contact("p-3", null, null, true)));

        for (int i = 0; i < 3; i++) {
            assertThat(fromCrm.get(i).versionHash()).as(fromCrm.get(i).key()).isEqualTo(fromErp.get(i).versionHash());
        }
        assertThat(json(fromCrm.get(0))).isEqualTo("{\"accounts\":[\"c-1\",\"c-2\"],\"company\":\"c-1\",\"id\":\"p-1\"}");
        // both reference fields name companies: one look-up per side for the chunk, the ids asked once each
        assertThat(idMap.asked).containsExactly("company@crm:2", "company@erp:2");
    }

    @Test
    void aDanglingReferenceEqualsNothingAndIsNotedWithItsId() throws Exception {
        StagedRecord fromCrm = crm.stage(List.of(contact("p-1", 99, List.of(11), false))).get(0);
        StagedRecord fromErp = erp.stage(List.of(contact("p-1", "ONE", List.of("ONE"), true))).get(0);
        assertThat(fromCrm.versionHash()).isNotEqualTo(fromErp.versionHash());
        assertThat(json(fromCrm)).contains("\"company\":{\"dangling\":\"99\",\"of\":\"crm\"}");

        ComparedReferences references = ComparedReferences.of(job, model.transformer().entity("contact"));
        DiffProcessor diff = new DiffProcessor(job, Instant.now(), false, MAPPER, ExpectedDifferences.none(), references);
        Difference found = diff.classify(new DiffRow("p-1", null, null, json(fromCrm), json(fromErp)));
        Difference noted = references.complete(List.of(found), job, idMap).get(0);

        assertThat(noted.fields()).singleElement().satisfies(field -> {
            assertThat(field.field()).isEqualTo("company");
            assertThat(field.b()).isEqualTo("c-1");
            assertThat(field.reference()).isEqualTo(new Difference.Reference("company", "99", "ONE",
                    "dangling reference: company 99 of crm is not linked in the ID map"));
        });
        assertThat(diff.dangling).isEqualTo(1);
    }

    @Test
    void aMovedReferenceNamesBothParentsByCanonicalAndOwnIds() throws Exception {
        StagedRecord fromCrm = crm.stage(List.of(contact("p-1", 11, List.of(), false))).get(0);
        StagedRecord fromErp = erp.stage(List.of(contact("p-1", "TWO", List.of(), true))).get(0);

        ComparedReferences references = ComparedReferences.of(job, model.transformer().entity("contact"));
        Difference found = new DiffProcessor(job, Instant.now(), false, MAPPER, ExpectedDifferences.none(), references)
                .classify(new DiffRow("p-1", null, null, json(fromCrm), json(fromErp)));
        Difference noted = references.complete(List.of(found), job, idMap).get(0);

        assertThat(noted.fields()).containsExactly(new Difference.FieldDifference("company", "c-1", "c-2",
                new Difference.Reference("company", "11", "TWO", "crm names company c-1 (its id 11), erp names company c-2 (its id TWO)")));
    }
}
