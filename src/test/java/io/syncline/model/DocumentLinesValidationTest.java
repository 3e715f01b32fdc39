package io.syncline.model;

import io.syncline.mapping.DocumentLinesTest;
import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** A document's lines ({@code type: list} with {@code items}) are checked at start-up, each mistake at its line with its fix. */
class DocumentLinesValidationTest {

    private static final Environment NO_SECRETS = name -> null;

    private static final String MODEL = DocumentLinesTest.PRODUCTS + """
              invoice:
                key: id
                master: crm
                webhooks: {crm: /webhooks/crm/invoices}
                fields:
                  id: {type: string}
                  total: {type: decimal, items: {x: {type: string}}}
                  lines:
                    type: list
                    key: lineNumber
                    items:
                      product: {type: string, ref: prodcut}
                      quantity: {type: decimal}
                      notes: {type: list, items: {text: {type: string}}}
                      unit: {}
                mappings:
                  crm:
                    key: Id
                    fields:
                      - {field: id, path: Id}
                      - field: lines
                        path: Line
                        transforms: [trim]
                        items:
                          - {field: product, path: ItemRef.value, required: hold}
                          - {field: qty, path: Qty}
                          - {field: quantity}
                  erp:
                    key: id
                    table: erp_invoice
                    fields:
                      - {field: id, path: id}
                      - {field: lines, path: lines, items: [{field: product, path: product_code}]}
                      - {field: total, path: total, json: true}
                      - {field: total, path: "totals[0]", direction: out}
            """;

    @Test
    void aSoundDocumentWithLinesHasNoProblems() {
        assertThat(ModelProblems.of(NO_SECRETS, new ModelFile("file:invoices.syncline.yaml", DocumentLinesTest.MODEL.getBytes())))
                .isEmpty();
    }

    @Test
    void eachMistakeOfALineIsNamedAtItsLineWithItsFix() {
        List<ModelProblem> problems = ModelProblems.of(NO_SECRETS, new ModelFile("file:invoices.syncline.yaml", MODEL.getBytes()));

        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                tuple(19, "entities.invoice.fields.total.items"),
                tuple(22, "entities.invoice.fields.lines.key"),
                tuple(24, "entities.invoice.fields.lines.items.product.ref"),
                tuple(26, "entities.invoice.fields.lines.items.notes.type"),
                tuple(27, "entities.invoice.fields.lines.items.unit"),
                tuple(35, "entities.invoice.mappings.crm.fields[1].transforms"),
                tuple(37, "entities.invoice.mappings.crm.fields[1].items[0].required"),
                tuple(38, "entities.invoice.mappings.crm.fields[1].items[1]"),
                tuple(39, "entities.invoice.mappings.crm.fields[1].items[2]"),
                tuple(45, "entities.invoice.mappings.erp.fields[1]"),
                tuple(46, "entities.invoice.mappings.erp.fields[2].json"),
                tuple(47, "entities.invoice.mappings.erp.fields[3].path"));
        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:invoices.syncline.yaml");
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).map(ModelProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("'lineNumber' is not a field of lines's items"))
                .anySatisfy(text -> assertThat(text).contains("unknown entity 'prodcut'").contains("did you mean 'product'"))
                .anySatisfy(text -> assertThat(text).contains("a line cannot hold lines of its own"))
                .anySatisfy(text -> assertThat(text).contains("the element field 'unit' has no type"))
                .anySatisfy(text -> assertThat(text).contains("transforms of a list of child records apply to its element fields"))
                .anySatisfy(text -> assertThat(text).contains("a line cannot be held for review on its own"))
                .anySatisfy(text -> assertThat(text).contains("field 'qty' is not a declared field").contains("use one of notes, product, quantity, unit"))
                .anySatisfy(text -> assertThat(text).contains("no system path for quantity"))
                .anySatisfy(text -> assertThat(text).contains("'lines' holds a list, and a column of table erp_invoice holds one value")
                        .contains("json: true"))
                .anySatisfy(text -> assertThat(text).contains("json: true is for a list"))
                .anySatisfy(text -> assertThat(text).contains("path 'totals[0]' names an element of a list"));
    }

    private static final String CHILD_TABLES = DocumentLinesTest.PRODUCTS + """
              order:
                key: id
                master: crm
                webhooks: {crm: /webhooks/crm/orders}
                fields:
                  id: {type: string}
                  note: {type: string}
                  lines:
                    type: list
                    key: lineNo
                    items:
                      lineNo: {type: integer}
                      product: {type: string, ref: product}
                  parts:
                    type: list
                    items:
                      sku: {type: string}
                mappings:
                  crm:
                    key: id
                    fields:
                      - {field: id, path: id}
                      - {field: note, path: note, rows: {table: order_notes, parent: order_id}}
                      - field: lines
                        path: lines
                        rows: {table: order_lines, parent: order_id}
                        items: [{field: lineNo, path: lineNo}, {field: product, path: productId}]
                      - {field: parts, path: parts, items: [{field: sku, path: sku}]}
                  erp:
                    key: id
                    table: orders
                    fields:
                      - {field: id, path: id}
                      - field: lines
                        rows: {table: order_lines}
                        items:
                          - {field: product, path: product.code}
                      - field: parts
                        json: true
                        rows: {table: order-parts, parent: order_id}
                        items:
                          - {field: sku, path: order_id}
            """;

    @Test
    void eachMistakeOfAChildTableOfLinesIsNamedAtItsLineWithItsFix() {
        List<ModelProblem> problems = ModelProblems.of(NO_SECRETS, new ModelFile("file:orders.syncline.yaml", CHILD_TABLES.getBytes()));

        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                tuple(35, "entities.order.mappings.crm.fields[1].rows"),
                tuple(38, "entities.order.mappings.crm.fields[2].rows"),
                tuple(47, "entities.order.mappings.erp.fields[1].rows"),
                tuple(48, "entities.order.mappings.erp.fields[1].items"),
                tuple(49, "entities.order.mappings.erp.fields[1].items[0].path"),
                tuple(51, "entities.order.mappings.erp.fields[2].json"),
                tuple(52, "entities.order.mappings.erp.fields[2].rows"),
                tuple(52, "entities.order.mappings.erp.fields[2].rows.table"),
                tuple(54, "entities.order.mappings.erp.fields[2].items[0].path"));
        assertThat(problems).allSatisfy(problem -> assertThat(problem.fix()).isNotBlank());
        assertThat(problems).map(ModelProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("'note' is not one").contains("declare note with type: list"))
                .anySatisfy(text -> assertThat(text).contains("rows names a child table, and this system has no tables"))
                .anySatisfy(text -> assertThat(text).contains("rows needs the column of order_lines that holds the key")
                        .contains("parent: order_id"))
                .anySatisfy(text -> assertThat(text).contains("found by the list's key lineNo, which this mapping does not map"))
                .anySatisfy(text -> assertThat(text).contains("'product.code' is not a column of order_lines"))
                .anySatisfy(text -> assertThat(text).contains("not in a JSON column"))
                .anySatisfy(text -> assertThat(text).contains("have no order of their own").contains("add position:"))
                .anySatisfy(text -> assertThat(text).contains("'order-parts' is not a plain SQL identifier"))
                .anySatisfy(text -> assertThat(text).contains("'order_id' holds the parent row's key"));
    }

    @Test
    void aSoundChildTableOfLinesHasNoProblemsAndAnErasureMayEmptyIt() {
        String model = DocumentLinesTest.PRODUCTS + """
                  order:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/orders}
                    fields:
                      id: {type: string}
                      lines:
                        type: list
                        key: lineNo
                        items:
                          lineNo: {type: integer}
                          product: {type: string, ref: product}
                    mappings:
                      crm:
                        key: id
                        fields:
                          - {field: id, path: id}
                          - {field: lines, path: lines, items: [{field: lineNo, path: lineNo}, {field: product, path: productId}]}
                      erp:
                        key: id
                        table: orders
                        erase: {mode: anonymise, fields: [lines]}
                        fields:
                          - {field: id, path: id}
                          - field: lines
                            rows: {table: order_lines, parent: order_id, position: line_position}
                            items: [{field: lineNo, path: line_no}, {field: product, path: product_id}]
                """;

        assertThat(ModelProblems.of(NO_SECRETS, new ModelFile("file:orders.syncline.yaml", model.getBytes()))).isEmpty();
    }
}
