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
              product:
                key: id
                master: crm
                fields:
                  id: {type: string}
                mappings:
                  crm: {key: id, table: product, fields: [{field: id, path: id}]}
                  erp: {key: code, table: product, fields: [{field: id, path: code}]}
              invoice:
                key: id
                master: crm
                fields:
                  id: {type: string}
                  lines:
                    type: list
                    key: lineNo
                    items:
                      lineNo: {type: integer}
                      product: {type: string, ref: product}
                      quantity: {type: integer}
                mappings:
                  crm:
                    key: id
                    table: invoice
                    fields:
                      - {field: id, path: id}
                      - field: lines
                        path: lines
                        json: true
                        items: [{field: lineNo, path: line_no}, {field: product, path: product_id}, {field: quantity, path: qty}]
                  erp:
                    key: id
                    table: invoice
                    fields:
                      - {field: id, path: id}
                      - field: lines
                        path: lines
                        json: true
                        items: [{field: lineNo, path: line_no}, {field: product, path: product_code}, {field: quantity, path: qty}]
            reconciliations:
              companies: {entity: company, sideA: crm, sideB: erp, tolerance: 0s}
              contacts: {entity: contact, sideA: crm, sideB: erp, tolerance: 0s}
              products: {entity: product, sideA: crm, sideB: erp, tolerance: 0s}
              invoices: {entity: invoice, sideA: crm, sideB: erp, tolerance: 0s}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompiledModel model =
            new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("references", MODEL.getBytes(StandardCharsets.UTF_8))));
    private final ReconciliationJob job = ReconciliationJob.of("contacts", model.model());
    /** Companies c-1 (crm 11, erp ONE) and c-2 (crm 12, erp TWO), products p-1 (crm P1, erp X1) and p-2 (crm P2, erp X2); the look-ups asked. */
    private final InMemoryParentIds idMap = new InMemoryParentIds(Map.of("crm", Map.of("11", "c-1", "12", "c-2", "P1", "p-1", "P2", "p-2"),
            "erp", Map.of("ONE", "c-1", "TWO", "c-2", "X1", "p-1", "X2", "p-2")), Map.of());
    private final RecordStager crm = new RecordStager(job, model.transformer(), "crm", MAPPER, idMap);
    private final RecordStager erp = new RecordStager(job, model.transformer(), "erp", MAPPER, idMap);

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

    private final ReconciliationJob invoices = ReconciliationJob.of("invoices", model.model());

    /** An invoice's row: its lines as (line number, the side's product id, quantity) triples. */
    private static Map<String, Object> invoice(String id, boolean erp, Object... lines) {
        List<Map<String, Object>> each = new ArrayList<>();
        for (int i = 0; i < lines.length; i += 3) {
            Map<String, Object> line = new HashMap<>();
            line.put("line_no", lines[i]);
            line.put(erp ? "product_code" : "product_id", lines[i + 1]);
            line.put("qty", lines[i + 2]);
            each.add(line);
        }
        return new HashMap<>(Map.of("id", id, "lines", each));
    }

    private Difference invoiceDifference(Map<String, Object> fromCrm, Map<String, Object> fromErp) throws Exception {
        StagedRecord a = new RecordStager(invoices, model.transformer(), "crm", MAPPER, idMap).stage(List.of(fromCrm)).get(0);
        StagedRecord b = new RecordStager(invoices, model.transformer(), "erp", MAPPER, idMap).stage(List.of(fromErp)).get(0);
        ComparedReferences references = ComparedReferences.of(invoices, model.transformer().entity("invoice"));
        Difference found = new DiffProcessor(invoices, Instant.now(), false, MAPPER, ExpectedDifferences.none(), references)
                .classify(new DiffRow("i-1", null, null, json(a), json(b)));
        return found == null ? null : references.complete(List.of(found), invoices, idMap).get(0);
    }

    @Test
    void theSameLinesUnderEachSystemsProductIdsStageAlikeLookedUpOncePerChunk() throws Exception {
        RecordStager crmInvoices = new RecordStager(invoices, model.transformer(), "crm", MAPPER, idMap);
        RecordStager erpInvoices = new RecordStager(invoices, model.transformer(), "erp", MAPPER, idMap);
        List<StagedRecord> fromCrm = crmInvoices.stage(List.of(invoice("i-1", false, 1, "P1", 2, 2, "P2", 1),
                invoice("i-2", false, 1, "P2", 5)));
        List<StagedRecord> fromErp = erpInvoices.stage(List.of(invoice("i-1", true, 2, "X2", 1, 1, "X1", 2),
                invoice("i-2", true, 1, "X2", 5)));

        assertThat(fromCrm.get(0).versionHash()).isEqualTo(fromErp.get(0).versionHash());
        assertThat(fromCrm.get(1).versionHash()).isEqualTo(fromErp.get(1).versionHash());
        assertThat(json(fromCrm.get(0))).contains("\"product\":\"p-1\"").contains("\"product\":\"p-2\"");
        // the lines' products of the whole chunk in one look-up per side, never one per record or line
        assertThat(idMap.asked).containsExactly("product@crm:2", "product@erp:2");
    }

    @Test
    void aLineNamingAnotherProductIsADifferenceOfTheLinesNamingBothProducts() throws Exception {
        Difference noted = invoiceDifference(invoice("i-1", false, 1, "P1", 2, 2, "P2", 1),
                invoice("i-1", true, 1, "X1", 2, 2, "X1", 1));

        assertThat(noted.fields()).singleElement().satisfies(field -> {
            assertThat(field.field()).isEqualTo("lines");
            assertThat(field.reference().entity()).isEqualTo("product");
            assertThat(field.reference().idA()).isEqualTo(Map.of("lines[1].product", "P2"));
            assertThat(field.reference().idB()).isEqualTo(Map.of("lines[1].product", "X1"));
            assertThat(field.reference().note())
                    .isEqualTo("lines[1].product: crm names product p-2 (its id P2), erp names product p-1 (its id X1)");
        });
    }

    @Test
    void aDanglingLineReferenceIsADifferenceNotedAsOne() throws Exception {
        ComparedReferences references = ComparedReferences.of(invoices, model.transformer().entity("invoice"));
        StagedRecord a = new RecordStager(invoices, model.transformer(), "crm", MAPPER, idMap)
                .stage(List.of(invoice("i-1", false, 1, "P9", 2))).get(0);
        StagedRecord b = new RecordStager(invoices, model.transformer(), "erp", MAPPER, idMap)
                .stage(List.of(invoice("i-1", true, 1, "X1", 2))).get(0);
        assertThat(json(a)).contains("\"product\":{\"dangling\":\"P9\",\"of\":\"crm\"}");
        DiffProcessor diff = new DiffProcessor(invoices, Instant.now(), false, MAPPER, ExpectedDifferences.none(), references);
        Difference noted = references.complete(List.of(diff.classify(new DiffRow("i-1", null, null, json(a), json(b)))), invoices,
                idMap).get(0);

        assertThat(noted.fields()).singleElement().satisfies(field -> {
            assertThat(field.field()).isEqualTo("lines");
            assertThat(field.reference().note())
                    .isEqualTo("lines[0].product: dangling reference: product P9 of crm is not linked in the ID map");
        });
        assertThat(ComparedReferences.dangling(noted.fields().get(0))).isTrue();
        assertThat(diff.dangling).isEqualTo(1);
    }
}
