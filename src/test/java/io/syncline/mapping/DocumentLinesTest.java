package io.syncline.mapping;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Field contracts over arrays: an invoice's lines (a list of child records, each element read and
 * written through its own item contracts, paths relative to the element) and its tags (a list of
 * values, each transformed), as one field value of one record.
 */
public class DocumentLinesTest {

    /** The systems and the product the lines name: the start of every model of these tests. */
    public static final String PRODUCTS = """
            systems:
              crm: {type: rest, baseUrl: "https://crm.example.com"}
              erp: {type: jdbc, datasource: default}
            entities:
              product:
                key: id
                master: crm
                webhooks: {crm: /webhooks/crm/products}
                fields: {id: {type: string}}
                mappings:
                  crm: {key: id, fields: [{field: id, path: id}]}
                  erp: {key: code, table: erp_product, fields: [{field: id, path: code}]}
            """;

    public static final String MODEL = PRODUCTS + """
              invoice:
                key: id
                master: crm
                webhooks: {crm: /webhooks/crm/invoices}
                fields:
                  id: {type: string}
                  tags: {type: string, many: true}
                  lines:
                    type: list
                    key: lineNo
                    items:
                      lineNo: {type: integer}
                      product: {type: string, ref: product}
                      quantity: {type: decimal}
                      amount: {type: decimal}
                mappings:
                  crm:
                    key: Id
                    fields:
                      - {field: id, path: Id}
                      - {field: tags, path: Tags, transforms: [trim, lowercase]}
                      - field: lines
                        path: Line
                        items:
                          - {field: lineNo, path: LineNum, transforms: [integer], required: reject}
                          - {field: product, path: SalesItemLineDetail.ItemRef.value, required: reject}
                          - {field: quantity, path: SalesItemLineDetail.Qty, transforms: [{decimal: {scale: 2}}]}
                          - {field: amount, path: Amount, transforms: [{decimal: {scale: 2}}], required: {default: 0}}
                  erp:
                    key: id
                    table: erp_invoice
                    fields:
                      - {field: id, path: id}
                      - {field: tags, path: tags, json: true}
                      - field: lines
                        path: lines
                        json: true
                        items:
                          - {field: lineNo, path: line_no}
                          - {field: product, path: product_code}
                          - {field: quantity, path: qty}
                          - {field: amount, path: amount}
            """;

    private static final RecordTransformer TRANSFORMER = new SyncModelCompiler(name -> null, TransformRegistry.builtIn(),
            (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
            .compile(List.of(new ModelFile("file:invoices.syncline.yaml", MODEL.getBytes()))).transformer();

    static Map<String, Object> line(Object number, String product, Object quantity, Object amount) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("ItemRef", Map.of("value", product == null ? "" : product));
        detail.put("Qty", quantity);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("LineNum", number);
        line.put("Amount", amount);
        line.put("DetailType", "SalesItemLineDetail");
        line.put("SalesItemLineDetail", detail);
        return line;
    }

    private static Map<String, Object> invoice(List<Map<String, Object>> lines) {
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("Id", "130");
        invoice.put("Tags", List.of(" Rush ", "EXPORT"));
        invoice.put("Line", lines);
        return invoice;
    }

    private static List<Map<String, Object>> threeLines() {
        return List.of(line(1, "P-1", "2", "20.00"), line(2, "P-2", 1, 9.5), line(3, "P-3", "4.0", "12"));
    }

    @Test
    void eachLineIsReadThroughItsItemContractsAndEachValueThroughTheFieldsTransforms() {
        CanonicalRecord record = TRANSFORMER.toCanonical("invoice", "crm", invoice(threeLines()));

        assertThat(record.fields()).containsEntry("tags", List.of("rush", "export"));
        assertThat(record.fields().get("lines")).asList().hasSize(3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) record.fields().get("lines");
        assertThat(lines.get(0)).containsEntry("lineNo", 1L).containsEntry("product", "P-1")
                .containsEntry("quantity", new BigDecimal("2.00")).containsEntry("amount", new BigDecimal("20.00"));
        assertThat(CanonicalValues.same(lines.get(1).get("amount"), 9.5)).isTrue();
    }

    @Test
    void theLinesAreWrittenAtTheTargetsPathsAndReadBackFromJsonText() {
        CanonicalRecord record = TRANSFORMER.toCanonical("invoice", "crm", invoice(threeLines()));
        Map<String, Object> row = TRANSFORMER.toSystem("invoice", "erp", record.fields());

        assertThat(row.get("lines")).asList().first().isEqualTo(Map.of("line_no", 1L, "product_code", "P-1",
                "qty", new BigDecimal("2.00"), "amount", new BigDecimal("20.00")));
        // a REST system's array, each line expanded at its nested paths
        Map<String, Object> body = TRANSFORMER.toSystem("invoice", "crm", record.fields());
        assertThat(body.get("Line")).asList().element(2).isEqualTo(Map.of("LineNum", 3L, "Amount", new BigDecimal("12.00"),
                "SalesItemLineDetail", Map.of("ItemRef", Map.of("value", "P-3"), "Qty", new BigDecimal("4.00"))));
        // a json column reads back as its text: the same record, the same hash
        Map<String, Object> read = new LinkedHashMap<>(row);
        read.put("lines", "[{\"line_no\": 3, \"product_code\": \"P-3\", \"qty\": 4.0, \"amount\": 12},"
                + " {\"line_no\": 1, \"product_code\": \"P-1\", \"qty\": 2, \"amount\": 20.00},"
                + " {\"line_no\": 2, \"product_code\": \"P-2\", \"qty\": 1, \"amount\": 9.5}]");
        read.put("tags", "[\"rush\", \"export\"]");
        CanonicalRecord back = TRANSFORMER.toCanonical("invoice", "erp", read);
        assertThat(CanonicalValues.same(back.fields().get("lines"), record.fields().get("lines"))).isTrue();
        assertThat(back.fields().get("tags")).isEqualTo(List.of("rush", "export"));
    }

    @Test
    void linesAreComparedByTheirKeyNotByTheOrderTheyCameIn() {
        List<Map<String, Object>> reversed = new ArrayList<>(threeLines());
        java.util.Collections.reverse(reversed);

        CanonicalRecord sent = TRANSFORMER.toCanonical("invoice", "crm", invoice(threeLines()));
        CanonicalRecord reordered = TRANSFORMER.toCanonical("invoice", "crm", invoice(reversed));
        List<Map<String, Object>> changed = new ArrayList<>(threeLines());
        changed.set(1, line(2, "P-2", "3", 9.5));
        CanonicalRecord oneQuantity = TRANSFORMER.toCanonical("invoice", "crm", invoice(changed));

        assertThat(reordered.versionHash()).isEqualTo(sent.versionHash());
        assertThat(oneQuantity.versionHash()).isNotEqualTo(sent.versionHash());
        assertThat(CanonicalValues.same(oneQuantity.fields().get("lines"), sent.fields().get("lines"))).isFalse();
    }

    @Test
    void aBadLineIsRejectedNamingItsIndexAndFieldWithEveryOtherProblem() {
        List<Map<String, Object>> lines = new ArrayList<>(threeLines());
        lines.set(1, line(2, "P-2", "two", 9.5));
        lines.set(2, line(3, null, 1, null));
        Map<String, Object> invoice = invoice(lines);

        RecordRejectedException rejected = catchThrowableOfType(RecordRejectedException.class,
                () -> TRANSFORMER.toCanonical("invoice", "crm", invoice));

        assertThat(rejected.getMessage()).contains("invoice.lines[1].quantity from crm: 'two'")
                .contains("required field invoice.lines[2].product (crm Line[2].SalesItemLineDetail.ItemRef.value) is missing")
                .doesNotContain("lines[2].amount");
    }

    @Test
    void aListThatIsNotOneOrALineThatIsNotARecordIsRejected() {
        Map<String, Object> notAList = invoice(threeLines());
        notAList.put("Line", "three lines");
        Map<String, Object> notARecord = invoice(List.of(line(1, "P-1", 1, 1)));
        notARecord.put("Line", List.of(line(1, "P-1", 1, 1), "P-2"));

        assertThat(catchThrowableOfType(RecordRejectedException.class, () -> TRANSFORMER.toCanonical("invoice", "crm", notAList))
                .getMessage()).contains("invoice.lines from crm: 'three lines' is not a list (crm Line)");
        assertThat(catchThrowableOfType(RecordRejectedException.class, () -> TRANSFORMER.toCanonical("invoice", "crm", notARecord))
                .getMessage()).contains("invoice.lines[1] from crm: 'P-2' is not a record (crm Line[1])");
    }
}
